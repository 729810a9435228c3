package io.tessera.autograd;

import io.tessera.DType;
import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The device buffers of a {@link Graph}: a step takes buffers by size and dtype, {@link #releaseAll()} makes them free
 * for the next step, {@link #close()} frees them. A steady-state step of the same shapes allocates nothing. Not
 * thread-safe.
 */
final class TensorPool implements AutoCloseable {
    private record Key(long size, DType dtype) {
    }

    private final Device device;
    private final Map<Key, ArrayDeque<Tensor>> free = new HashMap<>();
    private final List<Tensor> taken = new ArrayList<>();
    private long allocations;
    private long bytes;

    TensorPool(Device device) {
        this.device = device;
    }

    /** A buffer of {@code shape}, as a view of a pooled allocation; valid until the next {@link #releaseAll()}. */
    Tensor take(Shape shape, DType dtype) {
        Key key = new Key(shape.size(), dtype);
        ArrayDeque<Tensor> queue = free.get(key);
        Tensor base = queue == null ? null : queue.poll();
        if (base == null) {
            base = device.empty(Shape.of(Math.toIntExact(Math.max(1, shape.size()))), dtype);
            allocations++;
            bytes += base.size() * 4;
        }
        taken.add(base);
        return base.view(shape);
    }

    void releaseAll() {
        for (Tensor base : taken) {
            free.computeIfAbsent(new Key(base.size(), base.dtype()), k -> new ArrayDeque<>()).add(base);
        }
        taken.clear();
    }

    /** Device allocations made so far (a pooled buffer reused counts once). */
    long allocations() {
        return allocations;
    }

    /** Bytes held on the device. */
    long bytes() {
        return bytes;
    }

    @Override
    public void close() {
        releaseAll();
        for (ArrayDeque<Tensor> queue : free.values()) {
            queue.forEach(Tensor::close);
        }
        free.clear();
        bytes = 0;
    }
}
