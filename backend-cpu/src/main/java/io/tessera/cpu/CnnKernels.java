package io.tessera.cpu;

import io.tessera.spi.Window2d;

import java.util.Arrays;

/**
 * The CPU backend's CNN kernels on heap arrays (NCHW). Convolutions are im2col + GEMM one image at a time: the images
 * are tasks on {@link CpuThreads}, each thread unrolls its image into its own scratch buffer and multiplies on the
 * {@link Gemm#serial} path straight into the image's slice of the output; the weight gradient is accumulated per
 * fixed group of images and the groups' partial sums are added in group order, so results do not depend on which
 * thread ran what. The memory-bound kernels (pooling, batch-norm, dropout, Adam) are single passes split over
 * threads by planes, channels or ranges when large enough.
 */
final class CnnKernels {
    /** Multiply-adds from which a convolution is split over threads (images are the tasks). */
    static final long PARALLEL_MACS = Long.getLong("tessera.cpu.parallelConvWork", 1L << 18);

    private final Gemm gemm;
    private final RowKernels rows;
    private final CpuThreads threads;
    private final ThreadLocal<float[][]> cols = ThreadLocal.withInitial(() -> new float[1][0]);
    /** Partial weight (and bias) gradients per group of images; kernels are issued by one thread at a time. */
    private float[] partials = new float[0];

    CnnKernels(Gemm gemm, RowKernels rows, CpuThreads threads) {
        this.gemm = gemm;
        this.rows = rows;
        this.threads = threads;
    }

    private float[] cols(int size) {
        float[][] holder = cols.get();
        if (holder[0].length < size) {
            holder[0] = new float[size];
        }
        return holder[0];
    }

    private static boolean identity(Window2d w) {
        return w.kernelH() == 1 && w.kernelW() == 1 && w.strideH() == 1 && w.strideW() == 1 && w.padH() == 0 && w.padW() == 0;
    }

    // ---- convolution ----------------------------------------------------------------------------------------------

    void conv2d(float[] in, int batch, int channels, int height, int width, float[] weight, float[] bias, int outChannels,
                float[] out, Window2d w) {
        int oh = w.outHeight(height);
        int ow = w.outWidth(width);
        int k = channels * w.kernelH() * w.kernelW();
        int p = oh * ow;
        int inStride = channels * height * width;
        int outStride = outChannels * p;
        boolean direct = identity(w);
        threads.run((long) batch * outStride * k >= PARALLEL_MACS, batch, n -> {
            float[] b = in;
            int bOff = n * inStride;
            if (!direct) {
                b = cols(k * p);
                bOff = 0;
                im2col(in, n * inStride, channels, height, width, w, oh, ow, b);
            }
            int cOff = n * outStride;
            float beta = 0f;
            if (bias != null) {
                for (int o = 0; o < outChannels; o++) {
                    Arrays.fill(out, cOff + o * p, cOff + (o + 1) * p, bias[o]);
                }
                beta = 1f;
            }
            gemm.serial(false, false, outChannels, p, k, 1f, weight, 0, b, bOff, beta, out, cOff);
        });
    }

    void conv2dBackwardInput(float[] gradOut, float[] weight, int outChannels, float[] gradIn, int batch, int channels,
                             int height, int width, Window2d w) {
        int oh = w.outHeight(height);
        int ow = w.outWidth(width);
        int k = channels * w.kernelH() * w.kernelW();
        int p = oh * ow;
        int inStride = channels * height * width;
        int outStride = outChannels * p;
        boolean direct = identity(w);
        threads.run((long) batch * outStride * k >= PARALLEL_MACS, batch, n -> {
            if (direct) {
                gemm.serial(true, false, k, p, outChannels, 1f, weight, 0, gradOut, n * outStride, 0f, gradIn, n * inStride);
                return;
            }
            float[] c = cols(k * p);
            gemm.serial(true, false, k, p, outChannels, 1f, weight, 0, gradOut, n * outStride, 0f, c, 0);
            col2im(c, channels, height, width, w, oh, ow, gradIn, n * inStride, rows);
        });
    }

