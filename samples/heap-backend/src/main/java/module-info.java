/** A sample third-party backend: provider {@code heap}, found by Tessera through the module's service declaration. */
module org.example.heap {
    requires io.tessera.api;

    provides io.tessera.spi.BackendProvider with org.example.heap.HeapBackendProvider;
}
