package io.tessera.spi;

import io.tessera.DType;
import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;

import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * Validates every call before passing it to a backend's raw {@link Kernels}: tensors open, on this device, of the
 * stated dtype and shapes. Errors name the operation, the shapes and the devices. Backends return
 * {@code CheckedKernels.wrap(device, raw)} from {@link Device#kernels()}; the conformance kit checks they do.
 *
 * <p>Failures are thrown before the raw kernel is called: {@link NullPointerException} for a null tensor,
 * {@link IllegalStateException} for a closed one, {@link IllegalArgumentException} for a wrong device, dtype, shape,
 * aliasing or scalar argument, {@link IndexOutOfBoundsException} for a copy range that does not fit. Only what is
 * known on the host is checked: the values inside tensors are not read, so label and index values (the labels of
 * {@link #softmaxCrossEntropy} and {@link #countCorrect}, the indices of {@link #gatherRows}) reach the raw kernel
 * unchecked, with the consequences {@link Kernels} describes. Adds no synchronisation; as thread-safe as the raw
 * kernels.
 */
public final class CheckedKernels implements Kernels {
    private final Device device;
    private final Kernels raw;

    private CheckedKernels(Device device, Kernels raw) {
        this.device = device;
        this.raw = raw;
    }

    /**
     * Validating kernels for {@code device} over {@code raw}.
     *
     * @param device the device the kernels run on
     * @param raw the backend's kernels
     * @return the validating kernels; {@code raw} itself if it already is a {@code CheckedKernels}
     */
    public static Kernels wrap(Device device, Kernels raw) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(raw, "raw kernels");
        return raw instanceof CheckedKernels ? raw : new CheckedKernels(device, raw);
    }

    /**
     * The unvalidated kernels, for backends that call their own kernels internally.
     *
     * @return the raw kernels
     */
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

    // ---- convolution and pooling ------------------------------------------------------------------------------

    private static void rank4(String op, String name, Tensor t) {
        if (t.shape().rank() != 4) {
            throw new IllegalArgumentException(op + ": " + name + " must be 4-D (NCHW), but is " + t.shape());
        }
    }

    private static void window(String op, Window2d window) {
        if (window == null) {
            throw new NullPointerException(op + ": window is null");
        }
    }

    private static void notShared(String op, String n1, Tensor t1, String n2, Tensor t2) {
        if (t1 != null && t2 != null && t1.memory() == t2.memory()) {
            throw new IllegalArgumentException(op + ": " + n1 + " (" + t1.shape() + ") must not share memory with " + n2
                    + " (" + t2.shape() + ")");
        }
    }

    /**
     * The output shape {@code [N, channels, outH, outW]} of {@code window} over the 4-D {@code input}; fails naming the
     * shape and the window when the window does not fit.
     */
    private static Shape outputShape(String op, String name, Tensor input, int channels, Window2d window) {
        int height = input.shape().dim(2);
        int width = input.shape().dim(3);
        int outH = window.outHeight(height);
        int outW = window.outWidth(width);
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException(op + ": the " + window + " does not fit " + name + " " + input.shape() + " (its "
                    + height + "x" + width + " plane, padded, is smaller than the kernel)");
        }
        return Shape.of(input.shape().dim(0), channels, outH, outW);
    }

    private static void shapeIs(String op, String name, Tensor t, Shape expected, String why) {
        if (!t.shape().equals(expected)) {
            throw new IllegalArgumentException(op + ": " + name + " is " + t.shape() + " but must be " + expected + " (" + why + ")");
        }
    }

    /** The checks the three convolution kernels share: {@code image} is the input (or its gradient), NCHW. */
    private void convolution(String op, String imageName, Tensor image, Tensor weight, String outName, Tensor out,
            Window2d window) {
        check(op, imageName, image, DType.FLOAT32);
        check(op, "weight", weight, DType.FLOAT32);
        check(op, outName, out, DType.FLOAT32);
        window(op, window);
        rank4(op, imageName, image);
        rank4(op, "weight", weight);
        rank4(op, outName, out);
        Shape kernel = Shape.of(weight.shape().dim(0), image.shape().dim(1), window.kernelH(), window.kernelW());
        shapeIs(op, "weight", weight, kernel, "[O, C, kH, kW] for the " + image.shape().dim(1) + " channels of " + imageName
                + " " + image.shape() + " and the " + window);
        shapeIs(op, outName, out, outputShape(op, imageName, image, weight.shape().dim(0), window),
                "[N, O, outH, outW] for " + imageName + " " + image.shape() + ", weight " + weight.shape() + " and the " + window);
    }

    private void perChannel(String op, String name, Tensor t, int channels, String of) {
        check(op, name, t, DType.FLOAT32);
        if (t.size() != channels) {
            throw new IllegalArgumentException(op + ": " + name + " is " + t.shape() + " but must have " + channels
                    + " elements, one per channel of " + of);
        }
    }

    @Override
    public void conv2d(Tensor input, Tensor weight, Tensor bias, Tensor output, Window2d window) {
        convolution("conv2d", "input", input, weight, "output", output, window);
        if (bias != null) {
            perChannel("conv2d", "bias", bias, weight.shape().dim(0), "output " + output.shape());
        }
        notShared("conv2d", "output", output, "input", input);
        notShared("conv2d", "output", output, "weight", weight);
        notShared("conv2d", "output", output, "bias", bias);
        raw.conv2d(input, weight, bias, output, window);
    }

    @Override
    public void conv2dBackwardInput(Tensor gradOutput, Tensor weight, Tensor gradInput, Window2d window) {
        convolution("conv2dBackwardInput", "gradInput", gradInput, weight, "gradOutput", gradOutput, window);
        notShared("conv2dBackwardInput", "gradInput", gradInput, "gradOutput", gradOutput);
        notShared("conv2dBackwardInput", "gradInput", gradInput, "weight", weight);
        raw.conv2dBackwardInput(gradOutput, weight, gradInput, window);
    }

    @Override
    public void conv2dBackwardWeight(Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias, Window2d window) {
        String op = "conv2dBackwardWeight";
        convolution(op, "input", input, gradWeight, "gradOutput", gradOutput, window);
        if (gradBias != null) {
            perChannel(op, "gradBias", gradBias, gradWeight.shape().dim(0), "gradOutput " + gradOutput.shape());
        }
        notShared(op, "gradWeight", gradWeight, "input", input);
        notShared(op, "gradWeight", gradWeight, "gradOutput", gradOutput);
        notShared(op, "gradBias", gradBias, "input", input);
        notShared(op, "gradBias", gradBias, "gradOutput", gradOutput);
        notShared(op, "gradBias", gradBias, "gradWeight", gradWeight);
        raw.conv2dBackwardWeight(input, gradOutput, gradWeight, gradBias, window);
    }

    private void pooling(String op, String imageName, Tensor image, String outName, Tensor out, Tensor indices, Window2d window) {
        check(op, imageName, image, DType.FLOAT32);
        check(op, outName, out, DType.FLOAT32);
        check(op, "indices", indices, DType.INT32);
        window(op, window);
        rank4(op, imageName, image);
        if (2 * window.padH() > window.kernelH() || 2 * window.padW() > window.kernelW()) {
            throw new IllegalArgumentException(op + ": the " + window + " pads more than half its kernel size, so a window could"
                    + " hold only padding; padding must be at most " + window.kernelH() / 2 + "x" + window.kernelW() / 2);
        }
        Shape expected = outputShape(op, imageName, image, image.shape().dim(1), window);
        String why = "[N, C, outH, outW] for " + imageName + " " + image.shape() + " and the " + window;
        shapeIs(op, outName, out, expected, why);
        shapeIs(op, "indices", indices, expected, why);
    }

    @Override
    public void maxPool2d(Tensor input, Tensor output, Tensor indices, Window2d window) {
        pooling("maxPool2d", "input", input, "output", output, indices, window);
        notShared("maxPool2d", "output", output, "input", input);
        notShared("maxPool2d", "indices", indices, "input", input);
        raw.maxPool2d(input, output, indices, window);
    }

    @Override
    public void maxPool2dBackward(Tensor gradOutput, Tensor indices, Tensor gradInput, Window2d window) {
        pooling("maxPool2dBackward", "gradInput", gradInput, "gradOutput", gradOutput, indices, window);
        notShared("maxPool2dBackward", "gradInput", gradInput, "gradOutput", gradOutput);
        notShared("maxPool2dBackward", "gradInput", gradInput, "indices", indices);
        raw.maxPool2dBackward(gradOutput, indices, gradInput, window);
    }

    // ---- batch normalisation ------------------------------------------------------------------------------------

    /** Checks a batch-norm input {@code [N, C, ...]} of rank 2 to 4 with at least {@code minPerChannel} values per channel; returns C. */
    private int batchNormInput(String op, String name, Tensor input, int minPerChannel) {
        check(op, name, input, DType.FLOAT32);
        int rank = input.shape().rank();
        if (rank < 2 || rank > 4) {
            throw new IllegalArgumentException(op + ": " + name + " must be [N, C], [N, C, L] or [N, C, H, W], but is " + input.shape());
        }
        int channels = input.shape().dim(1);
        if (channels < 1 || input.size() / channels < minPerChannel) {
            throw new IllegalArgumentException(op + ": " + name + " " + input.shape() + " has " + (channels < 1 ? 0 : input.size() / channels)
                    + " value(s) per channel; batch statistics need at least " + minPerChannel);
        }
        return channels;
    }

    private static void positiveEps(String op, float eps) {
        if (!(eps > 0f) || Float.isInfinite(eps)) {
            throw new IllegalArgumentException(op + ": eps must be positive and finite, got " + eps);
        }
    }

    private static void allDistinct(String op, String[] names, Tensor[] tensors) {
        for (int a = 0; a < tensors.length; a++) {
            for (int b = a + 1; b < tensors.length; b++) {
                notShared(op, names[a], tensors[a], names[b], tensors[b]);
            }
        }
    }

    @Override
    public void batchNormTrain(Tensor input, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
            float momentum, float eps, Tensor output, Tensor saveMean, Tensor saveInvStd) {
        String op = "batchNormTrain";
        int channels = batchNormInput(op, "input", input, 2);
        String of = "input " + input.shape();
        perChannel(op, "gamma", gamma, channels, of);
        perChannel(op, "beta", beta, channels, of);
        perChannel(op, "runningMean", runningMean, channels, of);
        perChannel(op, "runningVar", runningVar, channels, of);
        perChannel(op, "saveMean", saveMean, channels, of);
        perChannel(op, "saveInvStd", saveInvStd, channels, of);
        check(op, "output", output, DType.FLOAT32);
        shapeIs(op, "output", output, input.shape(), "the input's shape");
        positiveEps(op, eps);
        if (!Float.isFinite(momentum)) {
            throw new IllegalArgumentException(op + ": momentum must be finite, got " + momentum);
        }
        // the output may be the input (in place) but not a per-channel tensor; the per-channel outputs (from index 4)
        // must be apart from every other tensor; the inputs may share memory with each other
        String[] names = {"input", "output", "gamma", "beta", "runningMean", "runningVar", "saveMean", "saveInvStd"};
        Tensor[] tensors = {input, output, gamma, beta, runningMean, runningVar, saveMean, saveInvStd};
        notShared(op, "output", output, "gamma", gamma);
        notShared(op, "output", output, "beta", beta);
        for (int b = 4; b < tensors.length; b++) {
            for (int a = 0; a < b; a++) {
                notShared(op, names[b], tensors[b], names[a], tensors[a]);
            }
        }
        raw.batchNormTrain(input, gamma, beta, runningMean, runningVar, momentum, eps, output, saveMean, saveInvStd);
    }

    @Override
    public void batchNormEval(Tensor input, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float eps,
            Tensor output) {
        String op = "batchNormEval";
        int channels = batchNormInput(op, "input", input, 1);
        String of = "input " + input.shape();
        perChannel(op, "gamma", gamma, channels, of);
        perChannel(op, "beta", beta, channels, of);
        perChannel(op, "runningMean", runningMean, channels, of);
        perChannel(op, "runningVar", runningVar, channels, of);
        check(op, "output", output, DType.FLOAT32);
        shapeIs(op, "output", output, input.shape(), "the input's shape");
        positiveEps(op, eps);
        for (Tensor t : new Tensor[] {gamma, beta, runningMean, runningVar}) {
            notShared(op, "output", output, "the per-channel " + t.shape() + " tensors", t);
        }
        raw.batchNormEval(input, gamma, beta, runningMean, runningVar, eps, output);
    }

    @Override
    public void batchNormBackward(Tensor input, Tensor gradOutput, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
            Tensor gradInput, Tensor gradGamma, Tensor gradBeta) {
        String op = "batchNormBackward";
        int channels = batchNormInput(op, "input", input, 2);
        String of = "input " + input.shape();
        check(op, "gradOutput", gradOutput, DType.FLOAT32);
        shapeIs(op, "gradOutput", gradOutput, input.shape(), "the input's shape");
        check(op, "gradInput", gradInput, DType.FLOAT32);
        shapeIs(op, "gradInput", gradInput, input.shape(), "the input's shape");
        perChannel(op, "gamma", gamma, channels, of);
        perChannel(op, "saveMean", saveMean, channels, of);
        perChannel(op, "saveInvStd", saveInvStd, channels, of);
        perChannel(op, "gradGamma", gradGamma, channels, of);
        perChannel(op, "gradBeta", gradBeta, channels, of);
        String[] outNames = {"gradInput", "gradGamma", "gradBeta"};
        Tensor[] outs = {gradInput, gradGamma, gradBeta};
        allDistinct(op, outNames, outs);
        String[] inNames = {"input", "gradOutput", "gamma", "saveMean", "saveInvStd"};
        Tensor[] ins = {input, gradOutput, gamma, saveMean, saveInvStd};
        for (int o = 0; o < outs.length; o++) {
            for (int in = 0; in < ins.length; in++) {
                notShared(op, outNames[o], outs[o], inNames[in], ins[in]);
            }
        }
        raw.batchNormBackward(input, gradOutput, gamma, saveMean, saveInvStd, gradInput, gradGamma, gradBeta);
    }

    // ---- dropout and Adam ---------------------------------------------------------------------------------------

    @Override
    public void dropoutMask(Tensor mask, float p, long seed, long offset) {
        check("dropoutMask", "mask", mask, DType.FLOAT32);
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropoutMask: p must be in [0, 1), got " + p);
        }
        if (offset < 0 || offset > Long.MAX_VALUE - mask.size()) {
            throw new IllegalArgumentException("dropoutMask: offset must be at least 0 and offset + size must fit a long, got offset "
                    + offset + " for mask " + mask.shape());
        }
        raw.dropoutMask(mask, p, seed, offset);
    }

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
            float weightDecay, int step) {
        String op = "adamStep";
        check(op, "param", param, DType.FLOAT32);
        check(op, "grad", grad, DType.FLOAT32);
        check(op, "m", m, DType.FLOAT32);
        check(op, "v", v, DType.FLOAT32);
        sameSize(op, "param", param, "grad", grad);
        sameSize(op, "param", param, "m", m);
        sameSize(op, "param", param, "v", v);
        if (step < 1) {
            throw new IllegalArgumentException(op + ": step must be at least 1 (it counts this step), got " + step);
        }
        if (!(beta1 >= 0f && beta1 < 1f) || !(beta2 >= 0f && beta2 < 1f)) {
            throw new IllegalArgumentException(op + ": beta1 and beta2 must be in [0, 1), got " + beta1 + " and " + beta2);
        }
        positiveEps(op, eps);
        allDistinct(op, new String[] {"param", "m", "v"}, new Tensor[] {param, m, v});
        notShared(op, "grad", grad, "m", m);
        notShared(op, "grad", grad, "v", v);
        raw.adamStep(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step);
    }

    // ---- tensor algebra ---------------------------------------------------------------------------------------

    private static void notNull(String op, String name, Object value) {
        if (value == null) {
            throw new NullPointerException(op + ": " + name + " is null");
        }
    }

    private static void intSized(String op, String name, Tensor t) {
        if (t.size() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": " + name + " (" + t.describe() + ") has more than 2^31 - 1 elements");
        }
    }

    @Override
    public void unary(UnaryFunction f, float alpha, Tensor x, Tensor out) {
        notNull("unary", "function", f);
        String op = "unary " + f;
        check(op, "x", x, DType.FLOAT32);
        check(op, "out", out, DType.FLOAT32);
        sameSize(op, "x", x, "out", out);
        raw.unary(f, alpha, x, out);
    }

    @Override
    public void unaryBackward(UnaryFunction f, float alpha, Tensor x, Tensor gradOut, Tensor gradIn) {
        notNull("unaryBackward", "function", f);
        String op = "unaryBackward " + f;
        elementwise(op, "x", x, "gradOut", gradOut, "gradIn", gradIn);
        notShared(op, "gradIn", gradIn, "x", x);
        raw.unaryBackward(f, alpha, x, gradOut, gradIn);
    }

    private static void broadcastOperand(String op, String name, Tensor t, int inner, Tensor out) {
        if (inner < 1) {
            throw new IllegalArgumentException(op + ": " + name + "Inner must be at least 1, got " + inner);
        }
        long block = t.size() * (long) inner;
        if (block == 0 || out.size() % block != 0) {
            throw new IllegalArgumentException(op + ": " + name + " " + t.shape() + " with inner " + inner
                    + " does not broadcast over out " + out.shape() + " (" + out.size() + " elements is not a multiple of "
                    + block + ")");
        }
    }

    @Override
    public void binary(BinaryFunction f, Tensor a, int aInner, Tensor b, int bInner, Tensor out) {
        notNull("binary", "function", f);
        String op = "binary " + f;
        check(op, "a", a, DType.FLOAT32);
        check(op, "b", b, DType.FLOAT32);
        check(op, "out", out, DType.FLOAT32);
        intSized(op, "out", out);
        broadcastOperand(op, "a", a, aInner, out);
        broadcastOperand(op, "b", b, bInner, out);
        if (a != out && a.size() != out.size()) {
            notShared(op, "out", out, "a", a);
        }
        if (b != out && b.size() != out.size()) {
            notShared(op, "out", out, "b", b);
        }
        raw.binary(f, a, aInner, b, bInner, out);
    }

    private static void axis(String op, Tensor x, int n, int inner) {
        if (n < 1 || inner < 1) {
            throw new IllegalArgumentException(op + ": n and inner must be at least 1, got " + n + " and " + inner);
        }
        if (x.size() % ((long) n * inner) != 0) {
            throw new IllegalArgumentException(op + ": " + x.shape() + " (" + x.size() + " elements) cannot be seen as [outer, "
                    + n + ", " + inner + "]");
        }
    }

    private static void reducedSize(String op, String name, Tensor t, Tensor x, int n) {
        if (t.size() != x.size() / n) {
            throw new IllegalArgumentException(op + ": " + name + " is " + t.shape() + " but must have " + x.size() / n
                    + " elements (" + x.shape() + " reduced over an axis of " + n + ")");
        }
    }

    @Override
    public void reduceSum(Tensor x, int n, int inner, Tensor out) {
        String op = "reduceSum";
        check(op, "x", x, DType.FLOAT32);
        check(op, "out", out, DType.FLOAT32);
        intSized(op, "x", x);
        axis(op, x, n, inner);
        reducedSize(op, "out", out, x, n);
        notShared(op, "out", out, "x", x);
        raw.reduceSum(x, n, inner, out);
    }

    @Override
    public void reduceMax(Tensor x, int n, int inner, Tensor out, Tensor indices) {
        String op = "reduceMax";
        check(op, "x", x, DType.FLOAT32);
        check(op, "out", out, DType.FLOAT32);
        check(op, "indices", indices, DType.INT32);
        intSized(op, "x", x);
        axis(op, x, n, inner);
        reducedSize(op, "out", out, x, n);
        reducedSize(op, "indices", indices, x, n);
        notShared(op, "out", out, "x", x);
        notShared(op, "indices", indices, "x", x);
        raw.reduceMax(x, n, inner, out, indices);
    }

    @Override
    public void reduceMaxBackward(Tensor gradOut, Tensor indices, int n, int inner, Tensor gradIn) {
        String op = "reduceMaxBackward";
        check(op, "gradOut", gradOut, DType.FLOAT32);
        check(op, "indices", indices, DType.INT32);
        check(op, "gradIn", gradIn, DType.FLOAT32);
        intSized(op, "gradIn", gradIn);
        axis(op, gradIn, n, inner);
        reducedSize(op, "gradOut", gradOut, gradIn, n);
        reducedSize(op, "indices", indices, gradIn, n);
        notShared(op, "gradIn", gradIn, "gradOut", gradOut);
        raw.reduceMaxBackward(gradOut, indices, n, inner, gradIn);
    }

    @Override
    public void copyStrided(Tensor src, Strides srcAt, Tensor dst, Strides dstAt, int n0, int n1, int n2) {
        String op = "copyStrided";
        check(op, "src", src, DType.FLOAT32);
        check(op, "dst", dst, DType.FLOAT32);
        notNull(op, "srcAt", srcAt);
        notNull(op, "dstAt", dstAt);
        if (n0 < 0 || n1 < 0 || n2 < 0) {
            throw new IllegalArgumentException(op + ": counts must not be negative, got " + n0 + "x" + n1 + "x" + n2);
        }
        if ((long) n0 * n1 * n2 == 0) {
            return;
        }
        if (srcAt.last(n0, n1, n2) >= src.size()) {
            throw new IndexOutOfBoundsException(op + ": a " + n0 + "x" + n1 + "x" + n2 + " block at " + srcAt
                    + " reaches past src " + src.describe());
        }
        if (dstAt.last(n0, n1, n2) >= dst.size()) {
            throw new IndexOutOfBoundsException(op + ": a " + n0 + "x" + n1 + "x" + n2 + " block at " + dstAt
                    + " reaches past dst " + dst.describe());
        }
        notShared(op, "dst", dst, "src", src);
        raw.copyStrided(src, srcAt, dst, dstAt, n0, n1, n2);
    }

    private void rows(String op, Tensor table, Tensor indices, String rowsName, Tensor rows) {
        check(op, "table", table, DType.FLOAT32);
        check(op, "indices", indices, DType.INT32);
        check(op, rowsName, rows, DType.FLOAT32);
        rank2(op, "table", table);
        rank2(op, rowsName, rows);
        if (indices.shape().rank() != 1 || indices.size() != rows.shape().dim(0)
                || rows.shape().dim(1) != table.shape().dim(1)) {
            throw new IllegalArgumentException(op + ": table " + table.shape() + ", indices " + indices.shape() + " and "
                    + rowsName + " " + rows.shape() + " do not fit: need [V, D], [N] and [N, D]");
        }
        notShared(op, rowsName, rows, "table", table);
    }

    @Override
    public void gatherRows(Tensor table, Tensor indices, Tensor out) {
        rows("gatherRows", table, indices, "out", out);
        raw.gatherRows(table, indices, out);
    }

    @Override
    public void scatterAddRows(Tensor grad, Tensor indices, Tensor table) {
        rows("scatterAddRows", table, indices, "grad", grad);
        raw.scatterAddRows(grad, indices, table);
    }
}
