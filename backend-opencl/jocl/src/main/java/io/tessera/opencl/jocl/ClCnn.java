package io.tessera.opencl.jocl;

import io.tessera.DType;
import io.tessera.Tensor;
import io.tessera.spi.Window2d;
import org.jocl.Sizeof;
import org.jocl.cl_mem;

/**
 * The CNN kernels of {@link ClKernels} (program {@code cnn.cl}): convolution as im2col + the device's SGEMM + a layout
 * permute, max pooling, batch normalisation, the Philox dropout mask and Adam.
 *
 * <p>Convolutions lower the batch in chunks of {@code nb} images so that the scratch matrices ({@code cols[K, nb * P]}
 * and {@code [O, nb * P]}, {@code K = C * kH * kW}, {@code P = outH * outW}) stay below {@link #scratchLimit}
 * elements. Scratch comes from the buffer pool and goes back to it when the call returns; the in-order queue makes
 * that safe although the kernels that use it may still be running.
 *
 * <p>Kernels index with 32-bit ints; every size that they index with is checked here and refused with an
 * {@link IllegalArgumentException} naming the operation and the size where it does not fit.
 */
final class ClCnn {
    private static final String CNN = "cnn";
    /** The default bound on one scratch matrix: 2^26 floats (256 MiB). */
    static final long DEFAULT_SCRATCH_ELEMENTS = 1L << 26;

    private final ClKernels k;
    private final ClContext ctx;
    private final int linearLocal;
    private long scratchLimit;

    ClCnn(ClKernels kernels, ClContext ctx, int linearLocal) {
        this.k = kernels;
        this.ctx = ctx;
        this.linearLocal = linearLocal;
        this.scratchLimit = Math.max(1, Math.min(DEFAULT_SCRATCH_ELEMENTS, ctx.info().maxAllocBytes() / Sizeof.cl_float));
    }

    /** Sets the bound on scratch matrices, in floats: tests lower it to force several batch chunks. */
    void scratchLimit(long elements) {
        this.scratchLimit = Math.max(1, elements);
    }