    void conv2dBackwardWeight(float[] in, int batch, int channels, int height, int width, float[] gradOut, int outChannels,
                              float[] gradWeight, float[] gradBias, Window2d w) {
        int oh = w.outHeight(height);
        int ow = w.outWidth(width);
        int k = channels * w.kernelH() * w.kernelW();
        int p = oh * ow;
        int inStride = channels * height * width;
        int outStride = outChannels * p;
        int wSize = outChannels * k;
        boolean direct = identity(w);
        boolean parallel = (long) batch * outStride * k >= PARALLEL_MACS;
        // With few taps per output channel (a first layer: k = 9), the product is computed transposed,
        // [K, O] = cols [K, P] x gradOut^T [P, O], so that C is O wide rather than k, and transposed once at the end.
        boolean transposed = k < outChannels;
        // Fixed groups of images (independent of scheduling): each has its own partial sums, added in group order.
        int groups = parallel ? Math.min(batch, Math.max(8, 2 * threads.threads())) : 1;
        int per = (batch + groups - 1) / groups;
        int count = (batch + per - 1) / per;
        int stride = wSize + outChannels;
        if (partials.length < count * stride) {
            partials = new float[count * stride];
        }
        float[] part = partials;
        threads.run(parallel, count, g -> {
            int base = g * stride;
            int biasBase = base + wSize;
            Arrays.fill(part, biasBase, biasBase + outChannels, 0f);
            for (int n = g * per, end = Math.min(batch, n + per), first = n; n < end; n++) {
                float[] b = in;
                int bOff = n * inStride;
                if (!direct) {
                    b = cols(k * p);
                    bOff = 0;
                    im2col(in, n * inStride, channels, height, width, w, oh, ow, b);
                }
                float beta = n == first ? 0f : 1f;
                if (transposed) {
                    gemm.serial(false, true, k, outChannels, p, 1f, b, bOff, gradOut, n * outStride, beta, part, base);
                } else {
                    gemm.serial(false, true, outChannels, k, p, 1f, gradOut, n * outStride, b, bOff, beta, part, base);
                }
                if (gradBias != null) {
                    for (int o = 0; o < outChannels; o++) {
                        part[biasBase + o] += sum(gradOut, n * outStride + o * p, p);
                    }
                }
            }
        });
        for (int g = 1; g < count; g++) {
            int base = g * stride;
            for (int i = 0; i < wSize; i++) {
                part[i] += part[base + i];
            }
        }
        if (transposed) {
            for (int r = 0; r < k; r++) {
                for (int o = 0; o < outChannels; o++) {
                    gradWeight[o * k + r] = part[r * outChannels + o];
                }
            }
        } else {
            System.arraycopy(part, 0, gradWeight, 0, wSize);
        }
        if (gradBias != null) {
            System.arraycopy(part, wSize, gradBias, 0, outChannels);
            for (int g = 1; g < count; g++) {
                int base = g * stride + wSize;
                for (int o = 0; o < outChannels; o++) {
                    gradBias[o] += part[base + o];
                }
            }
        }
    }

