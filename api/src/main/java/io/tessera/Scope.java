package io.tessera;

import java.util.ArrayList;
import java.util.List;

/**
 * Owns the temporaries of one step: every tensor made through it or handed to {@link #track} is closed, newest
 * first, when the scope closes. Not thread-safe.
 *
 * <pre>{@code
 * try (Scope scope = device.scope()) {
 *     Tensor logits = scope.empty(Shape.of(n, 10), DType.FLOAT32);
 *     ...
 * }
 * }</pre>
 */
public final class Scope implements AutoCloseable {
    private final Device device;
    private final List<Tensor> tensors = new ArrayList<>();
    private boolean closed;

    Scope(Device device) {
        this.device = device;
    }

    /** Hands {@code tensor} to this scope, which will close it; returns it. */
    public Tensor track(Tensor tensor) {
        if (closed) {
            tensor.close();
            throw new IllegalStateException("scope on " + device.id() + " is closed");
        }
        tensors.add(tensor);
        return tensor;
    }

    public Tensor empty(Shape shape, DType dtype) {
        return track(device.empty(shape, dtype));
    }

    public Tensor zeros(Shape shape) {
        return track(device.zeros(shape));
    }

    public Tensor zeros(Shape shape, DType dtype) {
        return track(device.zeros(shape, dtype));
    }

    public Tensor of(float[] data, Shape shape) {
        return track(device.of(data, shape));
    }

    public Tensor ofInts(int[] data, Shape shape) {
        return track(device.ofInts(data, shape));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = tensors.size() - 1; i >= 0; i--) {
            tensors.get(i).close();
        }
        tensors.clear();
    }
}
