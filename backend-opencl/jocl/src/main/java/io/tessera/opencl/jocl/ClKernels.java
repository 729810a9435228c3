package io.tessera.opencl.jocl;

import io.tessera.DType;
import io.tessera.Tensor;
import io.tessera.spi.BinaryFunction;
import io.tessera.spi.DeviceMemory;
import io.tessera.spi.Kernels;
import io.tessera.spi.Strides;
import io.tessera.spi.UnaryFunction;
import io.tessera.spi.Window2d;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_mem;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The raw {@link Kernels} of one OpenCL device: OpenCL C 1.2 kernels from {@code ops.cl}, {@code gemm_cpu.cl},
 * {@code gemm_gpu.cl}, {@code cnn.cl} (the CNN kernels, through {@link ClCnn}) and {@code algebra.cl} (the tensor-algebra
 * kernels, through {@link ClAlgebra}), enqueued on the device's in-order queue without waiting. Only the host reads
 * ({@code copyToHost}, {@code copyToBuffer}) block; host writes are blocking writes, so the caller's array or buffer
 * is free again when they return. Temporaries (the packed B of a CPU GEMM, a convolution's im2col matrices) come from the buffer pool and go back
 * to it right after their last use is enqueued, which the in-order queue makes safe.
 *
 * <p>Arguments are assumed valid ({@link io.tessera.spi.CheckedKernels} checks them); one thread issues calls at a
 * time, as {@link Kernels} requires.
 */
final class ClKernels implements Kernels {
    private static final String OPS = "ops";

    private final ClContext ctx;
    private final GemmVariant gemm;
    private final int linearLocal;
    private final int tile;
    private final Map<String, Integer> reductionLocal = new HashMap<>();
    private final ClCnn cnn;
    private final ClAlgebra algebra;

    ClKernels(ClContext ctx, GemmVariant gemm) {
        this.ctx = ctx;
        this.gemm = gemm;
        this.linearLocal = (int) Math.max(1, Math.min(256, ctx.info().maxWorkGroup()));
        this.tile = linearLocal >= 256 ? 16 : linearLocal >= 64 ? 8 : 1;
        this.cnn = new ClCnn(this, ctx, linearLocal);
        this.algebra = new ClAlgebra(this, ctx, linearLocal);
    }

    /** The CNN kernels' implementation (tests adjust its scratch limit). */
    ClCnn cnn() {
        return cnn;
    }

    GemmVariant gemmVariant() {
        return gemm;
    }

    static cl_mem memOf(ClContext ctx, Tensor t) {
        DeviceMemory m = t.memory();
        if (!(m instanceof ClMemory cm) || cm.pool() != ctx.pool()) {
            throw new IllegalArgumentException("tensor " + t.describe() + " is not memory of OpenCL device " + ctx.deviceId());
        }
        return cm.mem();
    }

    cl_mem mem(Tensor t) {
        return memOf(ctx, t);
    }

    ClLaunch launch(String program, String kernel) {
        return new ClLaunch(ctx, program, kernel);
    }

    private static int n(Tensor t) {
        return t.shape().sizeAsInt();
    }

    // ---- copies ----------------------------------------------------------------------------------------------

    @Override
    public void copyFromHost(float[] src, int srcOffset, Tensor dst, long dstOffset, int count) {
        if (count > 0) {
            write(dst, dstOffset, Pointer.to(src).withByteOffset((long) srcOffset * Sizeof.cl_float), count);
        }
    }

    @Override
    public void copyFromHost(int[] src, int srcOffset, Tensor dst, long dstOffset, int count) {
        if (count > 0) {
            write(dst, dstOffset, Pointer.to(src).withByteOffset((long) srcOffset * Sizeof.cl_int), count);
        }
    }

    @Override
    public void copyToHost(Tensor src, long srcOffset, float[] dst, int dstOffset, int count) {
        if (count > 0) {
            read(src, srcOffset, Pointer.to(dst).withByteOffset((long) dstOffset * Sizeof.cl_float), count);
        }
    }

    @Override
    public void copyToHost(Tensor src, long srcOffset, int[] dst, int dstOffset, int count) {
        if (count > 0) {
            read(src, srcOffset, Pointer.to(dst).withByteOffset((long) dstOffset * Sizeof.cl_int), count);
        }
    }

    @Override
    public void copyFromBuffer(FloatBuffer src, Tensor dst, long dstOffset) {
        int count = src.remaining();
        if (count == 0) {
            return;
        }
        if (src.isDirect() && src.order() == ByteOrder.nativeOrder()) {
            write(dst, dstOffset, Pointer.to(src).withByteOffset((long) src.position() * Sizeof.cl_float), count);
        } else if (src.hasArray()) {
            copyFromHost(src.array(), src.arrayOffset() + src.position(), dst, dstOffset, count);
        } else {
            float[] tmp = new float[count];
            src.duplicate().get(tmp);
            copyFromHost(tmp, 0, dst, dstOffset, count);
        }
    }

    @Override
    public void copyToBuffer(Tensor src, long srcOffset, FloatBuffer dst) {
        int count = dst.remaining();
        if (count == 0) {
            return;
        }
        if (dst.isDirect() && dst.order() == ByteOrder.nativeOrder()) {
            read(src, srcOffset, Pointer.to(dst).withByteOffset((long) dst.position() * Sizeof.cl_float), count);
        } else if (dst.hasArray()) {
            copyToHost(src, srcOffset, dst.array(), dst.arrayOffset() + dst.position(), count);
        } else {
            float[] tmp = new float[count];
            copyToHost(src, srcOffset, tmp, 0, count);
            dst.duplicate().put(tmp);
        }
    }

    private void write(Tensor dst, long dstOffset, Pointer from, int count) {
        long bytes = (long) count * dst.dtype().bytes();
        int code = CL.clEnqueueWriteBuffer(ctx.queue(), mem(dst), true, dstOffset * dst.dtype().bytes(), bytes, from, 0, null, null);
        ClErrors.check(code, "clEnqueueWriteBuffer(" + bytes + " bytes)", ctx.deviceId());
    }

    private void read(Tensor src, long srcOffset, Pointer to, int count) {
        long bytes = (long) count * src.dtype().bytes();
        int code = CL.clEnqueueReadBuffer(ctx.queue(), mem(src), true, srcOffset * src.dtype().bytes(), bytes, to, 0, null, null);
        ClErrors.check(code, "clEnqueueReadBuffer(" + bytes + " bytes)", ctx.deviceId());
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        cl_mem from = mem(src);
        cl_mem to = mem(dst);
        if (from == to) {
            return;
        }
        long bytes = src.size() * src.dtype().bytes();
        int code = CL.clEnqueueCopyBuffer(ctx.queue(), from, to, 0, 0, bytes, 0, null, null);
        ClErrors.check(code, "clEnqueueCopyBuffer(" + bytes + " bytes)", ctx.deviceId());
    }

    @Override
    public void fill(Tensor t, float value) {
        Pointer pattern = t.dtype() == DType.INT32 ? Pointer.to(new int[] {(int) value}) : Pointer.to(new float[] {value});
        long bytes = t.size() * t.dtype().bytes();
        int code = CL.clEnqueueFillBuffer(ctx.queue(), mem(t), pattern, t.dtype().bytes(), 0, bytes, 0, null, null);
        ClErrors.check(code, "clEnqueueFillBuffer(" + bytes + " bytes)", ctx.deviceId());
    }

    // ---- linear algebra --------------------------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        int m = c.shape().dim(0);
        int n = c.shape().dim(1);
        int k = transA ? a.shape().dim(0) : a.shape().dim(1);
        gemmRaw(m, n, k, alpha, mem(a), transA ? 1 : k, transA ? m : 1, mem(b), transB ? 1 : n, transB ? k : 1, beta, mem(c));
    }

    /**
     * {@code C[m x n] = alpha * op(A) * op(B) + beta * C} on raw buffers, with {@code op(A)(i, k) = A[i * sAi + k * sAk]},
     * {@code op(B)(k, j) = B[k * sBk + j * sBj]} and C dense row-major: every transpose through strides.
     */
    void gemmRaw(int m, int n, int k, float alpha, cl_mem a, int sAi, int sAk, cl_mem b, int sBk, int sBj, float beta,
            cl_mem c) {
        if (gemm == GemmVariant.GPU) {
            launch("gemm_gpu", "gemm_gpu").i(m).i(n).i(k).f(alpha).f(beta)
                    .mem(a).i(sAi).i(sAk)
                    .mem(b).i(sBk).i(sBj)
                    .mem(c)
                    .run2d((n + 63) / 64 * 16L, (m + 63) / 64 * 16L, 16, 16);
            return;
        }
        int panels = (n + 15) / 16;
        try (ClMemory packed = ctx.pool().allocate(DType.FLOAT32, (long) panels * 16 * k)) {
            launch("gemm_cpu", "pack_b").mem(b).i(sBk).i(sBj).i(k).i(n).mem(packed.mem())
                    .run2d(panels, k, Math.max(1, tile / 2), Math.max(1, tile / 2));
            launch("gemm_cpu", "gemm_cpu").i(m).i(n).i(k).f(alpha).f(beta)
                    .mem(a).i(sAi).i(sAk)
                    .mem(packed.mem())
                    .mem(c)
                    .run2d(panels, (m + 3) / 4, 1, Math.min(8, linearLocal));
        }
    }

    @Override
    public void addBias(Tensor x, Tensor bias, Tensor out) {
        int rows = x.shape().dim(0);
        int cols = x.shape().dim(1);
        launch(OPS, "add_bias_f").mem(x).mem(bias).mem(out).i(rows).i(cols).run2d(cols, rows, tile, tile);
    }

    @Override
    public void columnSums(Tensor x, Tensor out) {
        int rows = x.shape().dim(0);
        int cols = x.shape().dim(1);
        launch(OPS, "column_sums_f").mem(x).mem(out).i(rows).i(cols).run1d(cols, Math.min(64, linearLocal));
    }

    // ---- element-wise ----------------------------------------------------------------------------------------

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        launch(OPS, "add_f").mem(a).mem(b).mem(out).i(n(out)).run1d(n(out), linearLocal);
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        launch(OPS, "mul_f").mem(a).mem(b).mem(out).i(n(out)).run1d(n(out), linearLocal);
    }

    @Override
    public void scale(float alpha, Tensor x, Tensor out) {
        launch(OPS, "scale_f").f(alpha).mem(x).mem(out).i(n(out)).run1d(n(out), linearLocal);
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        launch(OPS, "axpy_f").f(alpha).mem(x).mem(y).i(n(y)).run1d(n(y), linearLocal);
    }

    @Override
    public void relu(Tensor x, Tensor out) {
        launch(OPS, "relu_f").mem(x).mem(out).i(n(out)).run1d(n(out), linearLocal);
    }

    @Override
    public void reluBackward(Tensor x, Tensor gradOut, Tensor gradIn) {
        launch(OPS, "relu_backward_f").mem(x).mem(gradOut).mem(gradIn).i(n(gradIn)).run1d(n(gradIn), linearLocal);
    }

    // ---- loss and metrics ------------------------------------------------------------------------------------

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss) {
        int rows = logits.shape().dim(0);
        int classes = logits.shape().dim(1);
        int local = reductionLocal("softmax_xent_loss_f");
        launch(OPS, "softmax_xent_loss_f").mem(logits).mem(labels).mem(loss).i(rows).i(classes)
                .local((long) local * Sizeof.cl_float).run1d(local, local);
    }

    @Override
    public void softmaxCrossEntropyBackward(Tensor logits, Tensor labels, Tensor grad) {
        int rows = logits.shape().dim(0);
        int classes = logits.shape().dim(1);
        launch(OPS, "softmax_xent_backward_f").mem(logits).mem(labels).mem(grad).i(rows).i(classes)
                .run1d(rows, Math.min(64, linearLocal));
    }

    @Override
    public void countCorrect(Tensor logits, Tensor labels, Tensor count) {
        int rows = logits.shape().dim(0);
        int classes = logits.shape().dim(1);
        int local = reductionLocal("count_correct_f");
        launch(OPS, "count_correct_f").mem(logits).mem(labels).mem(count).i(rows).i(classes)
                .local((long) local * Sizeof.cl_int).run1d(local, local);
    }

    /** The work-group size for a single-group reduction kernel: a power of two the device and kernel both allow. */
    private int reductionLocal(String kernel) {
        return reductionLocal(OPS, kernel);
    }

    /** As {@link #reductionLocal(String)} for a kernel of any program. */
    int reductionLocal(String program, String kernel) {
        return reductionLocal.computeIfAbsent(program + "#" + kernel, key -> {
            String name = kernel;
            long[] size = new long[1];
            int code = CL.clGetKernelWorkGroupInfo(ctx.programs().kernel(program, name), ctx.info().device(),
                    CL.CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t, Pointer.to(size), null);
            ClErrors.check(code, "clGetKernelWorkGroupInfo(" + name + ")", ctx.deviceId());
            long limit = Math.max(1, Math.min(256, Math.min(size[0], ctx.info().maxWorkGroup())));
            return Integer.highestOneBit((int) limit);
        });
    }

    // ---- optimizers ------------------------------------------------------------------------------------------

    @Override
    public void sgdStep(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, float weightDecay) {
        int n = n(param);
        if (momentum == 0f) {
            launch(OPS, "sgd_f").mem(param).mem(grad).i(n).f(lr).f(weightDecay).run1d(n, linearLocal);
        } else {
            launch(OPS, "sgd_momentum_f").mem(param).mem(grad).mem(velocity).i(n).f(lr).f(momentum).f(weightDecay)
                    .run1d(n, linearLocal);
        }
    }

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
            float weightDecay, int step) {
        cnn.adamStep(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step);
    }

    // ---- convolution, pooling, batch normalisation, dropout (ClCnn, program cnn.cl) ---------------------------

    @Override
    public void conv2d(Tensor input, Tensor weight, Tensor bias, Tensor output, Window2d window) {
        cnn.conv2d(input, weight, bias, output, window);
    }

    @Override
    public void conv2dBackwardInput(Tensor gradOutput, Tensor weight, Tensor gradInput, Window2d window) {
        cnn.conv2dBackwardInput(gradOutput, weight, gradInput, window);
    }

    @Override
    public void conv2dBackwardWeight(Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias, Window2d window) {
        cnn.conv2dBackwardWeight(input, gradOutput, gradWeight, gradBias, window);
    }

    @Override
    public void maxPool2d(Tensor input, Tensor output, Tensor indices, Window2d window) {
        cnn.maxPool2d(input, output, indices, window);
    }

    @Override
    public void maxPool2dBackward(Tensor gradOutput, Tensor indices, Tensor gradInput, Window2d window) {
        cnn.maxPool2dBackward(gradOutput, indices, gradInput, window);
    }

    @Override
    public void batchNormTrain(Tensor input, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
            float momentum, float eps, Tensor output, Tensor saveMean, Tensor saveInvStd) {
        cnn.batchNormTrain(input, gamma, beta, runningMean, runningVar, momentum, eps, output, saveMean, saveInvStd);
    }

    @Override
    public void batchNormEval(Tensor input, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float eps,
            Tensor output) {
        cnn.batchNormEval(input, gamma, beta, runningMean, runningVar, eps, output);
    }

    @Override
    public void batchNormBackward(Tensor input, Tensor gradOutput, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
            Tensor gradInput, Tensor gradGamma, Tensor gradBeta) {
        cnn.batchNormBackward(input, gradOutput, gamma, saveMean, saveInvStd, gradInput, gradGamma, gradBeta);
    }

    @Override
    public void dropoutMask(Tensor mask, float p, long seed, long offset) {
        cnn.dropoutMask(mask, p, seed, offset);
    }

    // ---- tensor algebra (ClAlgebra, program algebra.cl) -------------------------------------------------------

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
