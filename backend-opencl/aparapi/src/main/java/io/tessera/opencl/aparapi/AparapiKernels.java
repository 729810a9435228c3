package io.tessera.opencl.aparapi;

import com.aparapi.Range;
import io.tessera.DType;
import io.tessera.Tensor;
import io.tessera.spi.Kernels;

import java.nio.FloatBuffer;

/**
 * The raw kernels of one {@link AparapiDevice}: host copies touch the Java arrays directly after making them
 * current; everything else launches one of six Aparapi kernel instances, created once per device and reused.
 * Launches are synchronous (Aparapi waits for each kernel), so every method has finished when it returns. Arguments
 * are validated by {@link io.tessera.spi.CheckedKernels} before they get here. Not thread-safe: one issuing thread.
 */
final class AparapiKernels implements Kernels {
    private final AparapiDevice device;
    private final KernelHandle map;
    private final KernelHandle intMap;
    private final KernelHandle gemm;
    private final KernelHandle columnSums;
    private final KernelHandle classifier;
    private final KernelHandle sgd;
    private final FloatMapKernel mapKernel = new FloatMapKernel();
    private final IntMapKernel intMapKernel = new IntMapKernel();
    private final GemmKernel gemmKernel = new GemmKernel();
    private final ColumnSumsKernel columnSumsKernel = new ColumnSumsKernel();
    private final ClassifierKernel classifierKernel = new ClassifierKernel();
    private final SgdKernel sgdKernel = new SgdKernel();

    AparapiKernels(AparapiDevice device) {
        this.device = device;
        this.map = device.newHandle(mapKernel);
        this.intMap = device.newHandle(intMapKernel);
        this.gemm = device.newHandle(gemmKernel);
        this.columnSums = device.newHandle(columnSumsKernel);
        this.classifier = device.newHandle(classifierKernel);
        this.sgd = device.newHandle(sgdKernel);
        classifierKernel.nan = Float.NaN;
    }

    private static AparapiMemory mem(Tensor t) {
        return (AparapiMemory) t.memory();
    }

    private static int n(Tensor t) {
        return (int) t.size();
    }

    /** How an output is written: {@code OVERWRITE} where the tensor covers its whole array, else {@code UPDATE}. */
    private static Access written(Tensor t) {
        return t.size() == mem(t).length() ? Access.OVERWRITE : Access.UPDATE;
    }

    private void hostWrite(Tensor dst, long dstOffset, int count) {
        AparapiMemory m = mem(dst);
        if (dstOffset != 0 || count != m.length()) {
            m.makeHostCurrent();
        }
    }

    @Override
    public void copyFromHost(float[] src, int srcOffset, Tensor dst, long dstOffset, int count) {
        if (count == 0) {
            return;
        }
        hostWrite(dst, dstOffset, count);
        System.arraycopy(src, srcOffset, mem(dst).floats, (int) dstOffset, count);
        mem(dst).hostWritten();
    }

    @Override
    public void copyFromHost(int[] src, int srcOffset, Tensor dst, long dstOffset, int count) {
        if (count == 0) {
            return;
        }
        hostWrite(dst, dstOffset, count);
        System.arraycopy(src, srcOffset, mem(dst).ints, (int) dstOffset, count);
        mem(dst).hostWritten();
    }

    @Override
    public void copyToHost(Tensor src, long srcOffset, float[] dst, int dstOffset, int count) {
        if (count == 0) {
            return;
        }
        mem(src).makeHostCurrent();
        System.arraycopy(mem(src).floats, (int) srcOffset, dst, dstOffset, count);
    }

    @Override
    public void copyToHost(Tensor src, long srcOffset, int[] dst, int dstOffset, int count) {
        if (count == 0) {
            return;
        }
        mem(src).makeHostCurrent();
        System.arraycopy(mem(src).ints, (int) srcOffset, dst, dstOffset, count);
    }

    @Override
    public void copyFromBuffer(FloatBuffer src, Tensor dst, long dstOffset) {
        int count = src.remaining();
        if (count == 0) {
            return;
        }
        hostWrite(dst, dstOffset, count);
        src.duplicate().get(mem(dst).floats, (int) dstOffset, count);
        mem(dst).hostWritten();
    }

    @Override
    public void copyToBuffer(Tensor src, long srcOffset, FloatBuffer dst) {
        int count = dst.remaining();
        if (count == 0) {
            return;
        }
        mem(src).makeHostCurrent();
        dst.duplicate().put(mem(src).floats, (int) srcOffset, count);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        int count = n(src);
        if (count == 0 || mem(src) == mem(dst)) {
            return;
        }
        if (src.dtype() == DType.INT32) {
            intMap.begin();
            intMapKernel.ia = intMap.ints(mem(src), Access.READ);
            intMapKernel.io = intMap.ints(mem(dst), written(dst));
            intMapKernel.op = IntMapKernel.COPY;
            intMapKernel.n = count;
            intMap.launch(device.linear(count));
        } else {
            map.begin();
            mapKernel.ia = map.floats(mem(src), Access.READ);
            mapKernel.io = map.floats(mem(dst), written(dst));
            launchMap(FloatMapKernel.COPY, count, 0f, 1);
        }
    }

