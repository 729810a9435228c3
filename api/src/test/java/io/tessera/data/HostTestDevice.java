package io.tessera.data;

import io.tessera.DType;
import io.tessera.Device;
import io.tessera.DeviceKind;
import io.tessera.Tensor;
import io.tessera.spi.CheckedKernels;
import io.tessera.spi.DeviceMemory;
import io.tessera.spi.Kernels;

import java.nio.FloatBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A device for the data tests: Java arrays as memory and only the copy kernels. It records which threads issued
 * kernels, how many host buffers were asked for and how many allocations are live.
 */
final class HostTestDevice implements Device {
    private final AtomicLong live = new AtomicLong();
    private final AtomicInteger hostBuffers = new AtomicInteger();
    private final Set<Thread> kernelThreads = ConcurrentHashMap.newKeySet();
    private final Kernels kernels = CheckedKernels.wrap(this, new CopyKernels());

    @Override
    public String id() {
        return "host-test";
    }

    @Override
    public DeviceKind kind() {
        return DeviceKind.CPU;
    }

    @Override
    public String name() {
        return "data test device";
    }

    @Override
    public long memoryBytes() {
        return Runtime.getRuntime().maxMemory();
    }

    @Override
    public Kernels kernels() {
        return kernels;
    }

    @Override
    public DeviceMemory allocate(DType dtype, long elements) {
        live.incrementAndGet();
        return new Memory(dtype, Math.toIntExact(elements));
    }

    @Override
    public long liveAllocations() {
        return live.get();
    }

    @Override
    public void synchronize() {
    }

    @Override
    public FloatBuffer allocateHostBuffer(int elements) {
        hostBuffers.incrementAndGet();
        return Device.super.allocateHostBuffer(elements);
    }

    int hostBuffersAllocated() {
        return hostBuffers.get();
    }

    Set<Thread> kernelThreads() {
        return kernelThreads;
    }

    private final class Memory implements DeviceMemory {
        private final DType dtype;
        private final float[] floats;
        private final int[] ints;
        private boolean closed;

        Memory(DType dtype, int elements) {
            this.dtype = dtype;
            this.floats = dtype == DType.FLOAT32 ? new float[elements] : null;
            this.ints = dtype == DType.INT32 ? new int[elements] : null;
        }

        @Override
        public DType dtype() {
            return dtype;
        }

        @Override
        public long elements() {
            return dtype == DType.FLOAT32 ? floats.length : ints.length;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                live.decrementAndGet();
            }
        }
    }

    private final class CopyKernels implements Kernels {
        private Memory memory(Tensor t) {
            kernelThreads.add(Thread.currentThread());
            return (Memory) t.memory();
        }

        @Override
        public void copyFromHost(float[] src, int srcOffset, Tensor dst, long dstOffset, int count) {
            System.arraycopy(src, srcOffset, memory(dst).floats, (int) dstOffset, count);
        }

        @Override
        public void copyFromHost(int[] src, int srcOffset, Tensor dst, long dstOffset, int count) {
            System.arraycopy(src, srcOffset, memory(dst).ints, (int) dstOffset, count);
        }

        @Override
        public void copyToHost(Tensor src, long srcOffset, float[] dst, int dstOffset, int count) {
            System.arraycopy(memory(src).floats, (int) srcOffset, dst, dstOffset, count);
        }

        @Override
        public void copyToHost(Tensor src, long srcOffset, int[] dst, int dstOffset, int count) {
            System.arraycopy(memory(src).ints, (int) srcOffset, dst, dstOffset, count);
        }

        @Override
        public void copyFromBuffer(FloatBuffer src, Tensor dst, long dstOffset) {
            src.duplicate().get(memory(dst).floats, (int) dstOffset, src.remaining());
        }

        @Override
        public void copyToBuffer(Tensor src, long srcOffset, FloatBuffer dst) {
            dst.duplicate().put(memory(src).floats, (int) srcOffset, dst.remaining());
        }

        @Override
        public void copy(Tensor src, Tensor dst) {
            throw unsupported("copy");
        }

        @Override
        public void fill(Tensor t, float value) {
            throw unsupported("fill");
        }

        @Override
        public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
            throw unsupported("gemm");
        }

        @Override
        public void addBias(Tensor x, Tensor bias, Tensor out) {
            throw unsupported("addBias");
        }

        @Override
        public void columnSums(Tensor x, Tensor out) {
            throw unsupported("columnSums");
        }

        @Override
        public void add(Tensor a, Tensor b, Tensor out) {
            throw unsupported("add");
        }

        @Override
        public void mul(Tensor a, Tensor b, Tensor out) {
            throw unsupported("mul");
        }

        @Override
        public void scale(float alpha, Tensor x, Tensor out) {
            throw unsupported("scale");
        }

        @Override
        public void axpy(float alpha, Tensor x, Tensor y) {
            throw unsupported("axpy");
        }

        @Override
        public void relu(Tensor x, Tensor out) {
            throw unsupported("relu");
        }

        @Override
        public void reluBackward(Tensor x, Tensor gradOut, Tensor gradIn) {
            throw unsupported("reluBackward");
        }

        @Override
        public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss) {
            throw unsupported("softmaxCrossEntropy");
        }

        @Override
        public void softmaxCrossEntropyBackward(Tensor logits, Tensor labels, Tensor grad) {
            throw unsupported("softmaxCrossEntropyBackward");
        }

        @Override
        public void countCorrect(Tensor logits, Tensor labels, Tensor count) {
            throw unsupported("countCorrect");
        }

        @Override
        public void sgdStep(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, float weightDecay) {
            throw unsupported("sgdStep");
        }

        private UnsupportedOperationException unsupported(String op) {
            return new UnsupportedOperationException(op + " is not implemented by the data tests' device");
        }
    }
}
