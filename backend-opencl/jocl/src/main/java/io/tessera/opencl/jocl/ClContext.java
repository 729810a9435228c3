package io.tessera.opencl.jocl;

import org.jocl.CL;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;

/**
 * The native state of one device: an OpenCL context holding that device alone, its single in-order command queue,
 * its programs and its buffer pool. Every command on tensors goes through {@link #queue()}, so commands run in the
 * order issued; a second queue only maps pinned host buffers ({@link #allocateHostBuffer}). Closing releases
 * everything; the device must not be used afterwards.
 */
final class ClContext implements AutoCloseable {
    private final ClDeviceInfo info;
    private final String deviceId;
    private final cl_context context;
    private final cl_command_queue queue;
    private final cl_command_queue hostQueue;
    private final ClProgramCache programs;
    private final ClBufferPool pool;
    private boolean closed;

    private ClContext(ClDeviceInfo info, String deviceId, cl_context context, cl_command_queue queue, cl_command_queue hostQueue) {
        this.info = info;
        this.deviceId = deviceId;
        this.context = context;
        this.queue = queue;
        this.hostQueue = hostQueue;
        this.programs = new ClProgramCache(context, info.device(), deviceId);
        this.pool = new ClBufferPool(context, deviceId, info.maxAllocBytes());
    }

    /**
     * Creates the context and queue for {@code info}.
     *
     * @throws ClException when OpenCL refuses
     */
    static ClContext open(ClDeviceInfo info, String deviceId) {
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL.CL_CONTEXT_PLATFORM, info.platform());
        int[] err = new int[1];
        cl_context context = CL.clCreateContext(props, 1, new cl_device_id[] {info.device()}, null, null, err);
        ClErrors.check(err[0], "clCreateContext", deviceId);
        cl_command_queue queue = createQueue(context, info.device(), err);
        if (err[0] != CL.CL_SUCCESS) {
            CL.clReleaseContext(context);
            throw ClErrors.error(err[0], "clCreateCommandQueue", deviceId);
        }
        cl_command_queue hostQueue = createQueue(context, info.device(), err);
        if (err[0] != CL.CL_SUCCESS) {
            CL.clReleaseCommandQueue(queue);
            CL.clReleaseContext(context);
            throw ClErrors.error(err[0], "clCreateCommandQueue", deviceId);
        }
        return new ClContext(info, deviceId, context, queue, hostQueue);
    }

    // clCreateCommandQueue is deprecated from OpenCL 2.0 but is the one call that every 1.x and later driver has.
    @SuppressWarnings("deprecation")
    private static cl_command_queue createQueue(cl_context context, cl_device_id device, int[] err) {
        return CL.clCreateCommandQueue(context, device, 0, err);
    }

    ClDeviceInfo info() {
        return info;
    }

    String deviceId() {
        return deviceId;
    }

    cl_context context() {
        return context;
    }

    cl_command_queue queue() {
        return queue;
    }

    ClProgramCache programs() {
        return programs;
    }

    ClBufferPool pool() {
        return pool;
    }

    /** A pinned host buffer of {@code elements} floats, or null where the driver cannot make one. */
    java.nio.FloatBuffer allocateHostBuffer(int elements) {
        synchronized (hostQueue) {
            return ClHostBuffers.allocate(this, hostQueue, elements);
        }
    }

    /** Waits for every command issued so far. */
    void finish() {
        ClErrors.check(CL.clFinish(queue), "clFinish", deviceId);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        CL.clFinish(queue);
        pool.close();
        programs.close();
        CL.clReleaseCommandQueue(queue);
        CL.clReleaseCommandQueue(hostQueue);
        CL.clReleaseContext(context);
    }
}