    private static int fits(String op, String what, long value) {
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": " + what + " is " + value
                    + ", more than the OpenCL kernels index with 32-bit ints (" + Integer.MAX_VALUE + ")");
        }
        return (int) value;
    }

    private static int size(String op, String name, Tensor t) {
        return fits(op, name + " " + t.shape() + " has " + t.size() + " elements, which", t.size());
    }

    // ---- convolution ---------------------------------------------------------------------------------------------

    /** The geometry of one convolution and its batch chunking. */
    private final class Conv {
        final String op;
        final int n;
        final int c;
        final int h;
        final int w;
        final int o;
        final int outH;
        final int outW;
        final int p;
        final int kk;
        final int nb;
        final Window2d win;

        Conv(String op, Tensor input, Tensor output, int outChannels, Window2d win) {
            this.op = op;
            this.win = win;
            int[] in = input.shape().dims();
            int[] out = output.shape().dims();
            this.n = in[0];
            this.c = in[1];
            this.h = in[2];
            this.w = in[3];
            this.o = outChannels;
            this.outH = out[2];
            this.outW = out[3];
            size(op, "input", input);
            size(op, "output", output);
            this.p = fits(op, "outH * outW", (long) outH * outW);
            this.kk = fits(op, "C * kH * kW", (long) c * win.kernelH() * win.kernelW());
            long perImage = Math.max((long) kk, o) * p;
            fits(op, "the scratch matrix of one image (max(C * kH * kW, O) * outH * outW)", perImage);
            this.nb = (int) Math.max(1, Math.min(n, scratchLimit / perImage));
        }

        ClLaunch geometry(ClLaunch l) {
            return l.i(c).i(h).i(w).i(win.kernelH()).i(win.kernelW()).i(win.strideH()).i(win.strideW())
                    .i(win.padH()).i(win.padW()).i(outH).i(outW);
        }

        ClMemory scratch(int rows) {
            return ctx.pool().allocate(DType.FLOAT32, (long) rows * nb * p);
        }

        void im2col(Tensor input, cl_mem cols, int n0, int count) {
            geometry(k.launch(CNN, "im2col_f").mem(input).mem(cols)).i(n0).i(count)
                    .run2d((long) count * p, kk, Math.min(64, linearLocal), 1);
        }

        void toOnp(Tensor src, cl_mem tmp, int n0, int count) {
            k.launch(CNN, "nchw_to_onp_f").mem(src).mem(tmp).i(o).i(p).i(n0).i(count)
                    .run2d(p, (long) count * o, Math.min(64, linearLocal), 1);
        }
    }

    void conv2d(Tensor input, Tensor weight, Tensor bias, Tensor output, Window2d window) {
        Conv g = new Conv("conv2d", input, output, weight.shape().dim(0), window);
        try (ClMemory cols = g.scratch(g.kk); ClMemory tmp = g.scratch(g.o)) {
            for (int n0 = 0; n0 < g.n; n0 += g.nb) {
                int count = Math.min(g.nb, g.n - n0);
                int cols1 = count * g.p;
                g.im2col(input, cols.mem(), n0, count);
                k.gemmRaw(g.o, cols1, g.kk, 1f, k.mem(weight), g.kk, 1, cols.mem(), cols1, 1, 0f, tmp.mem());
                k.launch(CNN, "onp_to_nchw_f").mem(tmp.mem()).mem(bias != null ? k.mem(bias) : tmp.mem())
                        .i(bias != null ? 1 : 0).mem(output).i(g.o).i(g.p).i(n0).i(count)
                        .run2d(g.p, (long) count * g.o, Math.min(64, linearLocal), 1);
            }
        }
    }

    void conv2dBackwardInput(Tensor gradOutput, Tensor weight, Tensor gradInput, Window2d window) {
        Conv g = new Conv("conv2dBackwardInput", gradInput, gradOutput, weight.shape().dim(0), window);
        try (ClMemory cols = g.scratch(g.kk); ClMemory tmp = g.scratch(g.o)) {
            for (int n0 = 0; n0 < g.n; n0 += g.nb) {
                int count = Math.min(g.nb, g.n - n0);
                int cols1 = count * g.p;
                g.toOnp(gradOutput, tmp.mem(), n0, count);
                // cols[K, cols1] = W^T [K, O] x tmp [O, cols1]
                k.gemmRaw(g.kk, cols1, g.o, 1f, k.mem(weight), 1, g.kk, tmp.mem(), cols1, 1, 0f, cols.mem());
                g.geometry(k.launch(CNN, "col2im_f").mem(cols.mem()).mem(gradInput)).i(n0).i(count)
                        .run2d(g.w, (long) count * g.c * g.h, Math.min(16, linearLocal), 1);
            }
        }
    }

    void conv2dBackwardWeight(Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias, Window2d window) {
        Conv g = new Conv("conv2dBackwardWeight", input, gradOutput, gradWeight.shape().dim(0), window);
        try (ClMemory cols = g.scratch(g.kk); ClMemory tmp = g.scratch(g.o)) {
            for (int n0 = 0; n0 < g.n; n0 += g.nb) {
                int count = Math.min(g.nb, g.n - n0);
                int cols1 = count * g.p;
                g.toOnp(gradOutput, tmp.mem(), n0, count);
                g.im2col(input, cols.mem(), n0, count);
                // gradWeight[O, K] (+)= tmp [O, cols1] x cols^T [cols1, K]
                k.gemmRaw(g.o, g.kk, cols1, 1f, tmp.mem(), cols1, 1, cols.mem(), 1, cols1, n0 == 0 ? 0f : 1f,
                        k.mem(gradWeight));
            }
        }
        if (gradBias != null) {
            fits(g.op, "N * outH * outW", (long) g.n * g.p);
            int local = k.reductionLocal(CNN, "conv_bias_grad_f");
            k.launch(CNN, "conv_bias_grad_f").mem(gradOutput).mem(gradBias).i(g.n).i(g.o).i(g.p)
                    .local((long) local * Sizeof.cl_float).run1d((long) g.o * local, local);
        }
    }

    // ---- max pooling ---------------------------------------------------------------------------------------------

    void maxPool2d(Tensor input, Tensor output, Tensor indices, Window2d window) {
        String op = "maxPool2d";
        int[] in = input.shape().dims();
        int[] out = output.shape().dims();
        size(op, "input", input);
        size(op, "output", output);
        int nc = fits(op, "N * C", (long) in[0] * in[1]);
        int p = out[2] * out[3];
        pool(k.launch(CNN, "max_pool_f").mem(input).mem(output).mem(indices), nc, in, out, window)
                .run2d(p, nc, Math.min(64, linearLocal), 1);
    }

    void maxPool2dBackward(Tensor gradOutput, Tensor indices, Tensor gradInput, Window2d window) {
        String op = "maxPool2dBackward";
        int[] in = gradInput.shape().dims();
        int[] out = gradOutput.shape().dims();
        size(op, "gradInput", gradInput);
        size(op, "gradOutput", gradOutput);
        int nc = fits(op, "N * C", (long) in[0] * in[1]);
        pool(k.launch(CNN, "max_pool_backward_f").mem(gradOutput).mem(indices).mem(gradInput), nc, in, out, window)
                .run2d((long) in[2] * in[3], nc, Math.min(64, linearLocal), 1);
    }

    private static ClLaunch pool(ClLaunch l, int nc, int[] in, int[] out, Window2d win) {
        return l.i(nc).i(in[2]).i(in[3]).i(win.kernelH()).i(win.kernelW()).i(win.strideH()).i(win.strideW())
                .i(win.padH()).i(win.padW()).i(out[2]).i(out[3]);
    }

    // ---- batch normalisation -------------------------------------------------------------------------------------

    /** {C, S, M} of an input [N, C, ...]: channels, values per (image, channel), values per channel. */
    private static int[] channels(String op, Tensor input) {
        int n = size(op, "input", input);
        int[] dims = input.shape().dims();
        int c = dims[1];
        int s = n / dims[0] / c;
        return new int[] {c, s, n / c};
    }

    void batchNormTrain(Tensor input, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float momentum,
            float eps, Tensor output, Tensor saveMean, Tensor saveInvStd) {
        int[] cs = channels("batchNormTrain", input);
        int local = k.reductionLocal(CNN, "batch_norm_train_f");
        k.launch(CNN, "batch_norm_train_f").mem(input).mem(gamma).mem(beta).mem(runningMean).mem(runningVar)
                .f(momentum).f(eps).mem(output).mem(saveMean).mem(saveInvStd).i(cs[0]).i(cs[1]).i(cs[2])
                .local((long) local * Sizeof.cl_float).run1d((long) cs[0] * local, local);
    }

    void batchNormEval(Tensor input, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float eps,
            Tensor output) {
        int[] cs = channels("batchNormEval", input);
        int n = (int) input.size();
        k.launch(CNN, "batch_norm_eval_f").mem(input).mem(gamma).mem(beta).mem(runningMean).mem(runningVar).f(eps)
                .mem(output).i(cs[0]).i(cs[1]).i(n).run1d(n, linearLocal);
    }

    void batchNormBackward(Tensor input, Tensor gradOutput, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
            Tensor gradInput, Tensor gradGamma, Tensor gradBeta) {
        int[] cs = channels("batchNormBackward", input);
        int local = k.reductionLocal(CNN, "batch_norm_backward_f");
        k.launch(CNN, "batch_norm_backward_f").mem(input).mem(gradOutput).mem(gamma).mem(saveMean).mem(saveInvStd)
                .mem(gradInput).mem(gradGamma).mem(gradBeta).i(cs[0]).i(cs[1]).i(cs[2])
                .local((long) local * Sizeof.cl_float).run1d((long) cs[0] * local, local);
    }

    // ---- dropout and Adam ----------------------------------------------------------------------------------------

    void dropoutMask(Tensor mask, float p, long seed, long offset) {
        String op = "dropoutMask";
        int n = size(op, "mask", mask);
        if (offset < 0) {
            throw new IllegalArgumentException(op + ": offset must not be negative, got " + offset);
        }
        if (n == 0) {
            return;
        }
        long first = offset >>> 2;
        long last = (offset + n - 1) >>> 2;
        int blocks = fits(op, "the number of Philox blocks", last - first + 1);
        float keep = 1f / (1f - p);
        k.launch(CNN, "dropout_mask_f").mem(mask).i(n).f(p).f(keep).l(seed).l(offset).l(first).i(blocks)
                .run1d(blocks, linearLocal);
    }

    void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
            float weightDecay, int step) {
        int n = size("adamStep", "param", param);
        if (step < 1) {
            throw new IllegalArgumentException("adamStep: step must be at least 1, got " + step);
        }
        if (n == 0) {
            return;
        }
        float bc1 = (float) (1.0 - Math.pow(beta1, step));
        float bc2 = (float) (1.0 - Math.pow(beta2, step));
        float stepSize = lr / bc1;
        float sqrtBc2 = (float) Math.sqrt(bc2);
        k.launch(CNN, "adam_f").mem(param).mem(grad).mem(m).mem(v).i(n).f(beta1).f(1f - beta1).f(beta2)
                .f(1f - beta2).f(eps).f(weightDecay).f(stepSize).f(sqrtBc2).run1d(n, linearLocal);
    }
}
