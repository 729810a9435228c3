package io.tessera.spi;

import io.tessera.DType;

/**
 * A block of device memory behind a {@link io.tessera.Tensor}, made by {@link io.tessera.Device#allocate}.
 * Each backend has its own implementation, which its kernels cast to. Owned by exactly one tensor; {@link #close()}
 * returns it to the device (or the device's pool) and must be idempotent and callable from any thread.
 */
public interface DeviceMemory extends AutoCloseable {

    /**
     * The element type.
     *
     * @return the dtype asked for at allocation
     */
    DType dtype();

    /**
     * Capacity in elements of {@link #dtype()}; at least the size asked for.
     *
     * @return the capacity
     */
    long elements();

    @Override
    void close();
}
