package io.tessera;

import java.util.List;

/**
 * A loaded backend: what {@link io.tessera.spi.BackendProvider#load()} returns. Thread-safe. Closing it releases
 * native resources; its devices and tensors must not be used afterwards.
 */
public interface Backend extends AutoCloseable {

    /**
     * The provider's name, the prefix of every device id.
     *
     * @return the name, as {@link io.tessera.spi.BackendProvider#name()}
     */
    String name();

    /**
     * The devices, in the backend's order of preference; never empty.
     *
     * @return the devices, owned by the backend; never empty
     */
    List<Device> devices();

    /**
     * One line on how the backend runs here (library versions, kernel paths), shown by {@code tessera devices}.
     *
     * @return the line; by default empty
     */
    default String details() {
        return "";
    }

    @Override
    default void close() {
    }
}
