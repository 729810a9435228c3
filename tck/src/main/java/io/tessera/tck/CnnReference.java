package io.tessera.tck;

import io.tessera.spi.Window2d;

/**
 * Plain-Java double-precision reference of the CNN kernels of {@link io.tessera.spi.Kernels} (convolution, max
 * pooling, batch normalisation, Adam), with the magnitudes their tolerances need. Tensors are NCHW, row-major.
 */
public final class CnnReference {

    private CnnReference() {
    }

    /**
     * The shape of a 2-D window's operands: input {@code [n, c, h, w]}, {@code o} output channels (for pooling,
     * {@code o == c}), the window, and the output extents it gives.
     */
    public record Geometry(int n, int c, int h, int w, int o, Window2d window) {

        public int outH() {
            return window.outHeight(h);
        }

        public int outW() {
            return window.outWidth(w);
        }

        public int inputSize() {
            return n * c * h * w;
        }

        public int weightSize() {
            return o * c * window.kernelH() * window.kernelW();
        }

        public int outputSize() {
            return n * o * outH() * outW();
        }

        /** The input row (y) under output row {@code oy} and kernel row {@code i}; outside {@code [0, h)} is padding. */
        int inY(int oy, int i) {
            return oy * window.strideH() - window.padH() + i;
        }

        int inX(int ox, int j) {
            return ox * window.strideW() - window.padW() + j;
        }

        int input(int b, int ch, int y, int x) {
            return ((b * c + ch) * h + y) * w + x;
        }

        int weight(int oc, int ch, int i, int j) {
            return ((oc * c + ch) * window.kernelH() + i) * window.kernelW() + j;
        }

        int output(int b, int oc, int oy, int ox) {
            return ((b * o + oc) * outH() + oy) * outW() + ox;
        }

        /** The most windows that cover one input position along both axes: the terms of a backward sum. */
        int windowsPerInput() {
            int alongH = (window.kernelH() + window.strideH() - 1) / window.strideH();
            int alongW = (window.kernelW() + window.strideW() - 1) / window.strideW();
            return alongH * alongW;
        }

        @Override
        public String toString() {
            return "input " + n + "x" + c + "x" + h + "x" + w + ", " + o + " output channels, " + window;
        }
    }

    /** {@code conv2d}; {@code bias} may be null. Terms: {@code C * kH * kW} (+1 with a bias). */
    public static Expected conv2d(Geometry g, float[] input, float[] weight, float[] bias) {
        Window2d win = g.window();
        double[] v = new double[g.outputSize()];
        double[] m = new double[v.length];
        for (int b = 0; b < g.n(); b++) {
            for (int o = 0; o < g.o(); o++) {
                for (int oy = 0; oy < g.outH(); oy++) {
                    for (int ox = 0; ox < g.outW(); ox++) {
                        double sum = bias == null ? 0 : bias[o];
                        double abs = Math.abs(sum);
                        for (int c = 0; c < g.c(); c++) {
                            for (int i = 0; i < win.kernelH(); i++) {
                                int y = g.inY(oy, i);
                                for (int j = 0; j < win.kernelW(); j++) {
                                    int x = g.inX(ox, j);
                                    if (y >= 0 && y < g.h() && x >= 0 && x < g.w()) {
                                        double prod = (double) weight[g.weight(o, c, i, j)] * input[g.input(b, c, y, x)];
                                        sum += prod;
                                        abs += Math.abs(prod);
                                    }
                                }
                            }
                        }
                        v[g.output(b, o, oy, ox)] = sum;
                        m[g.output(b, o, oy, ox)] = abs;
                    }
                }
            }
        }
        return new Expected(v, m, g.c() * win.kernelH() * win.kernelW() + (bias == null ? 0 : 1), g.outW());
    }

