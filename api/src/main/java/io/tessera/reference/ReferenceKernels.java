package io.tessera.reference;

import io.tessera.Tensor;
import io.tessera.spi.Kernels;
import io.tessera.spi.Philox;
import io.tessera.spi.Window2d;

import java.nio.FloatBuffer;
import java.util.Arrays;

/** Raw single-precision kernels over {@link ReferenceMemory}; arguments arrive validated by {@code CheckedKernels}. */
final class ReferenceKernels implements Kernels {

    private static float[] f(Tensor t) {
        return ((ReferenceMemory) t.memory()).floats();
    }

    private static int[] i(Tensor t) {
        return ((ReferenceMemory) t.memory()).ints();
    }

    private static int n(Tensor t) {
        return t.shape().sizeAsInt();
    }

    @Override
    public void copyFromHost(float[] src, int srcOffset, Tensor dst, long dstOffset, int count) {
        System.arraycopy(src, srcOffset, f(dst), (int) dstOffset, count);
    }

    @Override
    public void copyFromHost(int[] src, int srcOffset, Tensor dst, long dstOffset, int count) {
        System.arraycopy(src, srcOffset, i(dst), (int) dstOffset, count);
    }

    @Override
    public void copyToHost(Tensor src, long srcOffset, float[] dst, int dstOffset, int count) {
        System.arraycopy(f(src), (int) srcOffset, dst, dstOffset, count);
    }

    @Override
    public void copyToHost(Tensor src, long srcOffset, int[] dst, int dstOffset, int count) {
        System.arraycopy(i(src), (int) srcOffset, dst, dstOffset, count);
    }

    @Override
    public void copyFromBuffer(FloatBuffer src, Tensor dst, long dstOffset) {
        src.duplicate().get(f(dst), (int) dstOffset, src.remaining());
    }

    @Override
    public void copyToBuffer(Tensor src, long srcOffset, FloatBuffer dst) {
        dst.duplicate().put(f(src), (int) srcOffset, dst.remaining());
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        ReferenceMemory from = (ReferenceMemory) src.memory();
        ReferenceMemory to = (ReferenceMemory) dst.memory();
        if (from.floats() != null) {
            System.arraycopy(from.floats(), 0, to.floats(), 0, n(src));
        } else {
            System.arraycopy(from.ints(), 0, to.ints(), 0, n(src));
        }
    }