    @Override
    public void fill(Tensor t, float value) {
        int count = n(t);
        if (count == 0) {
            return;
        }
        if (t.dtype() == DType.INT32) {
            intMap.begin();
            intMapKernel.io = intMap.ints(mem(t), written(t));
            intMapKernel.ia = intMapKernel.io;
            intMapKernel.op = IntMapKernel.FILL;
            intMapKernel.value = (int) value;
            intMapKernel.n = count;
            intMap.launch(device.linear(count));
        } else {
            map.begin();
            mapKernel.io = map.floats(mem(t), written(t));
            mapKernel.ia = mapKernel.io;
            launchMap(FloatMapKernel.FILL, count, value, 1);
        }
    }

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        int m = c.shape().dim(0);
        int n = c.shape().dim(1);
        if (m == 0 || n == 0) {
            return;
        }
        gemm.begin();
        gemmKernel.ia = gemm.floats(mem(a), Access.READ);
        gemmKernel.ib = gemm.floats(mem(b), Access.READ);
        gemmKernel.ic = gemm.floats(mem(c), beta == 0f ? written(c) : Access.UPDATE);
        gemmKernel.m = m;
        gemmKernel.n = n;
        gemmKernel.k = transA ? a.shape().dim(0) : a.shape().dim(1);
        gemmKernel.transA = transA ? 1 : 0;
        gemmKernel.transB = transB ? 1 : 0;
        gemmKernel.alpha = alpha;
        gemmKernel.beta = beta;
        gemm.launch(device.tiles(n, m, GemmKernel.TILE));
    }

    @Override
    public void addBias(Tensor x, Tensor bias, Tensor out) {
        int count = n(x);
        if (count == 0) {
            return;
        }
        map.begin();
        mapKernel.ia = map.floats(mem(x), Access.READ);
        mapKernel.ib = map.floats(mem(bias), Access.READ);
        mapKernel.io = map.floats(mem(out), written(out));
        launchMap(FloatMapKernel.ADD_BIAS, count, 0f, x.shape().dim(1));
    }

    @Override
    public void columnSums(Tensor x, Tensor out) {
        int cols = x.shape().dim(1);
        if (cols == 0) {
            return;
        }
        columnSums.begin();
        columnSums.floats(mem(x), Access.READ);
        columnSums.floats(mem(out), written(out));
        columnSumsKernel.rows = x.shape().dim(0);
        columnSumsKernel.cols = cols;
        columnSums.launch(device.linear(cols));
    }

    private void binary(int op, Tensor a, Tensor b, Tensor out, float alpha) {
        int count = n(a);
        if (count == 0) {
            return;
        }
        map.begin();
        mapKernel.ia = map.floats(mem(a), Access.READ);
        mapKernel.ib = map.floats(mem(b), Access.READ);
        mapKernel.io = map.floats(mem(out), written(out));
        launchMap(op, count, alpha, 1);
    }

    private void unary(int op, Tensor x, Tensor out, float alpha) {
        int count = n(x);
        if (count == 0) {
            return;
        }
        map.begin();
        mapKernel.ia = map.floats(mem(x), Access.READ);
        mapKernel.io = map.floats(mem(out), written(out));
        mapKernel.ib = mapKernel.ia;
        launchMap(op, count, alpha, 1);
    }

    private void launchMap(int op, int count, float alpha, int cols) {
        mapKernel.op = op;
        mapKernel.n = count;
        mapKernel.alpha = alpha;
        mapKernel.cols = cols;
        map.launch(device.linear(count));
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        binary(FloatMapKernel.ADD, a, b, out, 0f);
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        binary(FloatMapKernel.MUL, a, b, out, 0f);
    }

    @Override
    public void scale(float alpha, Tensor x, Tensor out) {
        unary(FloatMapKernel.SCALE, x, out, alpha);
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        int count = n(x);
        if (count == 0) {
            return;
        }
        map.begin();
        mapKernel.ia = map.floats(mem(y), Access.UPDATE);
        mapKernel.ib = map.floats(mem(x), Access.READ);
        mapKernel.io = mapKernel.ia;
        launchMap(FloatMapKernel.AXPY, count, alpha, 1);
    }

    @Override
    public void relu(Tensor x, Tensor out) {
        unary(FloatMapKernel.RELU, x, out, 0f);
    }

    @Override
    public void reluBackward(Tensor x, Tensor gradOut, Tensor gradIn) {
        binary(FloatMapKernel.RELU_BACKWARD, x, gradOut, gradIn, 0f);
    }

    private void classify(int op, Tensor logits, Tensor labels, Tensor out, Access access, Range range) {
        classifier.begin();
        classifierKernel.iz = classifier.floats(mem(logits), Access.READ);
        classifierKernel.io = classifier.floats(mem(out), access);
        classifier.ints(mem(labels), Access.READ);
        classifierKernel.op = op;
        classifierKernel.rows = logits.shape().dim(0);
        classifierKernel.cols = logits.shape().dim(1);
        classifier.launch(range);
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss) {
        classify(ClassifierKernel.LOSS, logits, labels, loss, written(loss), device.single());
    }

    @Override
    public void softmaxCrossEntropyBackward(Tensor logits, Tensor labels, Tensor grad) {
        int rows = logits.shape().dim(0);
        if (rows == 0) {
            return;
        }
        classify(ClassifierKernel.GRAD, logits, labels, grad, written(grad), device.linear(rows));
    }

    @Override
    public void countCorrect(Tensor logits, Tensor labels, Tensor count) {
        classify(ClassifierKernel.COUNT, logits, labels, count, Access.UPDATE, device.single());
    }

    @Override
    public void sgdStep(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, float weightDecay) {
        int count = n(param);
        if (count == 0) {
            return;
        }
        sgd.begin();
        sgdKernel.ip = sgd.floats(mem(param), Access.UPDATE);
        sgdKernel.ig = sgd.floats(mem(grad), Access.READ);
        sgdKernel.hasVelocity = velocity != null ? 1 : 0;
        sgdKernel.iv = velocity != null ? sgd.floats(mem(velocity), Access.UPDATE) : sgdKernel.ip;
        sgdKernel.n = count;
        sgdKernel.lr = lr;
        sgdKernel.momentum = momentum;
        sgdKernel.weightDecay = weightDecay;
        sgd.launch(device.linear(count));
    }
}
