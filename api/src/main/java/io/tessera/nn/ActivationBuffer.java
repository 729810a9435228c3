package io.tessera.nn;

import io.tessera.DType;
import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;

/**
 * A layer's reusable output (or gradient) tensor: sized for the largest batch seen, handed out as a view of the
 * first rows for smaller batches, so a steady-state training step allocates no device memory. The view of the last
 * shape asked for is kept and handed out again for the same shape.
 */
public final class ActivationBuffer implements AutoCloseable {
    private Tensor storage;
    private Tensor last;

    /**
     * A tensor of exactly {@code shape} on {@code device}, valid until the next call or {@link #close()}.
     *
     * @param device the device
     * @param shape the shape; its first dimension is the batch
     * @return a FLOAT32 tensor owned by this buffer; the caller must not close it
     */
    public Tensor get(Device device, Shape shape) {
        return get(device, shape, DType.FLOAT32);
    }

    /**
     * As {@link #get(Device, Shape)}, of any dtype; a new dtype or device reallocates.
     *
     * @param device the device
     * @param shape the shape; its first dimension is the batch
     * @param dtype the element type
     * @return a tensor owned by this buffer, valid until the next call or {@link #close()}; the caller must not close
     *         it
     */
    public Tensor get(Device device, Shape shape, DType dtype) {
        if (last != null && !last.isClosed() && storage.device() == device && storage.dtype() == dtype && last.shape().equals(shape)) {
            return last;
        }
        if (storage == null || storage.device() != device || storage.dtype() != dtype || !fits(storage.shape(), shape)) {
            close();
            storage = device.empty(shape, dtype);
        }
        last = storage.shape().dim(0) == shape.dim(0) ? storage.view(shape) : storage.rows(shape.dim(0)).view(shape);
        return last;
    }

    private static boolean fits(Shape have, Shape want) {
        if (have.rank() != want.rank() || want.dim(0) > have.dim(0)) {
            return false;
        }
        for (int i = 1; i < want.rank(); i++) {
            if (have.dim(i) != want.dim(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        last = null;
        if (storage != null) {
            storage.close();
            storage = null;
        }
    }
}