    /** {@code conv2dBackwardInput}. Terms: {@code O} times the most windows that cover one input position. */
    public static Expected conv2dBackwardInput(Geometry g, float[] gradOutput, float[] weight) {
        Window2d win = g.window();
        double[] v = new double[g.inputSize()];
        double[] m = new double[v.length];
        for (int b = 0; b < g.n(); b++) {
            for (int o = 0; o < g.o(); o++) {
                for (int oy = 0; oy < g.outH(); oy++) {
                    for (int ox = 0; ox < g.outW(); ox++) {
                        double go = gradOutput[g.output(b, o, oy, ox)];
                        for (int c = 0; c < g.c(); c++) {
                            for (int i = 0; i < win.kernelH(); i++) {
                                int y = g.inY(oy, i);
                                for (int j = 0; j < win.kernelW(); j++) {
                                    int x = g.inX(ox, j);
                                    if (y >= 0 && y < g.h() && x >= 0 && x < g.w()) {
                                        double prod = go * weight[g.weight(o, c, i, j)];
                                        v[g.input(b, c, y, x)] += prod;
                                        m[g.input(b, c, y, x)] += Math.abs(prod);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return new Expected(v, m, g.o() * g.windowsPerInput(), g.w());
    }

    /**
     * {@code conv2dBackwardWeight}: the weight gradient and the bias gradient. Terms: {@code N * outH * outW}, the
     * positions summed over.
     */
    public static Expected[] conv2dBackwardWeight(Geometry g, float[] input, float[] gradOutput) {
        Window2d win = g.window();
        double[] v = new double[g.weightSize()];
        double[] m = new double[v.length];
        double[] bv = new double[g.o()];
        double[] bm = new double[g.o()];
        for (int b = 0; b < g.n(); b++) {
            for (int o = 0; o < g.o(); o++) {
                for (int oy = 0; oy < g.outH(); oy++) {
                    for (int ox = 0; ox < g.outW(); ox++) {
                        double go = gradOutput[g.output(b, o, oy, ox)];
                        bv[o] += go;
                        bm[o] += Math.abs(go);
                        for (int c = 0; c < g.c(); c++) {
                            for (int i = 0; i < win.kernelH(); i++) {
                                int y = g.inY(oy, i);
                                for (int j = 0; j < win.kernelW(); j++) {
                                    int x = g.inX(ox, j);
                                    if (y >= 0 && y < g.h() && x >= 0 && x < g.w()) {
                                        double prod = go * input[g.input(b, c, y, x)];
                                        v[g.weight(o, c, i, j)] += prod;
                                        m[g.weight(o, c, i, j)] += Math.abs(prod);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        int terms = g.n() * g.outH() * g.outW();
        return new Expected[] {new Expected(v, m, terms, win.kernelW()), new Expected(bv, bm, terms, g.o())};
    }

    /**
     * Max pooling: the output values and the flat {@code h * W + w} index of each, the first in row-major window
     * order among equal values, a NaN chosen over any number (the first NaN). Exact: the results are input values.
     */
    public static Pooled maxPool2d(Geometry g, float[] input) {
        Window2d win = g.window();
        float[] values = new float[g.outputSize()];
        int[] indices = new int[values.length];
        for (int b = 0; b < g.n(); b++) {
            for (int c = 0; c < g.c(); c++) {
                for (int oy = 0; oy < g.outH(); oy++) {
                    for (int ox = 0; ox < g.outW(); ox++) {
                        int best = -1;
                        for (int i = 0; i < win.kernelH(); i++) {
                            int y = g.inY(oy, i);
                            for (int j = 0; j < win.kernelW(); j++) {
                                int x = g.inX(ox, j);
                                if (y < 0 || y >= g.h() || x < 0 || x >= g.w()) {
                                    continue;
                                }
                                float candidate = input[g.input(b, c, y, x)];
                                if (best < 0) {
                                    best = y * g.w() + x;
                                    continue;
                                }
                                float max = input[g.input(b, c, 0, 0) + best];
                                boolean nanBeatsNumber = Float.isNaN(candidate) && !Float.isNaN(max);
                                if (nanBeatsNumber || candidate > max) {
                                    best = y * g.w() + x;
                                }
                            }
                        }
                        int out = g.output(b, c, oy, ox);
                        indices[out] = best;
                        values[out] = input[g.input(b, c, 0, 0) + best];
                    }
                }
            }
        }
        return new Pooled(values, indices);
    }

    /**
     * The result of {@link #maxPool2d}.
     *
     * @param values  the maxima, {@code [N, C, outH, outW]}
     * @param indices where each came from, {@code h * W + w} in its input plane
     */
    public record Pooled(float[] values, int[] indices) {
    }

    /** {@code maxPool2dBackward}: the sums of gradOutput per input position. Terms: the most windows per input. */
    public static Expected maxPool2dBackward(Geometry g, float[] gradOutput, int[] indices) {
        double[] v = new double[g.inputSize()];
        double[] m = new double[v.length];
        int plane = g.h() * g.w();
        int outPlane = g.outH() * g.outW();
        for (int p = 0; p < g.n() * g.c(); p++) {
            for (int k = 0; k < outPlane; k++) {
                v[p * plane + indices[p * outPlane + k]] += gradOutput[p * outPlane + k];
                m[p * plane + indices[p * outPlane + k]] += Math.abs(gradOutput[p * outPlane + k]);
            }
        }
        return new Expected(v, m, g.windowsPerInput(), g.w());
    }

    // ---- batch normalisation ------------------------------------------------------------------------------------

    /**
     * The results of {@link #batchNormTrain}.
     *
     * @param output      the normalised output, the input's shape
     * @param saveMean    the batch means
     * @param saveInvStd  {@code 1 / sqrt(var + eps)} of the biased batch variances
     * @param runningMean the updated running means
     * @param runningVar  the updated running variances (unbiased batch variance)
     */
    public record BatchNorm(Expected output, Expected saveMean, Expected saveInvStd, Expected runningMean, Expected runningVar) {
    }

    /**
     * Batch normalisation in training mode over {@code input: [n, channels, inner]} (inner = the product of the axes
     * after the channel), {@code M = n * inner} values per channel, statistics in double precision.
     *
     * <p>Tolerances. The mean is a sum of {@code M} terms of magnitude {@code mean |x|}: error at most
     * {@code e = tolerance(M, mean|x|)}. The variance of a stable algorithm (two passes, Welford, or a shifted sum)
     * computed around a mean that is off by {@code d} is the true variance plus {@code d^2} (the linear term cancels), so
     * its bound is {@code tolerance(M, var) + e^2}. That bound is what a naive {@code E[x^2] - E[x]^2} misses by orders of
     * magnitude when the data sit on a large common offset: its error is relative to {@code E[x^2] ≈ mean^2}, not to the
     * variance. {@code invStd} takes the range its variance bound allows (computed exactly, not linearised) plus
     * rounding; the output adds the mean's error and the invStd error, each scaled by what multiplies it.
     */
    public static BatchNorm batchNormTrain(float[] input, int n, int channels, int inner, float[] gamma, float[] beta,
            float[] runningMean, float[] runningVar, float momentum, float eps) {
        int count = n * inner;
        double[] mean = new double[channels];
        double[] meanTol = new double[channels];
        double[] var = new double[channels];
        double[] varTol = new double[channels];
        double[] inv = new double[channels];
        double[] invTol = new double[channels];
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            double abs = 0;
            for (int b = 0; b < n; b++) {
                for (int k = 0; k < inner; k++) {
                    sum += input[(b * channels + c) * inner + k];
                    abs += Math.abs(input[(b * channels + c) * inner + k]);
                }
            }
            mean[c] = sum / count;
            meanTol[c] = Tolerances.tolerance(count, abs / count);
            double squares = 0;
            for (int b = 0; b < n; b++) {
                for (int k = 0; k < inner; k++) {
                    double d = input[(b * channels + c) * inner + k] - mean[c];
                    squares += d * d;
                }
            }
            var[c] = squares / count;
            varTol[c] = Tolerances.tolerance(count, var[c]) + meanTol[c] * meanTol[c];
            inv[c] = 1 / Math.sqrt(var[c] + eps);
            double low = 1 / Math.sqrt(Math.max(var[c] - varTol[c], 0) + eps);
            double high = 1 / Math.sqrt(var[c] + varTol[c] + eps);
            invTol[c] = Math.max(low - inv[c], inv[c] - high) + Tolerances.REL * 2 * inv[c];
        }
        double[] out = new double[input.length];
        double[] outTol = new double[input.length];
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < channels; c++) {
                for (int k = 0; k < inner; k++) {
                    int at = (b * channels + c) * inner + k;
                    double centred = input[at] - mean[c];
                    double scaled = gamma[c] * centred * inv[c];
                    out[at] = scaled + beta[c];
                    outTol[at] = Math.abs(gamma[c]) * (meanTol[c] * inv[c] + Math.abs(centred) * invTol[c])
                            + Tolerances.tolerance(3, Math.abs(scaled) + Math.abs(beta[c]));
                }
            }
        }
        double[] rm = new double[channels];
        double[] rmTol = new double[channels];
        double[] rv = new double[channels];
        double[] rvTol = new double[channels];
        double unbias = count / (count - 1.0);
        for (int c = 0; c < channels; c++) {
            double keep = (1 - (double) momentum) * runningMean[c];
            rm[c] = keep + momentum * mean[c];
            rmTol[c] = Math.abs(momentum) * meanTol[c] + Tolerances.tolerance(2, Math.abs(keep) + Math.abs(momentum * mean[c]));
            double keepVar = (1 - (double) momentum) * runningVar[c];
            rv[c] = keepVar + momentum * var[c] * unbias;
            rvTol[c] = Math.abs(momentum) * varTol[c] * unbias
                    + Tolerances.tolerance(3, Math.abs(keepVar) + Math.abs(momentum * var[c] * unbias));
        }
        return new BatchNorm(within(out, outTol, inner), within(mean, meanTol, channels),
                within(inv, invTol, channels), within(rm, rmTol, channels), within(rv, rvTol, channels));
    }

    /** Batch normalisation in evaluation mode; element-wise (a subtraction, a square root and three products). */
    public static Expected batchNormEval(float[] input, int channels, int inner, float[] gamma, float[] beta,
            float[] runningMean, float[] runningVar, float eps) {
        double[] v = new double[input.length];
        double[] m = new double[input.length];
        for (int at = 0; at < input.length; at++) {
            int c = at / inner % channels;
            double inv = 1 / Math.sqrt((double) runningVar[c] + eps);
            double scaled = gamma[c] * (input[at] - (double) runningMean[c]) * inv;
            v[at] = scaled + beta[c];
            m[at] = Math.abs(gamma[c]) * inv * (Math.abs(input[at]) + Math.abs(runningMean[c])) + Math.abs(scaled) + Math.abs(beta[c]);
        }
        return new Expected(v, m, 4, inner);
    }

    /**
     * The gradients of batch normalisation from the saved statistics (as the kernel gets them, float):
     * {@code gradInput}, {@code gradGamma}, {@code gradBeta}. Terms: {@code M}. {@code xhat}'s magnitude is
     * {@code (|x| + |saveMean|) * saveInvStd} (the subtraction may cancel); gradInput's sums the magnitudes of
     * {@code M * gradOutput}, of {@code gradBeta} and of {@code xhat * gradGamma}.
     */
    public static Expected[] batchNormBackward(float[] input, float[] gradOutput, int n, int channels, int inner, float[] gamma,
            float[] saveMean, float[] saveInvStd) {
        int count = n * inner;
        double[] gb = new double[channels];
        double[] gbm = new double[channels];
        double[] gg = new double[channels];
        double[] ggm = new double[channels];
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < channels; c++) {
                for (int k = 0; k < inner; k++) {
                    int at = (b * channels + c) * inner + k;
                    double xhat = (input[at] - (double) saveMean[c]) * saveInvStd[c];
                    double xhatMag = (Math.abs(input[at]) + Math.abs(saveMean[c])) * saveInvStd[c];
                    gb[c] += gradOutput[at];
                    gbm[c] += Math.abs(gradOutput[at]);
                    gg[c] += gradOutput[at] * xhat;
                    ggm[c] += Math.abs(gradOutput[at]) * xhatMag;
                }
            }
        }
        double[] gi = new double[input.length];
        double[] gim = new double[input.length];
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < channels; c++) {
                double scale = (double) gamma[c] * saveInvStd[c] / count;
                for (int k = 0; k < inner; k++) {
                    int at = (b * channels + c) * inner + k;
                    double xhat = (input[at] - (double) saveMean[c]) * saveInvStd[c];
                    double xhatMag = (Math.abs(input[at]) + Math.abs(saveMean[c])) * saveInvStd[c];
                    gi[at] = scale * (count * (double) gradOutput[at] - gb[c] - xhat * gg[c]);
                    gim[at] = Math.abs(scale) * (count * Math.abs(gradOutput[at]) + gbm[c] + xhatMag * ggm[c] + Math.abs(xhat) * ggm[c]);
                }
            }
        }
        return new Expected[] {new Expected(gi, gim, count, inner), new Expected(gg, ggm, count, channels),
            new Expected(gb, gbm, count, channels)};
    }

    // ---- Adam ---------------------------------------------------------------------------------------------------

    /**
     * The results of {@link #adamStep}.
     *
     * @param param the parameters after the step
     * @param m     the first moment after the step
     * @param v     the second moment after the step
     */
    public record Adam(Expected param, Expected m, Expected v) {
    }

    /**
     * One Adam step with PyTorch's formula, in double precision from the given (float) state; {@code bc1, bc2} rounded
     * to float once, as the contract says. Magnitudes propagate the moments' error bounds through the update
     * {@code lr / bc1 * m / (sqrt(v / bc2) + eps)}: its error is {@code dm / D + |m| dD / D^2} scaled by
     * {@code lr / bc1}, with {@code D} the denominator.
     */
    public static Adam adamStep(float[] param, float[] grad, float[] m, float[] v, float lr, float beta1, float beta2, float eps,
            float weightDecay, int step) {
        int size = param.length;
        double bc1 = (float) (1 - Math.pow(beta1, step));
        double bc2 = (float) (1 - Math.pow(beta2, step));
        double[] p = new double[size];
        double[] pm = new double[size];
        double[] m1 = new double[size];
        double[] m1m = new double[size];
        double[] m2 = new double[size];
        double[] m2m = new double[size];
        for (int i = 0; i < size; i++) {
            double decay = (double) weightDecay * param[i];
            double g = grad[i] + decay;
            double gMag = Math.abs(grad[i]) + Math.abs(decay);
            m1[i] = beta1 * (double) m[i] + (1 - (double) beta1) * g;
            m1m[i] = Math.abs(beta1 * (double) m[i]) + (1 - (double) beta1) * gMag;
            m2[i] = beta2 * (double) v[i] + (1 - (double) beta2) * g * g;
            m2m[i] = beta2 * Math.abs((double) v[i]) + (1 - (double) beta2) * (g * g + 2 * Math.abs(g) * gMag);
            double denom = Math.sqrt(m2[i]) / Math.sqrt(bc2) + eps;
            double stepSize = lr / bc1;
            double update = stepSize * m1[i] / denom;
            p[i] = param[i] - update;
            double denomMag = (m2[i] > 0 ? m2m[i] / (2 * Math.sqrt(m2[i] * bc2)) : 0) + denom;
            pm[i] = Math.abs(param[i]) + Math.abs(stepSize) / denom * (m1m[i] + Math.abs(m1[i]) / denom * denomMag);
        }
        return new Adam(new Expected(p, pm, 4, size), new Expected(m1, m1m, 2, size), new Expected(m2, m2m, 3, size));
    }

    /**
     * Results with explicit per-element tolerances, for bounds derived above rather than from one sum: the magnitudes
     * are set so that {@link Expected#tolerance} gives back {@code tolerance[i]} (or the kit's floor, whichever is larger).
     */
    private static Expected within(double[] values, double[] tolerance, int cols) {
        double[] m = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            m[i] = Math.max(0, tolerance[i] - Tolerances.ABS) / Tolerances.REL;
        }
        return new Expected(values, m, 1, Math.max(1, cols));
    }
}