    /** The sum of {@code len} floats from {@code off}, in eight independent chains (a single chain waits on each add). */
    static float sum(float[] a, int off, int len) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        float s4 = 0f;
        float s5 = 0f;
        float s6 = 0f;
        float s7 = 0f;
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
            s4 += a[i + 4];
            s5 += a[i + 5];
            s6 += a[i + 6];
            s7 += a[i + 7];
        }
        for (; i < end; i++) {
            s0 += a[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /**
     * Unrolls one image ({@code [C, H, W]} at {@code off}) into {@code cols}: row {@code (c * kH + i) * kW + j}, column
     * {@code y * outW + x} holds the input under kernel tap {@code (i, j)} of output position {@code (y, x)}, 0 in the padding.
     */
    static void im2col(float[] in, int off, int channels, int height, int width, Window2d w, int oh, int ow, float[] cols) {
        int kh = w.kernelH();
        int kw = w.kernelW();
        int sh = w.strideH();
        int sw = w.strideW();
        int ph = w.padH();
        int pw = w.padW();
        int p = oh * ow;
        int row = 0;
        for (int c = 0; c < channels; c++) {
            int plane = off + c * height * width;
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++, row++) {
                    // Output columns x whose input column x * sw - pw + j lies in [0, width).
                    int x0 = Math.max(0, ceilDiv(pw - j, sw));
                    int x1 = Math.min(ow, ceilDiv(width + pw - j, sw));
                    int dst = row * p;
                    for (int y = 0; y < oh; y++, dst += ow) {
                        int ih = y * sh - ph + i;
                        if (ih < 0 || ih >= height || x0 >= x1) {
                            Arrays.fill(cols, dst, dst + ow, 0f);
                            continue;
                        }
                        if (x0 > 0) {
                            Arrays.fill(cols, dst, dst + x0, 0f);
                        }
                        int src = plane + ih * width - pw + j;
                        if (sw == 1) {
                            System.arraycopy(in, src + x0, cols, dst + x0, x1 - x0);
                        } else {
                            for (int x = x0; x < x1; x++) {
                                cols[dst + x] = in[src + x * sw];
                            }
                        }
                        if (x1 < ow) {
                            Arrays.fill(cols, dst + x1, dst + ow, 0f);
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #im2col}: overwrites the image at {@code off} with the sums of the columns over its positions. */
    static void col2im(float[] cols, int channels, int height, int width, Window2d w, int oh, int ow, float[] img, int off,
                       RowKernels rows) {
        int kh = w.kernelH();
        int kw = w.kernelW();
        int sh = w.strideH();
        int sw = w.strideW();
        int ph = w.padH();
        int pw = w.padW();
        int p = oh * ow;
        Arrays.fill(img, off, off + channels * height * width, 0f);
        int row = 0;
        for (int c = 0; c < channels; c++) {
            int plane = off + c * height * width;
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++, row++) {
                    int x0 = Math.max(0, ceilDiv(pw - j, sw));
                    int x1 = Math.min(ow, ceilDiv(width + pw - j, sw));
                    if (x0 >= x1) {
                        continue;
                    }
                    int src = row * p;
                    for (int y = 0; y < oh; y++, src += ow) {
                        int ih = y * sh - ph + i;
                        if (ih < 0 || ih >= height) {
                            continue;
                        }
                        int dst = plane + ih * width - pw + j;
                        if (sw == 1) {
                            rows.accumulate(cols, src + x0, img, dst + x0, x1 - x0);
                        } else {
                            for (int x = x0; x < x1; x++) {
                                img[dst + x * sw] += cols[src + x];
                            }
                        }
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    // ---- max pooling ------------------------------------------------------------------------------------------------

    void maxPool2d(float[] in, int planes, int height, int width, float[] out, int[] indices, Window2d w) {
        int oh = w.outHeight(height);
        int ow = w.outWidth(width);
        int inPlane = height * width;
        int outPlane = oh * ow;
        int kh = w.kernelH();
        int kw = w.kernelW();
        int sh = w.strideH();
        int sw = w.strideW();
        int ph = w.padH();
        int pw = w.padW();
        if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0) {
            threads.items(planes, inPlane, q -> maxPool2x2(in, q * inPlane, width, oh, ow, out, indices, q * outPlane));
            return;
        }
        threads.items(planes, inPlane, q -> {
            int src = q * inPlane;
            int dst = q * outPlane;
            for (int y = 0; y < oh; y++) {
                int h0 = Math.max(0, y * sh - ph);
                int h1 = Math.min(height, y * sh - ph + kh);
                for (int x = 0; x < ow; x++, dst++) {
                    int w0 = Math.max(0, x * sw - pw);
                    int w1 = Math.min(width, x * sw - pw + kw);
                    int best = h0 * width + w0;
                    float max = in[src + best];
                    if (max == max) {
                        search:
                        for (int h = h0; h < h1; h++) {
                            for (int c = w0, at = h * width + w0; c < w1; c++, at++) {
                                float v = in[src + at];
                                if (v > max) {
                                    max = v;
                                    best = at;
                                } else if (v != v) {
                                    max = v;
                                    best = at;
                                    break search;
                                }
                            }
                        }
                    }
                    out[dst] = max;
                    indices[dst] = best;
                }
            }
        });
    }

    /**
     * The 2x2 stride-2 window without branches (data-dependent float selects compile to jumps that mispredict on
     * half the windows: 6.2 ms vs 2.9 ms per million inputs here): floats are compared as order-preserving integer
     * keys ({@link #orderKey}) and the winner's value bits and index picked with masks. Picks the same element as the
     * general scan: the first largest in reading order, the first NaN if any.
     */
    private static void maxPool2x2(float[] in, int src, int width, int oh, int ow, float[] out, int[] indices, int dst) {
        for (int y = 0; y < oh; y++) {
            int row = 2 * y * width;
            for (int x = 0; x < ow; x++, dst++) {
                int i0 = row + 2 * x;
                int i2 = i0 + width;
                int va = Float.floatToRawIntBits(in[src + i0]);
                int vb = Float.floatToRawIntBits(in[src + i0 + 1]);
                int vc = Float.floatToRawIntBits(in[src + i2]);
                int vd = Float.floatToRawIntBits(in[src + i2 + 1]);
                int ka;
                int kb;
                int kc;
                int kd;
                if ((va | vb | vc | vd) >= 0) {
                    // No sign bit set (always so after a ReLU): the bits themselves order as the floats, NaN on top.
                    ka = va;
                    kb = vb;
                    kc = vc;
                    kd = vd;
                } else {
                    ka = orderKey(va);
                    kb = orderKey(vb);
                    kc = orderKey(vc);
                    kd = orderKey(vd);
                }
                int tb = lessMask(ka, kb);
                int td = lessMask(kc, kd);
                int kab = ka ^ ((ka ^ kb) & tb);
                int kcd = kc ^ ((kc ^ kd) & td);
                int vab = va ^ ((va ^ vb) & tb);
                int vcd = vc ^ ((vc ^ vd) & td);
                int iab = i0 - tb;
                int icd = i2 - td;
                int tr = lessMask(kab, kcd);
                out[dst] = Float.intBitsToFloat(vab ^ ((vab ^ vcd) & tr));
                indices[dst] = iab ^ ((iab ^ icd) & tr);
            }
        }
    }

    /**
     * An integer that orders as the float with these bits does, with -0 equal to +0 and every NaN (of either sign)
     * above +infinity: the max-pool's order, computed without branches.
     */
    static int orderKey(int bits) {
        int sign = bits >> 31;
        int magnitude = bits & 0x7FFFFFFF;
        int key = (magnitude ^ sign) - sign;
        int nan = (0x7F800000 - magnitude) >> 31;
        return (key & ~nan) | (Integer.MAX_VALUE & nan);
    }

    /** All ones when {@code a < b}, else 0. */
    private static int lessMask(int a, int b) {
        return (int) (((long) a - b) >> 63);
    }

    void maxPool2dBackward(float[] gradOut, int[] indices, int planes, int outPlane, float[] gradIn, int inPlane) {
        threads.items(planes, inPlane, q -> {
            int base = q * inPlane;
            Arrays.fill(gradIn, base, base + inPlane, 0f);
            for (int i = q * outPlane, end = i + outPlane; i < end; i++) {
                gradIn[base + indices[i]] += gradOut[i];
            }
        });
    }

    // ---- batch normalisation ----------------------------------------------------------------------------------------

    /** Per channel {@code c}: the values at {@code n * C * inner + c * inner + l}. */
    void batchNormTrain(float[] in, int batch, int channels, int inner, float[] gamma, float[] beta, float[] runMean,
                        float[] runVar, float momentum, float eps, float[] out, float[] saveMean, float[] saveInvStd) {
        long m = (long) batch * inner;
        threads.run(threads.splits(m * channels), channels, c -> {
            double sum = 0;
            for (int n = 0; n < batch; n++) {
                int off = (n * channels + c) * inner;
                for (int l = 0; l < inner; l++) {
                    sum += in[off + l];
                }
            }
            double mean = sum / m;
            double sq = 0;
            for (int n = 0; n < batch; n++) {
                int off = (n * channels + c) * inner;
                for (int l = 0; l < inner; l++) {
                    double d = in[off + l] - mean;
                    sq += d * d;
                }
            }
            double var = sq / m;
            double invStd = 1.0 / Math.sqrt(var + eps);
            // x - mean as (x - meanF) - rest: the first difference is exact for x near a large mean, the rest small.
            float meanF = (float) mean;
            float rest = (float) (mean - meanF);
            float scale = (float) (gamma[c] * invStd);
            float shift = beta[c];
            for (int n = 0; n < batch; n++) {
                int off = (n * channels + c) * inner;
                for (int l = 0; l < inner; l++) {
                    out[off + l] = ((in[off + l] - meanF) - rest) * scale + shift;
                }
            }
            saveMean[c] = meanF;
            saveInvStd[c] = (float) invStd;
            runMean[c] = (float) ((1.0 - momentum) * runMean[c] + (double) momentum * mean);
            runVar[c] = (float) ((1.0 - momentum) * runVar[c] + (double) momentum * var * m / (m - 1));
        });
    }

    void batchNormEval(float[] in, int batch, int channels, int inner, float[] gamma, float[] beta, float[] runMean,
                       float[] runVar, float eps, float[] out) {
        threads.run(threads.splits((long) batch * inner * channels), channels, c -> {
            float mean = runMean[c];
            float scale = (float) (gamma[c] / Math.sqrt((double) runVar[c] + eps));
            float shift = beta[c];
            for (int n = 0; n < batch; n++) {
                int off = (n * channels + c) * inner;
                for (int l = 0; l < inner; l++) {
                    out[off + l] = (in[off + l] - mean) * scale + shift;
                }
            }
        });
    }

    void batchNormBackward(float[] in, float[] gradOut, int batch, int channels, int inner, float[] gamma, float[] saveMean,
                           float[] saveInvStd, float[] gradIn, float[] gradGamma, float[] gradBeta) {
        long m = (long) batch * inner;
        threads.run(threads.splits(m * channels), channels, c -> {
            float mean = saveMean[c];
            float invStd = saveInvStd[c];
            double sumG = 0;
            double sumGX = 0;
            for (int n = 0; n < batch; n++) {
                int off = (n * channels + c) * inner;
                for (int l = 0; l < inner; l++) {
                    float g = gradOut[off + l];
                    sumG += g;
                    sumGX += (double) g * ((in[off + l] - mean) * invStd);
                }
            }
            float gb = (float) sumG;
            float gg = (float) sumGX;
            gradBeta[c] = gb;
            gradGamma[c] = gg;
            float k = (float) ((double) gamma[c] * invStd / m);
            float mf = (float) m;
            for (int n = 0; n < batch; n++) {
                int off = (n * channels + c) * inner;
                for (int l = 0; l < inner; l++) {
                    float xhat = (in[off + l] - mean) * invStd;
                    gradIn[off + l] = k * (mf * gradOut[off + l] - gb - xhat * gg);
                }
            }
        });
    }

    // ---- dropout ----------------------------------------------------------------------------------------------------

    private static final long M0 = 0xD2511F53L;
    private static final long M1 = 0xCD9E8D57L;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;

    void dropoutMask(float[] mask, int size, float p, long seed, long offset) {
        int keep = Float.floatToRawIntBits(1f / (1f - p));
        // (word >>> 8) * 2^-24 < p, the reference's test, holds exactly when the 24-bit integer is below ceil(p * 2^24).
        int threshold = (int) Math.ceil(p * 0x1.0p24);
        threads.ranges(size, (lo, hi) -> dropoutRange(mask, lo, hi, threshold, keep, seed, offset));
    }

    /** Elements {@code [lo, hi)} of the mask: Philox4x32-10, one block of four words per four consecutive elements. */
    private static void dropoutRange(float[] mask, int lo, int hi, int threshold, int keep, long seed, long offset) {
        int key0 = (int) seed;
        int key1 = (int) (seed >>> 32);
        int i = lo;
        while (i < hi) {
            long j = offset + i;
            long block = j >>> 2;
            int lane = (int) (j & 3);
            int c0 = (int) block;
            int c1 = (int) (block >>> 32);
            int c2 = 0;
            int c3 = 0;
            int k0 = key0;
            int k1 = key1;
            for (int round = 0; round < 10; round++) {
                long p0 = M0 * (c0 & 0xFFFFFFFFL);
                long p1 = M1 * (c2 & 0xFFFFFFFFL);
                int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
                int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
                c1 = (int) p1;
                c3 = (int) p0;
                c0 = n0;
                c2 = n2;
                k0 += W0;
                k1 += W1;
            }
            if (lane == 0 && i + 4 <= hi) {
                mask[i] = value(c0, threshold, keep);
                mask[i + 1] = value(c1, threshold, keep);
                mask[i + 2] = value(c2, threshold, keep);
                mask[i + 3] = value(c3, threshold, keep);
                i += 4;
                continue;
            }
            for (; lane < 4 && i < hi; lane++, i++) {
                int word = lane == 0 ? c0 : lane == 1 ? c1 : lane == 2 ? c2 : c3;
                mask[i] = value(word, threshold, keep);
            }
        }
    }

    /** 0 when the word's top 24 bits are below the threshold, else the bits {@code keep}; without a branch, which would mispredict. */
    private static float value(int word, int threshold, int keep) {
        int dropped = ((word >>> 8) - threshold) >> 31;
        return Float.intBitsToFloat(keep & ~dropped);
    }

    // ---- Adam -------------------------------------------------------------------------------------------------------

    void adamStep(float[] param, float[] grad, float[] m, float[] v, int size, float lr, float beta1, float beta2, float eps,
                  float weightDecay, int step) {
        float bc1 = (float) (1.0 - Math.pow(beta1, step));
        float bc2 = (float) (1.0 - Math.pow(beta2, step));
        float stepSize = lr / bc1;
        float sqrtBc2 = (float) Math.sqrt(bc2);
        float oneMinusB1 = 1f - beta1;
        float oneMinusB2 = 1f - beta2;
        threads.ranges(size, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                float g = grad[i] + weightDecay * param[i];
                float mi = beta1 * m[i] + oneMinusB1 * g;
                float vi = beta2 * v[i] + oneMinusB2 * g * g;
                m[i] = mi;
                v[i] = vi;
                param[i] -= stepSize * mi / ((float) Math.sqrt(vi) / sqrtBc2 + eps);
            }
        });
    }
}
