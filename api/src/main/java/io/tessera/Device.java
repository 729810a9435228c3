package io.tessera;

import io.tessera.spi.DeviceMemory;
import io.tessera.spi.Kernels;

/**
 * One place where tensors live and kernels run: the CPU, or one OpenCL device.
 *
 * <p>Implemented by backends. Implementations are thread-safe for allocation and for reading their
 * properties; kernels on one device are issued by one thread at a time (a training loop), and the device
 * keeps their order.
 */
public interface Device {

    /**
     * A stable id such as {@code cpu} or {@code opencl-jocl:0}: the backend's name, then an index where it has several.
     *
     * @return the id; never null
     */
    String id();

    /**
     * What sort of processor this is.
     *
     * @return the kind, which ranks the device in {@link Devices#defaultDevice()}
     */
    DeviceKind kind();

    /**
     * A human-readable name, e.g. the OpenCL device name.
     *
     * @return the name
     */
    String name();

    /**
     * Memory available to tensors on this device, in bytes (for the CPU: the JVM's maximum heap).
     *
     * @return the size in bytes
     */
    long memoryBytes();

    /**
     * The kernels that run on this device. Implementations return {@link io.tessera.spi.CheckedKernels#wrap} of their
     * raw kernels, so that shapes, dtypes, devices and closed tensors are validated the same way on every backend.
     *
     * @return the validating kernels; the same instance on every call is allowed but not required
     */
    Kernels kernels();

    /**
     * Allocates uninitialised memory for {@code elements} values of {@code dtype}. Backend SPI: users call
     * {@link #zeros}, {@link #of} or {@link #empty} instead.
     *
     * @param dtype the element type
     * @param elements the number of elements, {@code >= 0}
     * @return the memory, owned by the caller (the tensor that wraps it)
     * @throws TesseraException when the device is out of memory, naming the device and the size asked for
     */
    DeviceMemory allocate(DType dtype, long elements);

    /**
     * The number of live (allocated and not yet closed) memory blocks: the conformance kit's leak check.
     *
     * @return the count, {@code >= 0}
     */
    long liveAllocations();

    /** Blocks until every kernel issued so far on this device has finished. */
    void synchronize();

    /**
     * A tensor of the given shape and dtype whose contents are unspecified. The caller owns it.
     *
     * @param shape the shape
     * @param dtype the element type
     * @return the new tensor, owned by the caller (close it)
     * @throws TesseraException when the device is out of memory
     */
    default Tensor empty(Shape shape, DType dtype) {
        return Tensor.allocate(this, shape, dtype);
    }

    /**
     * A float tensor of zeros. The caller owns it.
     *
     * @param shape the shape
     * @return the new FLOAT32 tensor, owned by the caller (close it)
     */
    default Tensor zeros(Shape shape) {
        return zeros(shape, DType.FLOAT32);
    }

    /**
     * A tensor of zeros of the given dtype. The caller owns it.
     *
     * @param shape the shape
     * @param dtype the element type
     * @return the new tensor, owned by the caller (close it)
     */
    default Tensor zeros(Shape shape, DType dtype) {
        return filled(shape, dtype, t -> kernels().fill(t, 0f));
    }

    /**
     * A float tensor holding a copy of {@code data}, whose length must equal the shape's size. The caller owns it.
     *
     * @param data the values, row-major; copied before this returns
     * @param shape the shape
     * @return the new FLOAT32 tensor, owned by the caller (close it)
     * @throws IllegalArgumentException if {@code data.length != shape.size()}
     */
    default Tensor of(float[] data, Shape shape) {
        requireLength(data.length, "floats", shape);
        return filled(shape, DType.FLOAT32, t -> kernels().copyFromHost(data, 0, t, 0, data.length));
    }

    /**
     * An int tensor holding a copy of {@code data}, whose length must equal the shape's size. The caller owns it.
     *
     * @param data the values, row-major; copied before this returns
     * @param shape the shape
     * @return the new INT32 tensor, owned by the caller (close it)
     * @throws IllegalArgumentException if {@code data.length != shape.size()}
     */
    default Tensor ofInts(int[] data, Shape shape) {
        requireLength(data.length, "ints", shape);
        return filled(shape, DType.INT32, t -> kernels().copyFromHost(data, 0, t, 0, data.length));
    }

    private static void requireLength(int length, String what, Shape shape) {
        if (length != shape.size()) {
            throw new IllegalArgumentException("array of " + length + " " + what + " does not fit shape " + shape + " (" + shape.size() + " elements)");
        }
    }

    private Tensor filled(Shape shape, DType dtype, java.util.function.Consumer<Tensor> fill) {
        Tensor t = Tensor.allocate(this, shape, dtype);
        try {
            fill.accept(t);
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    /**
     * A direct host buffer of {@code elements} floats in native order, for staging uploads (the data loader gathers
     * batches into these). Backends that can page-lock host memory override this; the default is
     * {@link java.nio.ByteBuffer#allocateDirect}. The buffer is freed when it is no longer reachable.
     *
     * @param elements the capacity in floats
     * @return the buffer, position 0 and limit {@code elements}
     */
    default java.nio.FloatBuffer allocateHostBuffer(int elements) {
        return java.nio.ByteBuffer.allocateDirect(Math.multiplyExact(elements, 4)).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * Whether several threads may issue kernels on this device at once, each on its own tensors (the CPU backend: its
     * kernels keep no shared mutable state). When false, as by default, callers that share the device between threads
     * (data-parallel replicas in one process) take turns, synchronising on the device object.
     *
     * @return true if threads may issue kernels at once; false by default
     */
    default boolean concurrentKernels() {
        return false;
    }

    /**
     * A scope that allocates on this device and closes everything it made when it closes.
     *
     * @return a new open scope, owned by the caller (use try-with-resources)
     */
    default Scope scope() {
        return new Scope(this);
    }
}
