package io.tessera;

import io.tessera.spi.DeviceMemory;

/**
 * An n-dimensional array that lives on one {@link Device}.
 *
 * <p>A tensor owns its device memory and frees it on {@link #close()}; a {@linkplain #view view} shares its
 * owner's memory and frees nothing. Using a closed tensor (or a view of one) fails with a message naming it.
 * Tensors are not thread-safe: one thread issues the kernels of a training step.
 */
public final class Tensor implements AutoCloseable {
    private final Device device;
    private final Shape shape;
    private final DType dtype;
    private final DeviceMemory memory;
    private final Tensor owner;
    private boolean closed;
    private long version;

    private Tensor(Device device, Shape shape, DType dtype, DeviceMemory memory, Tensor owner) {
        this.device = device;
        this.shape = shape;
        this.dtype = dtype;
        this.memory = memory;
        this.owner = owner;
    }

    static Tensor allocate(Device device, Shape shape, DType dtype) {
        DeviceMemory memory = device.allocate(dtype, shape.size());
        if (memory.elements() < shape.size() || memory.dtype() != dtype) {
            memory.close();
            throw new TesseraException("device " + device.id() + " returned " + memory.elements() + " " + memory.dtype()
                    + " elements for a " + shape + " " + dtype + " tensor");
        }
        return new Tensor(device, shape, dtype, memory, null);
    }

    /**
     * The device the memory is on.
     *
     * @return the device
     */
    public Device device() {
        return device;
    }

    /**
     * The shape.
     *
     * @return the shape
     */
    public Shape shape() {
        return shape;
    }

    /**
     * The element type.
     *
     * @return the dtype
     */
    public DType dtype() {
        return dtype;
    }

    /**
     * The number of elements.
     *
     * @return the product of the dimensions
     */
    public long size() {
        return shape.size();
    }

    /**
     * Whether this tensor, or the tensor it is a view of, has been closed.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed || (owner != null && owner.isClosed());
    }

    /**
     * The backend memory behind this tensor. Backend SPI: kernels cast it to their own type.
     *
     * @return the memory, owned by this tensor (or its owner, for a view); do not close it
     * @throws IllegalStateException if the tensor is closed
     */
    public DeviceMemory memory() {
        checkOpen();
        return memory;
    }

    /** Fails with a message naming this tensor if it is closed. */
    public void checkOpen() {
        if (isClosed()) {
            throw new IllegalStateException("tensor " + describe() + " is closed");
        }
    }

    /**
     * A tensor of another shape with the same number of elements, sharing this tensor's memory (row-major order is
     * kept). Closing the view frees nothing; closing this tensor invalidates the view.
     *
     * @param newShape a shape of the same size
     * @return the view; closing it is allowed and frees nothing
     * @throws IllegalArgumentException if the sizes differ
     */
    public Tensor view(Shape newShape) {
        checkOpen();
        if (newShape.size() != shape.size()) {
            throw new IllegalArgumentException("cannot view tensor " + describe() + " as " + newShape + ": "
                    + shape.size() + " elements vs " + newShape.size());
        }
        return new Tensor(device, newShape, dtype, memory, owner != null ? owner : this);
    }

    /**
     * A view of the first {@code n} rows (outermost dimension) of this tensor, sharing its memory: how a smaller last
     * batch uses buffers sized for a full one. Closing the view frees nothing.
     *
     * @param n the rows kept, 1 to {@code shape().dim(0)}
     * @return the view
     * @throws IllegalArgumentException if {@code n} is out of range or the tensor is a scalar
     */
    public Tensor rows(int n) {
        checkOpen();
        if (shape.rank() == 0 || n < 1 || n > shape.dim(0)) {
            throw new IllegalArgumentException("cannot take " + n + " rows of tensor " + describe());
        }
        return n == shape.dim(0) ? view(shape) : new Tensor(device, shape.withFirst(n), dtype, memory, owner != null ? owner : this);
    }

    /**
     * A copy of this tensor on {@code target} (the tutorial's {@code to_device}); the caller owns the copy, and this
     * tensor stays as it is. Copying to the same device makes a device-side copy.
     *
     * @param target the device of the copy
     * @return the copy, owned by the caller (close it)
     */
    public Tensor to(Device target) {
        checkOpen();
        Tensor copy = target.empty(shape, dtype);
        try {
            if (target == device) {
                device.kernels().copy(this, copy);
            } else if (dtype == DType.INT32) {
                int[] values = toIntArray();
                target.kernels().copyFromHost(values, 0, copy, 0, values.length);
            } else {
                float[] values = toFloatArray();
                target.kernels().copyFromHost(values, 0, copy, 0, values.length);
            }
        } catch (RuntimeException e) {
            copy.close();
            throw e;
        }
        return copy;
    }

    /**
     * The values, row-major, read back to the host; waits for pending kernels.
     *
     * @return a new array
     * @throws IllegalStateException if the tensor is closed or not FLOAT32
     */
    public float[] toFloatArray() {
        checkOpen();
        requireDType(DType.FLOAT32);
        float[] out = new float[shape.sizeAsInt()];
        device.kernels().copyToHost(this, 0, out, 0, out.length);
        return out;
    }

    /**
     * The values of an {@link DType#INT32} tensor, read back to the host.
     *
     * @return a new array; waits for pending kernels
     * @throws IllegalStateException if the tensor is closed or not INT32
     */
    public int[] toIntArray() {
        checkOpen();
        requireDType(DType.INT32);
        int[] out = new int[shape.sizeAsInt()];
        device.kernels().copyToHost(this, 0, out, 0, out.length);
        return out;
    }

    /**
     * The single value of a one-element float tensor.
     *
     * @return the value; waits for pending kernels
     * @throws IllegalStateException if the tensor does not have one element, is closed or not FLOAT32
     */
    public float item() {
        if (shape.size() != 1) {
            throw new IllegalStateException("item() needs a one-element tensor, not " + describe());
        }
        return toFloatArray()[0];
    }

    private void requireDType(DType expected) {
        if (dtype != expected) {
            throw new IllegalStateException("tensor " + describe() + " is " + dtype + ", not " + expected);
        }
    }

    /**
     * How many times the values were changed in place, as reported by {@link #markModified()}; shared by a tensor and
     * its views. Autograd compares it with the count it saw when it saved the tensor for a backward pass.
     *
     * @return the count, from 0
     */
    public long version() {
        return owner != null ? owner.version : version;
    }

    /**
     * Reports an in-place change of the values (optimizers, {@code Parameter.load} and in-place ops call it), so that a
     * backward pass that saved this tensor fails instead of using the new values.
     */
    public void markModified() {
        if (owner != null) {
            owner.version++;
        } else {
            version++;
        }
    }

    /** Frees the device memory (a view frees nothing). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (owner == null) {
            memory.close();
        }
    }

    /**
     * Shape, dtype and device, e.g. {@code 128x784 float32 on cpu}.
     *
     * @return the description, with {@code (view)} for a view
     */
    public String describe() {
        return shape + " " + dtype + " on " + device.id() + (owner != null ? " (view)" : "");
    }

    @Override
    public String toString() {
        return "Tensor[" + describe() + (isClosed() ? ", closed" : "") + "]";
    }
}
