package io.tessera.opencl.aparapi;

import com.aparapi.Range;
import io.tessera.DType;
import io.tessera.Tensor;
import io.tessera.spi.BinaryFunction;
import io.tessera.spi.Kernels;
import io.tessera.spi.Strides;
import io.tessera.spi.UnaryFunction;
import io.tessera.spi.Window2d;

import java.nio.FloatBuffer;

import static io.tessera.opencl.aparapi.Launch.mem;
import static io.tessera.opencl.aparapi.Launch.written;

/**
 * The raw kernels of one {@link AparapiDevice}: host copies touch the Java arrays directly after making them
 * current; everything else launches one of thirteen Aparapi kernel instances, created once per device and reused,
 * or is delegated to {@link AlgebraKernels} (the tensor-algebra kernels).
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
    private final KernelHandle conv;
    private final KernelHandle convInput;
    private final KernelHandle convWeight;
    private final KernelHandle pool;
    private final KernelHandle norm;
    private final KernelHandle dropout;
    private final KernelHandle adam;
    private final Conv2dKernel convKernel = new Conv2dKernel();
    private final Conv2dBackwardInputKernel convInputKernel = new Conv2dBackwardInputKernel();
    private final Conv2dBackwardWeightKernel convWeightKernel = new Conv2dBackwardWeightKernel();
    private final MaxPoolKernel poolKernel = new MaxPoolKernel();
    private final BatchNormKernel normKernel = new BatchNormKernel();
    private final DropoutKernel dropoutKernel = new DropoutKernel();
    private final AdamKernel adamKernel = new AdamKernel();
    private final AlgebraKernels algebra;

    AparapiKernels(AparapiDevice device) {
        this.device = device;
        this.map = device.newHandle(mapKernel);
        this.intMap = device.newHandle(intMapKernel);
        this.gemm = device.newHandle(gemmKernel);
        this.columnSums = device.newHandle(columnSumsKernel);
        this.classifier = device.newHandle(classifierKernel);
        this.sgd = device.newHandle(sgdKernel);
        this.conv = device.newHandle(convKernel);
        this.convInput = device.newHandle(convInputKernel);
        this.convWeight = device.newHandle(convWeightKernel);
        this.pool = device.newHandle(poolKernel);
        this.norm = device.newHandle(normKernel);
        this.dropout = device.newHandle(dropoutKernel);
        this.adam = device.newHandle(adamKernel);
        classifierKernel.nan = Float.NaN;
        this.algebra = new AlgebraKernels(device);
    }

    private static int n(Tensor t) {
        return (int) t.size();
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

    // ---- CNN kernels ------------------------------------------------------------------------------------------

    @Override
    public void conv2d(Tensor input, Tensor weight, Tensor bias, Tensor output, Window2d window) {
        int total = n(output);
        if (total == 0) {
            return;
        }
        Launch launch = new Launch(conv, device.id());
        launch.read(input);
        launch.read(weight);
        launch.write(output);
        if (bias != null) {
            launch.read(bias);
        }
        Conv2dKernel k = convKernel;
        int outChannels = output.shape().dim(1);
        int items = total / outChannels * ((outChannels + Conv2dKernel.BLOCK - 1) / Conv2dKernel.BLOCK);
        k.hasBias = bias != null ? 1 : 0;
        k.total = items;
        k.channels = input.shape().dim(1);
        k.height = input.shape().dim(2);
        k.width = input.shape().dim(3);
        k.outChannels = output.shape().dim(1);
        k.outHeight = output.shape().dim(2);
        k.outWidth = output.shape().dim(3);
        k.kernelH = window.kernelH();
        k.kernelW = window.kernelW();
        k.strideH = window.strideH();
        k.strideW = window.strideW();
        k.padH = window.padH();
        k.padW = window.padW();
        launch.launch(device.linear(items));
    }

    @Override
    public void conv2dBackwardInput(Tensor gradOutput, Tensor weight, Tensor gradInput, Window2d window) {
        int total = n(gradInput);
        if (total == 0) {
            return;
        }
        Launch launch = new Launch(convInput, device.id());
        launch.read(gradOutput);
        launch.read(weight);
        launch.write(gradInput);
        Conv2dBackwardInputKernel k = convInputKernel;
        k.total = total;
        k.channels = gradInput.shape().dim(1);
        k.height = gradInput.shape().dim(2);
        k.width = gradInput.shape().dim(3);
        k.outChannels = gradOutput.shape().dim(1);
        k.outHeight = gradOutput.shape().dim(2);
        k.outWidth = gradOutput.shape().dim(3);
        k.kernelH = window.kernelH();
        k.kernelW = window.kernelW();
        k.strideH = window.strideH();
        k.strideW = window.strideW();
        k.padH = window.padH();
        k.padW = window.padW();
        launch.launch(device.linear(total));
    }

    @Override
    public void conv2dBackwardWeight(Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias, Window2d window) {
        int weights = n(gradWeight);
        int outChannels = gradOutput.shape().dim(1);
        int total = weights + (gradBias != null ? outChannels : 0);
        if (total == 0) {
            return;
        }
        Launch launch = new Launch(convWeight, device.id());
        launch.read(input);
        launch.read(gradOutput);
        launch.write(gradWeight);
        if (gradBias != null) {
            launch.write(gradBias);
        }
        Conv2dBackwardWeightKernel k = convWeightKernel;
        k.hasBias = gradBias != null ? 1 : 0;
        k.weightCount = weights;
        k.batch = input.shape().dim(0);
        k.channels = input.shape().dim(1);
        k.height = input.shape().dim(2);
        k.width = input.shape().dim(3);
        k.outChannels = outChannels;
        k.outHeight = gradOutput.shape().dim(2);
        k.outWidth = gradOutput.shape().dim(3);
        k.kernelH = window.kernelH();
        k.kernelW = window.kernelW();
        k.strideH = window.strideH();
        k.strideW = window.strideW();
        k.padH = window.padH();
        k.padW = window.padW();
        launch.launch(device.linear(total));
    }

    private void poolGeometry(Tensor in, Tensor out, Window2d window) {
        MaxPoolKernel k = poolKernel;
        k.height = in.shape().dim(2);
        k.width = in.shape().dim(3);
        k.outHeight = out.shape().dim(2);
        k.outWidth = out.shape().dim(3);
        k.kernelH = window.kernelH();
        k.kernelW = window.kernelW();
        k.strideH = window.strideH();
        k.strideW = window.strideW();
        k.padH = window.padH();
        k.padW = window.padW();
    }

    @Override
    public void maxPool2d(Tensor input, Tensor output, Tensor indices, Window2d window) {
        int total = n(output);
        if (total == 0) {
            return;
        }
        Launch launch = new Launch(pool, device.id());
        launch.read(input);
        launch.write(output);
        launch.write(indices);
        poolGeometry(input, output, window);
        poolKernel.op = MaxPoolKernel.FORWARD;
        poolKernel.total = total;
        launch.launch(device.linear(total));
    }

    @Override
    public void maxPool2dBackward(Tensor gradOutput, Tensor indices, Tensor gradInput, Window2d window) {
        int total = n(gradInput);
        if (total == 0) {
            return;
        }
        Launch launch = new Launch(pool, device.id());
        launch.read(gradOutput);
        launch.write(gradInput);
        launch.read(indices);
        poolGeometry(gradInput, gradOutput, window);
        poolKernel.op = MaxPoolKernel.BACKWARD;
        poolKernel.total = total;
        launch.launch(device.linear(total));
    }

    /** Sets the batch, channel and inner sizes of an {@code [N, C, ...]} tensor; false when it is empty. */
    private boolean normGeometry(Tensor input) {
        int batch = input.shape().dim(0);
        int channels = input.shape().dim(1);
        if (batch == 0 || channels == 0 || input.size() == 0) {
            return false;
        }
        normKernel.batch = batch;
        normKernel.channels = channels;
        normKernel.inner = (int) (input.size() / ((long) batch * channels));
        normKernel.total = n(input);
        return true;
    }

    @Override
    public void batchNormTrain(Tensor input, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float momentum,
            float eps, Tensor output, Tensor saveMean, Tensor saveInvStd) {
        if (!normGeometry(input)) {
            return;
        }
        Launch launch = new Launch(norm, device.id());
        launch.read(input);
        launch.read(gamma);
        launch.read(beta);
        launch.update(runningMean);
        launch.update(runningVar);
        launch.write(saveMean);
        launch.write(saveInvStd);
        normKernel.out = launch.output(output, input);
        normKernel.op = BatchNormKernel.TRAIN;
        normKernel.momentum = momentum;
        normKernel.eps = eps;
        launch.launch(device.linear(normKernel.channels));
    }

    @Override
    public void batchNormEval(Tensor input, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float eps,
            Tensor output) {
        if (!normGeometry(input)) {
            return;
        }
        Launch launch = new Launch(norm, device.id());
        launch.read(input);
        launch.read(gamma);
        launch.read(beta);
        launch.read(runningMean);
        launch.read(runningVar);
        normKernel.out = launch.output(output, input);
        normKernel.op = BatchNormKernel.EVAL;
        normKernel.eps = eps;
        launch.launch(device.linear(normKernel.total));
    }

    @Override
    public void batchNormBackward(Tensor input, Tensor gradOutput, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
            Tensor gradInput, Tensor gradGamma, Tensor gradBeta) {
        if (!normGeometry(input)) {
            return;
        }
        Launch launch = new Launch(norm, device.id());
        launch.read(input);
        launch.read(gamma);
        launch.read(gradOutput);
        launch.write(gradGamma);
        launch.write(gradBeta);
        launch.read(saveMean);
        launch.read(saveInvStd);
        launch.write(gradInput);
        normKernel.out = 7;
        normKernel.op = BatchNormKernel.BACKWARD;
        launch.launch(device.linear(normKernel.channels));
    }

    @Override
    public void dropoutMask(Tensor mask, float p, long seed, long offset) {
        int count = n(mask);
        if (count == 0) {
            return;
        }
        long firstBlock = offset >>> 2;
        long lastBlock = (offset + count - 1) >>> 2;
        int blocks = (int) (lastBlock - firstBlock + 1);
        Launch launch = new Launch(dropout, device.id());
        launch.write(mask);
        DropoutKernel k = dropoutKernel;
        k.n = count;
        k.blocks = blocks;
        k.keyLo = (int) seed;
        k.keyHi = (int) (seed >>> 32);
        k.offsetLo = (int) offset;
        k.offsetHi = (int) (offset >>> 32);
        k.p = p;
        k.scale = 1f / (1f - p);
        launch.launch(device.linear(blocks));
    }

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
            float weightDecay, int step) {
        int count = n(param);
        if (count == 0) {
            return;
        }
        float bc1 = (float) (1.0 - Math.pow(beta1, step));
        float bc2 = (float) (1.0 - Math.pow(beta2, step));
        Launch launch = new Launch(adam, device.id());
        launch.update(param);
        launch.read(grad);
        launch.update(m);
        launch.update(v);
        AdamKernel k = adamKernel;
        k.n = count;
        k.stepSize = lr / bc1;
        k.beta1 = beta1;
        k.beta2 = beta2;
        k.eps = eps;
        k.weightDecay = weightDecay;
        k.sqrtBc2 = (float) Math.sqrt(bc2);
        launch.launch(device.linear(count));
    }

    // ---- tensor algebra ---------------------------------------------------------------------------------------

    @Override
    public void unary(UnaryFunction f, float alpha, Tensor x, Tensor out) {
        algebra.unary(f, alpha, x, out);
    }

    @Override
    public void unaryBackward(UnaryFunction f, float alpha, Tensor x, Tensor gradOut, Tensor gradIn) {
        algebra.unaryBackward(f, alpha, x, gradOut, gradIn);
    }

    @Override
    public void binary(BinaryFunction f, Tensor a, int aInner, Tensor b, int bInner, Tensor out) {
        algebra.binary(f, a, aInner, b, bInner, out);
    }

    @Override
    public void reduceSum(Tensor x, int n, int inner, Tensor out) {
        algebra.reduceSum(x, n, inner, out);
    }

    @Override
    public void reduceMax(Tensor x, int n, int inner, Tensor out, Tensor indices) {
        algebra.reduceMax(x, n, inner, out, indices);
    }

    @Override
    public void reduceMaxBackward(Tensor gradOut, Tensor indices, int n, int inner, Tensor gradIn) {
        algebra.reduceMaxBackward(gradOut, indices, n, inner, gradIn);
    }

    @Override
    public void copyStrided(Tensor src, Strides srcAt, Tensor dst, Strides dstAt, int n0, int n1, int n2) {
        algebra.copyStrided(src, srcAt, dst, dstAt, n0, n1, n2);
    }

    @Override
    public void gatherRows(Tensor table, Tensor indices, Tensor out) {
        algebra.gatherRows(table, indices, out);
    }

    @Override
    public void scatterAddRows(Tensor grad, Tensor indices, Tensor table) {
        algebra.scatterAddRows(grad, indices, table);
    }
}