    @Override
    public void fill(Tensor t, float value) {
        ReferenceMemory m = (ReferenceMemory) t.memory();
        if (m.floats() != null) {
            Arrays.fill(m.floats(), 0, n(t), value);
        } else {
            Arrays.fill(m.ints(), 0, n(t), (int) value);
        }
    }

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        float[] x = f(a);
        float[] y = f(b);
        float[] z = f(c);
        int aCols = a.shape().dim(1);
        int bCols = b.shape().dim(1);
        int m = c.shape().dim(0);
        int n = c.shape().dim(1);
        int k = transA ? a.shape().dim(0) : aCols;
        for (int r = 0; r < m; r++) {
            for (int col = 0; col < n; col++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    float av = transA ? x[p * aCols + r] : x[r * aCols + p];
                    float bv = transB ? y[col * bCols + p] : y[p * bCols + col];
                    sum += av * bv;
                }
                int at = r * n + col;
                z[at] = beta == 0f ? alpha * sum : alpha * sum + beta * z[at];
            }
        }
    }

    @Override
    public void addBias(Tensor x, Tensor bias, Tensor out) {
        float[] in = f(x);
        float[] b = f(bias);
        float[] o = f(out);
        int cols = x.shape().dim(1);
        for (int at = 0; at < n(x); at++) {
            o[at] = in[at] + b[at % cols];
        }
    }

    @Override
    public void columnSums(Tensor x, Tensor out) {
        float[] in = f(x);
        float[] o = f(out);
        int rows = x.shape().dim(0);
        int cols = x.shape().dim(1);
        for (int col = 0; col < cols; col++) {
            float sum = 0f;
            for (int r = 0; r < rows; r++) {
                sum += in[r * cols + col];
            }
            o[col] = sum;
        }
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        float[] x = f(a);
        float[] y = f(b);
        float[] o = f(out);
        for (int at = 0; at < n(a); at++) {
            o[at] = x[at] + y[at];
        }
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        float[] x = f(a);
        float[] y = f(b);
        float[] o = f(out);
        for (int at = 0; at < n(a); at++) {
            o[at] = x[at] * y[at];
        }
    }

    @Override
    public void scale(float alpha, Tensor x, Tensor out) {
        float[] in = f(x);
        float[] o = f(out);
        for (int at = 0; at < n(x); at++) {
            o[at] = alpha * in[at];
        }
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        float[] in = f(x);
        float[] o = f(y);
        for (int at = 0; at < n(x); at++) {
            o[at] += alpha * in[at];
        }
    }

    @Override
    public void relu(Tensor x, Tensor out) {
        float[] in = f(x);
        float[] o = f(out);
        for (int at = 0; at < n(x); at++) {
            o[at] = in[at] <= 0f ? 0f : in[at];
        }
    }

    @Override
    public void reluBackward(Tensor x, Tensor gradOut, Tensor gradIn) {
        float[] in = f(x);
        float[] g = f(gradOut);
        float[] o = f(gradIn);
        for (int at = 0; at < n(x); at++) {
            o[at] = in[at] > 0f ? g[at] : 0f;
        }
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss) {
        float[] z = f(logits);
        int[] y = i(labels);
        int rows = logits.shape().dim(0);
        int cols = logits.shape().dim(1);
        float total = 0f;
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            float max = rowMax(z, base, cols);
            float sum = 0f;
            for (int col = 0; col < cols; col++) {
                sum += (float) Math.exp(z[base + col] - max);
            }
            total += (float) Math.log(sum) - (z[base + label(y[r], cols)] - max);
        }
        f(loss)[0] = total / rows;
    }

    @Override
    public void softmaxCrossEntropyBackward(Tensor logits, Tensor labels, Tensor grad) {
        float[] z = f(logits);
        int[] y = i(labels);
        float[] g = f(grad);
        int rows = logits.shape().dim(0);
        int cols = logits.shape().dim(1);
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            float max = rowMax(z, base, cols);
            float sum = 0f;
            for (int col = 0; col < cols; col++) {
                sum += (float) Math.exp(z[base + col] - max);
            }
            int target = label(y[r], cols);
            for (int col = 0; col < cols; col++) {
                float p = (float) Math.exp(z[base + col] - max) / sum;
                g[base + col] = (p - (col == target ? 1f : 0f)) / rows;
            }
        }
    }

    @Override
    public void countCorrect(Tensor logits, Tensor labels, Tensor count) {
        float[] z = f(logits);
        int[] y = i(labels);
        int rows = logits.shape().dim(0);
        int cols = logits.shape().dim(1);
        int correct = 0;
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int col = 1; col < cols; col++) {
                if (z[r * cols + col] > z[r * cols + best]) {
                    best = col;
                }
            }
            if (best == y[r]) {
                correct++;
            }
        }
        f(count)[0] += correct;
    }

    @Override
    public void sgdStep(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, float weightDecay) {
        float[] p = f(param);
        float[] g = f(grad);
        float[] v = velocity == null ? null : f(velocity);
        for (int at = 0; at < n(param); at++) {
            float step = g[at] + weightDecay * p[at];
            if (v != null) {
                v[at] = momentum * v[at] + step;
                step = v[at];
            }
            p[at] -= lr * step;
        }
    }

    // ---- convolution and pooling: direct loops over NCHW ------------------------------------------------------

    @Override
    public void conv2d(Tensor input, Tensor weight, Tensor bias, Tensor output, Window2d window) {
        float[] x = f(input);
        float[] w = f(weight);
        float[] b = bias == null ? null : f(bias);
        float[] y = f(output);
        int batch = input.shape().dim(0);
        int channels = input.shape().dim(1);
        int height = input.shape().dim(2);
        int width = input.shape().dim(3);
        int outChannels = output.shape().dim(1);
        int outH = output.shape().dim(2);
        int outW = output.shape().dim(3);
        int kH = window.kernelH();
        int kW = window.kernelW();
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < outChannels; o++) {
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        float sum = b == null ? 0f : b[o];
                        for (int c = 0; c < channels; c++) {
                            for (int i = 0; i < kH; i++) {
                                int iy = oy * window.strideH() - window.padH() + i;
                                if (iy < 0 || iy >= height) {
                                    continue;
                                }
                                for (int j = 0; j < kW; j++) {
                                    int ix = ox * window.strideW() - window.padW() + j;
                                    if (ix >= 0 && ix < width) {
                                        sum += w[((o * channels + c) * kH + i) * kW + j] * x[((n * channels + c) * height + iy) * width + ix];
                                    }
                                }
                            }
                        }
                        y[((n * outChannels + o) * outH + oy) * outW + ox] = sum;
                    }
                }
            }
        }
    }

    @Override
    public void conv2dBackwardInput(Tensor gradOutput, Tensor weight, Tensor gradInput, Window2d window) {
        float[] gy = f(gradOutput);
        float[] w = f(weight);
        float[] gx = f(gradInput);
        int batch = gradInput.shape().dim(0);
        int channels = gradInput.shape().dim(1);
        int height = gradInput.shape().dim(2);
        int width = gradInput.shape().dim(3);
        int outChannels = gradOutput.shape().dim(1);
        int outH = gradOutput.shape().dim(2);
        int outW = gradOutput.shape().dim(3);
        int kH = window.kernelH();
        int kW = window.kernelW();
        Arrays.fill(gx, 0, n(gradInput), 0f);
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < outChannels; o++) {
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        float g = gy[((n * outChannels + o) * outH + oy) * outW + ox];
                        for (int c = 0; c < channels; c++) {
                            for (int i = 0; i < kH; i++) {
                                int iy = oy * window.strideH() - window.padH() + i;
                                if (iy < 0 || iy >= height) {
                                    continue;
                                }
                                for (int j = 0; j < kW; j++) {
                                    int ix = ox * window.strideW() - window.padW() + j;
                                    if (ix >= 0 && ix < width) {
                                        gx[((n * channels + c) * height + iy) * width + ix] += w[((o * channels + c) * kH + i) * kW + j] * g;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public void conv2dBackwardWeight(Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias, Window2d window) {
        float[] x = f(input);
        float[] gy = f(gradOutput);
        float[] gw = f(gradWeight);
        float[] gb = gradBias == null ? null : f(gradBias);
        int batch = input.shape().dim(0);
        int channels = input.shape().dim(1);
        int height = input.shape().dim(2);
        int width = input.shape().dim(3);
        int outChannels = gradOutput.shape().dim(1);
        int outH = gradOutput.shape().dim(2);
        int outW = gradOutput.shape().dim(3);
        int kH = window.kernelH();
        int kW = window.kernelW();
        Arrays.fill(gw, 0, n(gradWeight), 0f);
        if (gb != null) {
            Arrays.fill(gb, 0, n(gradBias), 0f);
        }
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < outChannels; o++) {
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        float g = gy[((n * outChannels + o) * outH + oy) * outW + ox];
                        if (gb != null) {
                            gb[o] += g;
                        }
                        for (int c = 0; c < channels; c++) {
                            for (int i = 0; i < kH; i++) {
                                int iy = oy * window.strideH() - window.padH() + i;
                                if (iy < 0 || iy >= height) {
                                    continue;
                                }
                                for (int j = 0; j < kW; j++) {
                                    int ix = ox * window.strideW() - window.padW() + j;
                                    if (ix >= 0 && ix < width) {
                                        gw[((o * channels + c) * kH + i) * kW + j] += x[((n * channels + c) * height + iy) * width + ix] * g;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public void maxPool2d(Tensor input, Tensor output, Tensor indices, Window2d window) {
        float[] x = f(input);
        float[] y = f(output);
        int[] at = i(indices);
        int planes = input.shape().dim(0) * input.shape().dim(1);
        int height = input.shape().dim(2);
        int width = input.shape().dim(3);
        int outH = output.shape().dim(2);
        int outW = output.shape().dim(3);
        for (int plane = 0; plane < planes; plane++) {
            int base = plane * height * width;
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    int best = -1;
                    float max = 0f;
                    for (int i = 0; i < window.kernelH(); i++) {
                        int iy = oy * window.strideH() - window.padH() + i;
                        if (iy < 0 || iy >= height) {
                            continue;
                        }
                        for (int j = 0; j < window.kernelW(); j++) {
                            int ix = ox * window.strideW() - window.padW() + j;
                            if (ix < 0 || ix >= width) {
                                continue;
                            }
                            float v = x[base + iy * width + ix];
                            if (best < 0 || v > max || (Float.isNaN(v) && !Float.isNaN(max))) {
                                best = iy * width + ix;
                                max = v;
                            }
                        }
                    }
                    int out = (plane * outH + oy) * outW + ox;
                    y[out] = max;
                    at[out] = best;
                }
            }
        }
    }

    @Override
    public void maxPool2dBackward(Tensor gradOutput, Tensor indices, Tensor gradInput, Window2d window) {
        float[] gy = f(gradOutput);
        int[] at = i(indices);
        float[] gx = f(gradInput);
        int planes = gradInput.shape().dim(0) * gradInput.shape().dim(1);
        int plane = gradInput.shape().dim(2) * gradInput.shape().dim(3);
        int outPlane = gradOutput.shape().dim(2) * gradOutput.shape().dim(3);
        Arrays.fill(gx, 0, n(gradInput), 0f);
        for (int p = 0; p < planes; p++) {
            for (int k = 0; k < outPlane; k++) {
                gx[p * plane + at[p * outPlane + k]] += gy[p * outPlane + k];
            }
        }
    }

    // ---- batch normalisation: two passes in float (mean, then the squares of the centred values) ---------------

    /** The number of values per channel of a batch-norm input {@code [N, C, ...]}. */
    private static int inner(Tensor input) {
        int inner = 1;
        for (int d = 2; d < input.shape().rank(); d++) {
            inner *= input.shape().dim(d);
        }
        return inner;
    }

    @Override
    public void batchNormTrain(Tensor input, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
            float momentum, float eps, Tensor output, Tensor saveMean, Tensor saveInvStd) {
        float[] x = f(input);
        float[] g = f(gamma);
        float[] b = f(beta);
        float[] rm = f(runningMean);
        float[] rv = f(runningVar);
        float[] y = f(output);
        float[] sm = f(saveMean);
        float[] si = f(saveInvStd);
        int batch = input.shape().dim(0);
        int channels = input.shape().dim(1);
        int inner = inner(input);
        int count = batch * inner;
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int n = 0; n < batch; n++) {
                for (int k = 0; k < inner; k++) {
                    sum += x[(n * channels + c) * inner + k];
                }
            }
            float mean = (float) (sum / count);
            double squaresExact = 0;
            for (int n = 0; n < batch; n++) {
                for (int k = 0; k < inner; k++) {
                    double d = x[(n * channels + c) * inner + k] - sum / count;
                    squaresExact += d * d;
                }
            }
            float squares = (float) squaresExact;
            float var = squares / count;
            float invStd = (float) (1.0 / Math.sqrt(var + eps));
            for (int n = 0; n < batch; n++) {
                for (int k = 0; k < inner; k++) {
                    int at = (n * channels + c) * inner + k;
                    y[at] = g[c] * (x[at] - mean) * invStd + b[c];
                }
            }
            sm[c] = mean;
            si[c] = invStd;
            rm[c] = (1f - momentum) * rm[c] + momentum * mean;
            rv[c] = (1f - momentum) * rv[c] + momentum * (squares / (count - 1));
        }
    }

    @Override
    public void batchNormEval(Tensor input, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float eps,
            Tensor output) {
        float[] x = f(input);
        float[] g = f(gamma);
        float[] b = f(beta);
        float[] rm = f(runningMean);
        float[] rv = f(runningVar);
        float[] y = f(output);
        int channels = input.shape().dim(1);
        int inner = inner(input);
        for (int at = 0; at < n(input); at++) {
            int c = at / inner % channels;
            float invStd = (float) (1.0 / Math.sqrt(rv[c] + eps));
            y[at] = g[c] * (x[at] - rm[c]) * invStd + b[c];
        }
    }

    @Override
    public void batchNormBackward(Tensor input, Tensor gradOutput, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
            Tensor gradInput, Tensor gradGamma, Tensor gradBeta) {
        float[] x = f(input);
        float[] gy = f(gradOutput);
        float[] g = f(gamma);
        float[] sm = f(saveMean);
        float[] si = f(saveInvStd);
        float[] gx = f(gradInput);
        float[] gg = f(gradGamma);
        float[] gb = f(gradBeta);
        int batch = input.shape().dim(0);
        int channels = input.shape().dim(1);
        int inner = inner(input);
        int count = batch * inner;
        for (int c = 0; c < channels; c++) {
            float sumG = 0f;
            float sumGX = 0f;
            for (int n = 0; n < batch; n++) {
                for (int k = 0; k < inner; k++) {
                    int at = (n * channels + c) * inner + k;
                    sumG += gy[at];
                    sumGX += gy[at] * (x[at] - sm[c]) * si[c];
                }
            }
            float scale = g[c] * si[c] / count;
            for (int n = 0; n < batch; n++) {
                for (int k = 0; k < inner; k++) {
                    int at = (n * channels + c) * inner + k;
                    float xhat = (x[at] - sm[c]) * si[c];
                    gx[at] = scale * (count * gy[at] - sumG - xhat * sumGX);
                }
            }
            gg[c] = sumGX;
            gb[c] = sumG;
        }
    }

    // ---- dropout and Adam ---------------------------------------------------------------------------------------

    @Override
    public void dropoutMask(Tensor mask, float p, long seed, long offset) {
        float[] m = f(mask);
        for (int at = 0; at < n(mask); at++) {
            m[at] = Philox.maskValue(seed, offset + at, p);
        }
    }

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
            float weightDecay, int step) {
        float[] p = f(param);
        float[] g = f(grad);
        float[] m1 = f(m);
        float[] m2 = f(v);
        float bc1 = (float) (1 - Math.pow(beta1, step));
        float bc2 = (float) (1 - Math.pow(beta2, step));
        float stepSize = lr / bc1;
        float sqrtBc2 = (float) Math.sqrt(bc2);
        for (int at = 0; at < n(param); at++) {
            float gt = g[at] + weightDecay * p[at];
            m1[at] = beta1 * m1[at] + (1f - beta1) * gt;
            m2[at] = beta2 * m2[at] + (1f - beta2) * gt * gt;
            p[at] -= stepSize * m1[at] / ((float) Math.sqrt(m2[at]) / sqrtBc2 + eps);
        }
    }

    private static float rowMax(float[] z, int base, int cols) {
        float max = z[base];
        for (int col = 1; col < cols; col++) {
            max = Math.max(max, z[base + col]);
        }
        return max;
    }

    private static int label(int label, int cols) {
        if (label < 0 || label >= cols) {
            throw new IndexOutOfBoundsException("label " + label + " is outside [0, " + cols + ")");
        }
        return label;
    }

    @Override
    public void unary(io.tessera.spi.UnaryFunction f, float alpha, Tensor x, Tensor out) {
        float[] xs = f(x);
        float[] os = f(out);
        for (int i = 0; i < n(x); i++) {
            os[i] = (float) f.apply(xs[i], alpha);
        }
    }

    @Override
    public void unaryBackward(io.tessera.spi.UnaryFunction f, float alpha, Tensor x, Tensor gradOut, Tensor gradIn) {
        float[] xs = f(x);
        float[] go = f(gradOut);
        float[] gi = f(gradIn);
        for (int i = 0; i < n(x); i++) {
            gi[i] = (float) (go[i] * f.derivative(xs[i], alpha));
        }
    }

    @Override
    public void binary(io.tessera.spi.BinaryFunction f, Tensor a, int aInner, Tensor b, int bInner, Tensor out) {
        float[] as = f(a);
        float[] bs = f(b);
        float[] os = f(out);
        int na = n(a);
        int nb = n(b);
        for (int i = 0; i < n(out); i++) {
            os[i] = (float) f.apply(as[(i / aInner) % na], bs[(i / bInner) % nb]);
        }
    }

    @Override
    public void reduceSum(Tensor x, int n, int inner, Tensor out) {
        float[] xs = f(x);
        float[] os = f(out);
        int outer = n(x) / (n * inner);
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < inner; k++) {
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += xs[(o * n + j) * inner + k];
                }
                os[o * inner + k] = (float) sum;
            }
        }
    }

    @Override
    public void reduceMax(Tensor x, int n, int inner, Tensor out, Tensor indices) {
        float[] xs = f(x);
        float[] os = f(out);
        int[] is = i(indices);
        int outer = n(x) / (n * inner);
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < inner; k++) {
                int best = 0;
                float max = xs[o * n * inner + k];
                for (int j = 1; j < n && !Float.isNaN(max); j++) {
                    float v = xs[(o * n + j) * inner + k];
                    if (v > max || Float.isNaN(v)) {
                        max = v;
                        best = j;
                    }
                }
                os[o * inner + k] = max;
                is[o * inner + k] = best;
            }
        }
    }

    @Override
    public void reduceMaxBackward(Tensor gradOut, Tensor indices, int n, int inner, Tensor gradIn) {
        float[] go = f(gradOut);
        int[] is = i(indices);
        float[] gi = f(gradIn);
        Arrays.fill(gi, 0, n(gradIn), 0f);
        for (int r = 0; r < n(gradOut); r++) {
            int j = is[r];
            if (j >= 0 && j < n) {
                int o = r / inner;
                int k = r % inner;
                gi[(o * n + j) * inner + k] = go[r];
            }
        }
    }

    @Override
    public void copyStrided(Tensor src, io.tessera.spi.Strides srcAt, Tensor dst, io.tessera.spi.Strides dstAt, int n0,
            int n1, int n2) {
        float[] ss = f(src);
        float[] ds = f(dst);
        for (int a = 0; a < n0; a++) {
            for (int b = 0; b < n1; b++) {
                for (int c = 0; c < n2; c++) {
                    ds[(int) dstAt.index(a, b, c)] = ss[(int) srcAt.index(a, b, c)];
                }
            }
        }
    }

    @Override
    public void gatherRows(Tensor table, Tensor indices, Tensor out) {
        float[] ts = f(table);
        int[] is = i(indices);
        float[] os = f(out);
        int rows = table.shape().dim(0);
        int d = table.shape().dim(1);
        for (int r = 0; r < n(indices); r++) {
            System.arraycopy(ts, row("gatherRows", is, r, rows) * d, os, r * d, d);
        }
    }

    @Override
    public void scatterAddRows(Tensor grad, Tensor indices, Tensor table) {
        float[] gs = f(grad);
        int[] is = i(indices);
        float[] ts = f(table);
        int rows = table.shape().dim(0);
        int d = table.shape().dim(1);
        for (int r = 0; r < n(indices); r++) {
            int base = row("scatterAddRows", is, r, rows) * d;
            for (int c = 0; c < d; c++) {
                ts[base + c] += gs[r * d + c];
            }
        }
    }

    private static int row(String op, int[] indices, int position, int rows) {
        if (indices[position] < 0 || indices[position] >= rows) {
            throw new IndexOutOfBoundsException(op + ": index " + indices[position] + " at position " + position
                    + " is outside the table's " + rows + " rows");
        }
        return indices[position];
    }
}
