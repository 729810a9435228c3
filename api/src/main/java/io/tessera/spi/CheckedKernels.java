package io.tessera.spi;

import io.tessera.DType;
import io.tessera.Device;
import io.tessera.Tensor;

import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * Validates every call before passing it to a backend's raw {@link Kernels}: tensors open, on this device, of the
 * stated dtype and shapes. Errors name the operation, the shapes and the devices. Backends return
 * {@code CheckedKernels.wrap(device, raw)} from {@link Device#kernels()}; the conformance kit checks they do.
 */
public final class CheckedKernels implements Kernels {
    private final Device device;
    private final Kernels raw;

    private CheckedKernels(Device device, Kernels raw) {
        this.device = device;
        this.raw = raw;
    }

    /** Validating kernels for {@code device} over {@code raw}. */
    public static Kernels wrap(Device device, Kernels raw) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(raw, "raw kernels");
        return raw instanceof CheckedKernels ? raw : new CheckedKernels(device, raw);
    }

    /** The unvalidated kernels, for backends that call their own kernels internally. */
    public Kernels raw() {
        return raw;
    }

    private void check(String op, String name, Tensor t, DType dtype) {
        if (t == null) {
            throw new NullPointerException(op + ": " + name + " is null");
        }
        if (t.isClosed()) {
            throw new IllegalStateException(op + ": " + name + " (" + t.describe() + ") is closed");
        }
        if (t.device() != device) {
            throw new IllegalArgumentException(op + ": " + name + " is on device " + t.device().id() + " but the kernels run on device "
                    + device.id() + "; move it with tensor.to(device) first");
        }
        if (dtype != null && t.dtype() != dtype) {
            throw new IllegalArgumentException(op + ": " + name + " is " + t.describe() + " but must be " + dtype);
        }
    }

    private static void sameSize(String op, String n1, Tensor t1, String n2, Tensor t2) {
        if (t1.size() != t2.size()) {
            throw new IllegalArgumentException(op + ": " + n1 + " is " + t1.shape() + " and " + n2 + " is " + t2.shape()
                    + "; they must have the same number of elements");
        }
    }

    private static void rank2(String op, String name, Tensor t) {
        if (t.shape().rank() != 2) {
            throw new IllegalArgumentException(op + ": " + name + " must be 2-D, but is " + t.shape());
        }
    }

    private static void range(String op, String what, long offset, long count, long size) {
        if (offset < 0 || count < 0 || offset + count > size) {
            throw new IndexOutOfBoundsException(op + ": " + count + " elements at offset " + offset + " do not fit " + what
                    + " of " + size + " elements");
        }
    }

    @Override
    public void copyFromHost(float[] src, int srcOffset, Tensor dst, long dstOffset, int count) {
        check("copyFromHost", "dst", dst, DType.FLOAT32);
        range("copyFromHost", "the source array", srcOffset, count, src.length);
        range("copyFromHost", "tensor " + dst.describe(), dstOffset, count, dst.size());
        raw.copyFromHost(src, srcOffset, dst, dstOffset, count);
    }

    @Override
    public void copyFromHost(int[] src, int srcOffset, Tensor dst, long dstOffset, int count) {
        check("copyFromHost", "dst", dst, DType.INT32);
        range("copyFromHost", "the source array", srcOffset, count, src.length);
        range("copyFromHost", "tensor " + dst.describe(), dstOffset, count, dst.size());
        raw.copyFromHost(src, srcOffset, dst, dstOffset, count);
    }

    @Override
    public void copyToHost(Tensor src, long srcOffset, float[] dst, int dstOffset, int count) {
        check("copyToHost", "src", src, DType.FLOAT32);
        range("copyToHost", "tensor " + src.describe(), srcOffset, count, src.size());
        range("copyToHost", "the destination array", dstOffset, count, dst.length);
        raw.copyToHost(src, srcOffset, dst, dstOffset, count);
    }

    @Override
    public void copyToHost(Tensor src, long srcOffset, int[] dst, int dstOffset, int count) {
        check("copyToHost", "src", src, DType.INT32);
        range("copyToHost", "tensor " + src.describe(), srcOffset, count, src.size());
        range("copyToHost", "the destination array", dstOffset, count, dst.length);
        raw.copyToHost(src, srcOffset, dst, dstOffset, count);
    }

    @Override
    public void copyFromBuffer(FloatBuffer src, Tensor dst, long dstOffset) {
        Objects.requireNonNull(src, "copyFromBuffer: src buffer is null");
        check("copyFromBuffer", "dst", dst, DType.FLOAT32);
        range("copyFromBuffer", "tensor " + dst.describe(), dstOffset, src.remaining(), dst.size());
        raw.copyFromBuffer(src, dst, dstOffset);
    }

    @Override
    public void copyToBuffer(Tensor src, long srcOffset, FloatBuffer dst) {
        Objects.requireNonNull(dst, "copyToBuffer: dst buffer is null");
        check("copyToBuffer", "src", src, DType.FLOAT32);
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("copyToBuffer: the destination buffer is read-only");
        }
        range("copyToBuffer", "tensor " + src.describe(), srcOffset, dst.remaining(), src.size());
        raw.copyToBuffer(src, srcOffset, dst);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        check("copy", "src", src, null);
        check("copy", "dst", dst, src.dtype());
        sameSize("copy", "src", src, "dst", dst);
        raw.copy(src, dst);
    }

    @Override
    public void fill(Tensor t, float value) {
        check("fill", "tensor", t, null);
        raw.fill(t, value);
    }

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        check("gemm", "A", a, DType.FLOAT32);
        check("gemm", "B", b, DType.FLOAT32);
        check("gemm", "C", c, DType.FLOAT32);
        rank2("gemm", "A", a);
        rank2("gemm", "B", b);
        rank2("gemm", "C", c);
        int m = transA ? a.shape().dim(1) : a.shape().dim(0);
        int ka = transA ? a.shape().dim(0) : a.shape().dim(1);
        int kb = transB ? b.shape().dim(1) : b.shape().dim(0);
        int n = transB ? b.shape().dim(0) : b.shape().dim(1);
        if (ka != kb) {
            throw new IllegalArgumentException(gemmDescription(transA, transB, a, b, c) + ": inner dimensions " + ka + " and " + kb + " differ");
        }
        if (c.shape().dim(0) != m || c.shape().dim(1) != n) {
            throw new IllegalArgumentException(gemmDescription(transA, transB, a, b, c) + ": C must be " + m + "x" + n);
        }
        if (c.memory() == a.memory() || c.memory() == b.memory()) {
            throw new IllegalArgumentException(gemmDescription(transA, transB, a, b, c) + ": C must not share memory with A or B");
        }
        raw.gemm(transA, transB, alpha, a, b, beta, c);
    }

    private static String gemmDescription(boolean transA, boolean transB, Tensor a, Tensor b, Tensor c) {
        return "gemm: op(A) = " + (transA ? "A^T" : "A") + " of A " + a.shape() + ", op(B) = " + (transB ? "B^T" : "B")
                + " of B " + b.shape() + ", C " + c.shape();
    }

    @Override
    public void addBias(Tensor x, Tensor bias, Tensor out) {
        check("addBias", "x", x, DType.FLOAT32);
        check("addBias", "bias", bias, DType.FLOAT32);
        check("addBias", "out", out, DType.FLOAT32);
        rank2("addBias", "x", x);
        if (bias.size() != x.shape().dim(1)) {
            throw new IllegalArgumentException("addBias: bias " + bias.shape() + " must have " + x.shape().dim(1)
                    + " elements, one per column of x " + x.shape());
        }
        if (!out.shape().equals(x.shape())) {
            throw new IllegalArgumentException("addBias: out " + out.shape() + " must have x's shape " + x.shape());
        }
        raw.addBias(x, bias, out);
    }

    @Override
    public void columnSums(Tensor x, Tensor out) {
        check("columnSums", "x", x, DType.FLOAT32);
        check("columnSums", "out", out, DType.FLOAT32);
        rank2("columnSums", "x", x);
        if (out.size() != x.shape().dim(1)) {
            throw new IllegalArgumentException("columnSums: out " + out.shape() + " must have " + x.shape().dim(1)
                    + " elements, one per column of x " + x.shape());
        }
        if (out.memory() == x.memory()) {
            throw new IllegalArgumentException("columnSums: out must not share memory with x");
        }
        raw.columnSums(x, out);
    }

    private void elementwise(String op, String n1, Tensor t1, String n2, Tensor t2, String n3, Tensor t3) {
        check(op, n1, t1, DType.FLOAT32);
        check(op, n2, t2, DType.FLOAT32);
        check(op, n3, t3, DType.FLOAT32);
        sameSize(op, n1, t1, n2, t2);
        sameSize(op, n1, t1, n3, t3);
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        elementwise("add", "a", a, "b", b, "out", out);
        raw.add(a, b, out);
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        elementwise("mul", "a", a, "b", b, "out", out);
        raw.mul(a, b, out);
    }

    @Override
    public void scale(float alpha, Tensor x, Tensor out) {
        check("scale", "x", x, DType.FLOAT32);
        check("scale", "out", out, DType.FLOAT32);
        sameSize("scale", "x", x, "out", out);
        raw.scale(alpha, x, out);
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        check("axpy", "x", x, DType.FLOAT32);
        check("axpy", "y", y, DType.FLOAT32);
        sameSize("axpy", "x", x, "y", y);
        raw.axpy(alpha, x, y);
    }

    @Override
    public void relu(Tensor x, Tensor out) {
        check("relu", "x", x, DType.FLOAT32);
        check("relu", "out", out, DType.FLOAT32);
        sameSize("relu", "x", x, "out", out);
        raw.relu(x, out);
    }

    @Override
    public void reluBackward(Tensor x, Tensor gradOut, Tensor gradIn) {
        elementwise("reluBackward", "x", x, "gradOut", gradOut, "gradIn", gradIn);
        raw.reluBackward(x, gradOut, gradIn);
    }

    private void classification(String op, Tensor logits, Tensor labels) {
        check(op, "logits", logits, DType.FLOAT32);
        check(op, "labels", labels, DType.INT32);
        rank2(op, "logits", logits);
        if (labels.size() != logits.shape().dim(0)) {
            throw new IllegalArgumentException(op + ": labels " + labels.shape() + " must have one label per row of logits "
                    + logits.shape());
        }
    }

    private void scalar(String op, String name, Tensor t) {
        check(op, name, t, DType.FLOAT32);
        if (t.size() != 1) {
            throw new IllegalArgumentException(op + ": " + name + " must have one element, but is " + t.shape());
        }
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss) {
        classification("softmaxCrossEntropy", logits, labels);
        scalar("softmaxCrossEntropy", "loss", loss);
        raw.softmaxCrossEntropy(logits, labels, loss);
    }

    @Override
    public void softmaxCrossEntropyBackward(Tensor logits, Tensor labels, Tensor grad) {
        classification("softmaxCrossEntropyBackward", logits, labels);
        check("softmaxCrossEntropyBackward", "grad", grad, DType.FLOAT32);
        if (!grad.shape().equals(logits.shape())) {
            throw new IllegalArgumentException("softmaxCrossEntropyBackward: grad " + grad.shape() + " must have the logits' shape "
                    + logits.shape());
        }
        if (grad.memory() == logits.memory()) {
            throw new IllegalArgumentException("softmaxCrossEntropyBackward: grad must not share memory with logits");
        }
        raw.softmaxCrossEntropyBackward(logits, labels, grad);
    }

    @Override
    public void countCorrect(Tensor logits, Tensor labels, Tensor count) {
        classification("countCorrect", logits, labels);
        scalar("countCorrect", "count", count);
        raw.countCorrect(logits, labels, count);
    }

    @Override
    public void sgdStep(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, float weightDecay) {
        check("sgdStep", "param", param, DType.FLOAT32);
        check("sgdStep", "grad", grad, DType.FLOAT32);
        sameSize("sgdStep", "param", param, "grad", grad);
        if (momentum != 0f) {
            if (velocity == null) {
                throw new IllegalArgumentException("sgdStep: momentum " + momentum + " needs a velocity tensor");
            }
            check("sgdStep", "velocity", velocity, DType.FLOAT32);
            sameSize("sgdStep", "param", param, "velocity", velocity);
        }
        raw.sgdStep(param, grad, momentum != 0f ? velocity : null, lr, momentum, weightDecay);
    }

    @Override
    public void conv2d(Tensor input, Tensor weight, Tensor bias, Tensor output, Window2d window) {
        raw.conv2d(input, weight, bias, output, window);
    }

    @Override
    public void conv2dBackwardInput(Tensor gradOutput, Tensor weight, Tensor gradInput, Window2d window) {
        raw.conv2dBackwardInput(gradOutput, weight, gradInput, window);
    }

    @Override
    public void conv2dBackwardWeight(Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias, Window2d window) {
        raw.conv2dBackwardWeight(input, gradOutput, gradWeight, gradBias, window);
    }

    @Override
    public void maxPool2d(Tensor input, Tensor output, Tensor indices, Window2d window) {
        raw.maxPool2d(input, output, indices, window);
    }

    @Override
    public void maxPool2dBackward(Tensor gradOutput, Tensor indices, Tensor gradInput, Window2d window) {
        raw.maxPool2dBackward(gradOutput, indices, gradInput, window);
    }

    @Override
    public void batchNormTrain(Tensor input, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
            float momentum, float eps, Tensor output, Tensor saveMean, Tensor saveInvStd) {
        raw.batchNormTrain(input, gamma, beta, runningMean, runningVar, momentum, eps, output, saveMean, saveInvStd);
    }

    @Override
    public void batchNormEval(Tensor input, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float eps,
            Tensor output) {
        raw.batchNormEval(input, gamma, beta, runningMean, runningVar, eps, output);
    }

    @Override
    public void batchNormBackward(Tensor input, Tensor gradOutput, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
            Tensor gradInput, Tensor gradGamma, Tensor gradBeta) {
        raw.batchNormBackward(input, gradOutput, gamma, saveMean, saveInvStd, gradInput, gradGamma, gradBeta);
    }

    @Override
    public void dropoutMask(Tensor mask, float p, long seed, long offset) {
        raw.dropoutMask(mask, p, seed, offset);
    }

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
            float weightDecay, int step) {
        raw.adamStep(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step);
    }
}
