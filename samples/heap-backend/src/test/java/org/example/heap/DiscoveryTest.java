package org.example.heap;

import io.tessera.BackendStatus;
import io.tessera.Devices;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tessera finds the provider through the module descriptor. */
class DiscoveryTest {

    @Test
    void foundAndAvailable() {
        BackendStatus heap = Devices.all().stream().filter(s -> s.name().equals(HeapBackendProvider.NAME)).findFirst()
                .orElseThrow(() -> new AssertionError("no backend named heap among " + Devices.all()));
        assertTrue(heap.isAvailable(), heap::details);
        assertEquals("heap:0", heap.devices().get(0).id());
    }

    @Test
    void runsOnTheModulePath() {
        assertTrue(HeapBackendProvider.class.getModule().isNamed(), "the tests should run inside module org.example.heap");
        assertEquals("org.example.heap", HeapBackendProvider.class.getModule().getName());
    }
}
