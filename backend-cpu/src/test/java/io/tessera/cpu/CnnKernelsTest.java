package io.tessera.cpu;

import io.tessera.spi.Philox;
import io.tessera.spi.Window2d;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link CnnKernels} against naive loops on both GEMMs, single- and multi-threaded, on what the conformance kit may not
 * reach: batches split over threads, strided and padded windows with the 1x1 shortcut, and dropout ranges that start and end inside Philox blocks.
 */
class CnnKernelsTest {
    private static final Window2d[] WINDOWS = {
        Window2d.square(3, 1, 0), Window2d.square(3, 2, 1), new Window2d(2, 3, 1, 2, 1, 0), Window2d.square(1, 1, 0),
        Window2d.square(5, 3, 2),
    };

    private static Gemm[] gemms() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return new Gemm[] {new EjmlGemm(false)};
        }
        return new Gemm[] {new VectorGemm(1), new EjmlGemm(false)};
    }

    /** The row loops that go with the GEMM, as the provider pairs them. */
    private static RowKernels rows(Gemm gemm) {
        return gemm instanceof VectorGemm ? new VectorRowKernels() : RowKernels.SCALAR;
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextFloat() * 2 - 1;
        }
        return a;
    }

    @Test
    void convolutionsMatchNaiveLoops() {
        Random r = new Random(7);
        int batch = 5;
        int channels = 3;
        int outChannels = 4;
        int height = 9;
        int width = 8;
        for (Gemm gemm : gemms()) {
            for (int threads : new int[] {1, 3}) {
                CnnKernels cnn = new CnnKernels(gemm, rows(gemm), new CpuThreads(threads));
                for (Window2d w : WINDOWS) {
                    int oh = w.outHeight(height);
                    int ow = w.outWidth(width);
                    int kk = w.kernelH() * w.kernelW();
                    float[] in = random(r, batch * channels * height * width);
                    float[] wt = random(r, outChannels * channels * kk);
                    float[] bias = random(r, outChannels);
                    float[] go = random(r, batch * outChannels * oh * ow);
                    float[] out = new float[go.length];
                    float[] gi = new float[in.length];
                    float[] gw = new float[wt.length];
                    float[] gb = new float[outChannels];
                    java.util.Arrays.fill(gi, Float.NaN);
                    java.util.Arrays.fill(gw, Float.NaN);
                    cnn.conv2d(in, batch, channels, height, width, wt, bias, outChannels, out, w);
                    cnn.conv2dBackwardInput(go, wt, outChannels, gi, batch, channels, height, width, w);
                    cnn.conv2dBackwardWeight(in, batch, channels, height, width, go, outChannels, gw, gb, w);
                    double[] eOut = new double[out.length];
                    double[] eGi = new double[gi.length];
                    double[] eGw = new double[gw.length];
                    double[] eGb = new double[gb.length];
                    for (int n = 0; n < batch; n++) {
                        for (int o = 0; o < outChannels; o++) {
                            for (int y = 0; y < oh; y++) {
                                for (int x = 0; x < ow; x++) {
                                    int oi = ((n * outChannels + o) * oh + y) * ow + x;
                                    double s = bias[o];
                                    eGb[o] += go[oi];
                                    for (int c = 0; c < channels; c++) {
                                        for (int i = 0; i < w.kernelH(); i++) {
                                            for (int j = 0; j < w.kernelW(); j++) {
                                                int h = y * w.strideH() - w.padH() + i;
                                                int v = x * w.strideW() - w.padW() + j;
                                                if (h < 0 || h >= height || v < 0 || v >= width) {
                                                    continue;
                                                }
                                                int ii = ((n * channels + c) * height + h) * width + v;
                                                int wi = ((o * channels + c) * w.kernelH() + i) * w.kernelW() + j;
                                                s += (double) wt[wi] * in[ii];
                                                eGi[ii] += (double) wt[wi] * go[oi];
                                                eGw[wi] += (double) in[ii] * go[oi];
                                            }
                                        }
                                    }
                                    eOut[oi] = s;
                                }
                            }
                        }
                    }
                    String what = gemm.name() + ", " + threads + " threads, " + w;
                    close(eOut, out, what + ": output");
                    close(eGi, gi, what + ": grad input");
                    close(eGw, gw, what + ": grad weight");
                    close(eGb, gb, what + ": grad bias");
                }
            }
        }
    }

    private static void close(double[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), what + " at " + i);
        }
    }

    @Test
    void twoByTwoMaxPoolPicksTheFirstNaNElseTheFirstMaximum() {
        float negativeNaN = Float.intBitsToFloat(0xFFC00000);
        float[] specials = {Float.NaN, negativeNaN, 0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f, -1f,
            Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE};
        Random r = new Random(11);
        int planes = 40;
        int size = 24;
        float[] in = new float[planes * size * size];
        for (int i = 0; i < in.length; i++) {
            in[i] = r.nextInt(3) == 0 ? specials[r.nextInt(specials.length)] : r.nextInt(5) - 2;
        }
        int outPlane = size / 2 * (size / 2);
        float[] out = new float[planes * outPlane];
        int[] indices = new int[out.length];
        new CnnKernels(new EjmlGemm(false), RowKernels.SCALAR, new CpuThreads(2)).maxPool2d(in, planes, size, size, out, indices, Window2d.square(2, 2, 0));
        for (int q = 0, o = 0; q < planes; q++) {
            for (int y = 0; y < size / 2; y++) {
                for (int x = 0; x < size / 2; x++, o++) {
                    int best = -1;
                    for (int at : new int[] {2 * y * size + 2 * x, 2 * y * size + 2 * x + 1, (2 * y + 1) * size + 2 * x,
                        (2 * y + 1) * size + 2 * x + 1}) {
                        float v = in[q * size * size + at];
                        float max = best < 0 ? 0f : in[q * size * size + best];
                        if (best < 0 || (max == max && (v != v || v > max))) {
                            best = at;
                        }
                    }
                    String where = "plane " + q + " window (" + y + ", " + x + ")";
                    assertEquals(best, indices[o], where);
                    assertEquals(Float.floatToRawIntBits(in[q * size * size + best]), Float.floatToRawIntBits(out[o]), where);
                }
            }
        }
    }

    @Test
    void dropoutIsPhiloxBitForBitFromAnyOffset() {
        CnnKernels cnn = new CnnKernels(new EjmlGemm(false), RowKernels.SCALAR, new CpuThreads(2));
        long seed = 0x1234_5678_9ABC_DEF0L;
        for (long offset : new long[] {0, 1, 3, 6, (1L << 34) - 2}) {
            for (int size : new int[] {1, 2, 5, 7, 5003}) {
                float[] mask = new float[size];
                cnn.dropoutMask(mask, size, 0.3f, seed, offset);
                for (int i = 0; i < size; i++) {
                    assertEquals(Philox.maskValue(seed, offset + i, 0.3f), mask[i], "offset " + offset + " element " + i);
                }
            }
        }
    }
}
