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

    /**
     * Hands {@code tensor} to this scope, which will close it; returns it.
     *
     * @param tensor a tensor the caller owns; ownership passes to the scope
     * @return {@code tensor}
     * @throws IllegalStateException if the scope is closed (the tensor is then closed at once)
     */
    public Tensor track(Tensor tensor) {
        if (closed) {
            tensor.close();
            throw new IllegalStateException("scope on " + device.id() + " is closed");
        }
        tensors.add(tensor);
        return tensor;
    }

    /**
     * As {@link Device#empty}, owned by this scope.
     *
     * @param shape the shape
     * @param dtype the element type
     * @return the new tensor; the scope closes it, the caller must not
     */
    public Tensor empty(Shape shape, DType dtype) {
        return track(device.empty(shape, dtype));
    }

    /**
     * As {@link Device#zeros(Shape)}, owned by this scope.
     *
     * @param shape the shape
     * @return the new tensor; the scope closes it, the caller must not
     */
    public Tensor zeros(Shape shape) {
        return track(device.zeros(shape));
    }

    /**
     * As {@link Device#zeros(Shape, DType)}, owned by this scope.
     *
     * @param shape the shape
     * @param dtype the element type
     * @return the new tensor; the scope closes it, the caller must not
     */
    public Tensor zeros(Shape shape, DType dtype) {
        return track(device.zeros(shape, dtype));
    }

    /**
     * As {@link Device#of}, owned by this scope.
     *
     * @param data the values; copied
     * @param shape the shape
     * @return the new tensor; the scope closes it, the caller must not
     */
    public Tensor of(float[] data, Shape shape) {
        return track(device.of(data, shape));
    }

    /**
     * As {@link Device#ofInts}, owned by this scope.
     *
     * @param data the values; copied
     * @param shape the shape
     * @return the new tensor; the scope closes it, the caller must not
     */
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
