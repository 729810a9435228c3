package io.tessera.opencl.jocl;

import io.tessera.DType;
import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.spi.CheckedKernels;
import io.tessera.spi.Kernels;
import io.tessera.spi.Philox;
import io.tessera.spi.Window2d;
import io.tessera.reference.ReferenceDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CNN kernels of {@link ClCnn} against the conformance kit's Java reference kernels, on both SGEMM variants and
 * with the convolution's batch split into several chunks; scratch must go back to the pool.
 */
class CnnKernelsTest {
    private static final Device REF = new ReferenceDevice("cnn-reference:0");

    /** {N, C, H, W, O, kH, kW, sH, sW, pH, pW}. */
    private static final int[][] CONVS = {
            {2, 3, 7, 6, 4, 3, 3, 1, 1, 0, 0},
            {3, 2, 8, 9, 5, 3, 2, 2, 1, 1, 0},
            {1, 1, 5, 5, 1, 1, 1, 1, 1, 0, 0},
            {2, 4, 9, 7, 3, 5, 3, 2, 3, 2, 1},
            {4, 3, 6, 6, 70, 2, 2, 2, 2, 1, 1},
    };

    static Stream<Arguments> convCases() {
        List<Arguments> out = new ArrayList<>();
        for (GemmVariant v : GemmVariant.values()) {
            for (int[] c : CONVS) {
                out.add(Arguments.of(v, c, false));
                out.add(Arguments.of(v, c, true));
            }
        }
        return out.stream();
    }

    private static Kernels kernels(JoclDevice device, GemmVariant variant, boolean chunked) {
        ClKernels raw = new ClKernels(device.context(), variant);
        if (chunked) {
            raw.cnn().scratchLimit(1);
        }
        return CheckedKernels.wrap(device, raw);
    }

    private static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextFloat() * 2 - 1;
        }
        return a;
    }

    private static void close(float[] want, float[] got, double tol, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(want[i] - got[i]);
            assertTrue(err <= tol * (1 + Math.abs(want[i])), what + "[" + i + "]: want " + want[i] + " got " + got[i]);
        }
    }

    @ParameterizedTest(name = "{0} {1} chunked={2}")
    @MethodSource("convCases")
    void convolutionMatchesReference(GemmVariant variant, int[] c, boolean chunked) {
        JoclDevice device = OpenCl.device();
        long live = device.liveAllocations();
        Kernels k = kernels(device, variant, chunked);
        Window2d win = new Window2d(c[5], c[6], c[7], c[8], c[9], c[10]);
        int outH = win.outHeight(c[2]);
        int outW = win.outWidth(c[3]);
        Shape in = Shape.of(c[0], c[1], c[2], c[3]);
        Shape wt = Shape.of(c[4], c[1], c[5], c[6]);
        Shape out = Shape.of(c[0], c[4], outH, outW);
        Random rnd = new Random(c[0] * 31L + c[4]);
        float[] x = random(rnd, (int) in.size());
        float[] w = random(rnd, (int) wt.size());
        float[] b = random(rnd, c[4]);
        float[] gy = random(rnd, (int) out.size());
        try (Tensor rx = REF.of(x, in); Tensor rw = REF.of(w, wt); Tensor rb = REF.of(b, Shape.of(c[4]));
             Tensor rgy = REF.of(gy, out); Tensor ry = REF.zeros(out); Tensor rgx = REF.zeros(in);
             Tensor rgw = REF.zeros(wt); Tensor rgb = REF.zeros(Shape.of(c[4]));
             Tensor dx = device.of(x, in); Tensor dw = device.of(w, wt); Tensor db = device.of(b, Shape.of(c[4]));
             Tensor dgy = device.of(gy, out); Tensor dy = device.zeros(out); Tensor dgx = device.zeros(in);
             Tensor dgw = device.zeros(wt); Tensor dgb = device.zeros(Shape.of(c[4]))) {
            REF.kernels().conv2d(rx, rw, rb, ry, win);
            REF.kernels().conv2dBackwardInput(rgy, rw, rgx, win);
            REF.kernels().conv2dBackwardWeight(rx, rgy, rgw, rgb, win);
            k.fill(dgx, Float.NaN);
            k.fill(dgw, Float.NaN);
            k.conv2d(dx, dw, db, dy, win);
            k.conv2dBackwardInput(dgy, dw, dgx, win);
            k.conv2dBackwardWeight(dx, dgy, dgw, dgb, win);
            close(ry.toFloatArray(), dy.toFloatArray(), 1e-4, "output");
            close(rgx.toFloatArray(), dgx.toFloatArray(), 1e-4, "gradInput");
            close(rgw.toFloatArray(), dgw.toFloatArray(), 1e-4, "gradWeight");
            close(rgb.toFloatArray(), dgb.toFloatArray(), 1e-4, "gradBias");
            k.conv2d(dx, dw, null, dy, win);
            REF.kernels().conv2d(rx, rw, null, ry, win);
            close(ry.toFloatArray(), dy.toFloatArray(), 1e-4, "output without bias");
        }
        assertEquals(live, device.liveAllocations());
    }

    @Test
    void maxPoolMatchesReferenceWithOverlapTiesAndNaN() {
        JoclDevice device = OpenCl.device();
        Window2d[] windows = {Window2d.square(2, 2, 0), Window2d.square(3, 1, 1), new Window2d(3, 2, 2, 1, 1, 1),
                Window2d.square(3, 2, 0)};
        Random rnd = new Random(3);
        for (Window2d win : windows) {
            Shape in = Shape.of(2, 3, 7, 8);
            Shape out = Shape.of(2, 3, win.outHeight(7), win.outWidth(8));
            float[] x = new float[(int) in.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = rnd.nextInt(5) - 2; // many ties
            }
            x[17] = Float.NaN;
            float[] gy = random(rnd, (int) out.size());
            try (Tensor rx = REF.of(x, in); Tensor ry = REF.zeros(out); Tensor ri = REF.zeros(out, DType.INT32);
                 Tensor rgy = REF.of(gy, out); Tensor rgx = REF.zeros(in);
                 Tensor dx = device.of(x, in); Tensor dy = device.zeros(out); Tensor di = device.zeros(out, DType.INT32);
                 Tensor dgy = device.of(gy, out); Tensor dgx = device.zeros(in)) {
                REF.kernels().maxPool2d(rx, ry, ri, win);
                REF.kernels().maxPool2dBackward(rgy, ri, rgx, win);
                device.kernels().fill(dgx, Float.NaN);
                device.kernels().maxPool2d(dx, dy, di, win);
                device.kernels().maxPool2dBackward(dgy, di, dgx, win);
                assertArrayEquals(ri.toIntArray(), di.toIntArray(), win.toString());
                assertArrayEquals(ry.toFloatArray(), dy.toFloatArray(), win.toString());
                close(rgx.toFloatArray(), dgx.toFloatArray(), 1e-6, "pool gradInput " + win);
            }
        }
    }

    @Test
    void batchNormMatchesReference() {
        JoclDevice device = OpenCl.device();
        Shape[] shapes = {Shape.of(5, 3), Shape.of(4, 3, 7), Shape.of(3, 4, 5, 6), Shape.of(64, 8, 13, 13)};
        Random rnd = new Random(9);
        for (Shape s : shapes) {
            int c = s.dim(1);
            float[] x = random(rnd, (int) s.size());
            for (int i = 0; i < x.length; i++) {
                x[i] += 1000f; // a large common offset
            }
            float[] gy = random(rnd, (int) s.size());
            float[] gamma = random(rnd, c);
            float[] beta = random(rnd, c);
            float[] rm = random(rnd, c);
            float[] rv = new float[c];
            java.util.Arrays.fill(rv, 0.5f);
            Shape cs = Shape.of(c);
            try (Tensor rx = REF.of(x, s); Tensor rg = REF.of(gamma, cs); Tensor rb = REF.of(beta, cs);
                 Tensor rgy = REF.of(gy, s);
                 Tensor rgx = REF.zeros(s); Tensor rgg = REF.zeros(cs); Tensor rgb = REF.zeros(cs); Tensor rye = REF.zeros(s);
                 Tensor dx = device.of(x, s); Tensor dg = device.of(gamma, cs); Tensor db = device.of(beta, cs);
                 Tensor drm = device.of(rm, cs); Tensor drv = device.of(rv, cs); Tensor dy = device.zeros(s);
                 Tensor dsm = device.zeros(cs); Tensor dsi = device.zeros(cs); Tensor dgy = device.of(gy, s);
                 Tensor dgx = device.zeros(s); Tensor dgg = device.zeros(cs); Tensor dgb = device.zeros(cs);
                 Tensor dye = device.zeros(s)) {
                Kernels k = device.kernels();
                k.batchNormTrain(dx, dg, db, drm, drv, 0.1f, 1e-5f, dy, dsm, dsi);
                k.batchNormEval(dx, dg, db, drm, drv, 1e-5f, dye);
                // the kit's reference sums in float, which a large offset defeats: the statistics in double here
                int inner = (int) (s.size() / s.dim(0) / c);
                int count = s.dim(0) * inner;
                float[] wantMean = new float[c];
                float[] wantInvStd = new float[c];
                float[] wantY = new float[x.length];
                float[] wantRm = new float[c];
                float[] wantRv = new float[c];
                for (int ch = 0; ch < c; ch++) {
                    double sum = 0;
                    for (int n = 0; n < s.dim(0); n++) {
                        for (int q = 0; q < inner; q++) {
                            sum += x[(n * c + ch) * inner + q];
                        }
                    }
                    double mean = sum / count;
                    double sq = 0;
                    for (int n = 0; n < s.dim(0); n++) {
                        for (int q = 0; q < inner; q++) {
                            double d = x[(n * c + ch) * inner + q] - mean;
                            sq += d * d;
                        }
                    }
                    double invStd = 1 / Math.sqrt(sq / count + 1e-5f);
                    for (int n = 0; n < s.dim(0); n++) {
                        for (int q = 0; q < inner; q++) {
                            int at = (n * c + ch) * inner + q;
                            wantY[at] = (float) (gamma[ch] * (x[at] - mean) * invStd + beta[ch]);
                        }
                    }
                    wantMean[ch] = (float) mean;
                    wantInvStd[ch] = (float) invStd;
                    wantRm[ch] = (float) (0.9 * rm[ch] + 0.1 * mean);
                    wantRv[ch] = (float) (0.9 * rv[ch] + 0.1 * sq / (count - 1));
                }
                String w = " " + s;
                close(wantMean, dsm.toFloatArray(), 1e-6, "saveMean" + w);
                close(wantInvStd, dsi.toFloatArray(), 1e-4, "saveInvStd" + w);
                close(wantY, dy.toFloatArray(), 1e-3, "output" + w);
                close(wantRm, drm.toFloatArray(), 1e-5, "runningMean" + w);
                close(wantRv, drv.toFloatArray(), 1e-4, "runningVar" + w);
                // backward and eval from the device's statistics through the reference
                try (Tensor sm = REF.of(dsm.toFloatArray(), cs); Tensor si = REF.of(dsi.toFloatArray(), cs);
                     Tensor rrm2 = REF.of(drm.toFloatArray(), cs); Tensor rrv2 = REF.of(drv.toFloatArray(), cs)) {
                    REF.kernels().batchNormBackward(rx, rgy, rg, sm, si, rgx, rgg, rgb);
                    REF.kernels().batchNormEval(rx, rg, rb, rrm2, rrv2, 1e-5f, rye);
                }
                k.batchNormBackward(dx, dgy, dg, dsm, dsi, dgx, dgg, dgb);
                close(rgb.toFloatArray(), dgb.toFloatArray(), 1e-4, "gradBeta" + w);
                close(rgg.toFloatArray(), dgg.toFloatArray(), 2e-3, "gradGamma" + w);
                close(rgx.toFloatArray(), dgx.toFloatArray(), 2e-3, "gradInput" + w);
                close(rye.toFloatArray(), dye.toFloatArray(), 1e-4, "eval" + w);
            }
        }
    }

    @Test
    void dropoutMaskIsBitExact() {
        JoclDevice device = OpenCl.device();
        long[] seeds = {0L, 42L, 0x123456789ABCDEF0L, -1L};
        long[] offsets = {0L, 1L, 3L, 6L, (1L << 34) + 2};
        int[] sizes = {1, 3, 4, 5, 1001};
        for (long seed : seeds) {
            for (long offset : offsets) {
                for (int n : sizes) {
                    float p = 0.3f;
                    float[] want = new float[n];
                    for (int i = 0; i < n; i++) {
                        want[i] = Philox.maskValue(seed, offset + i, p);
                    }
                    try (Tensor m = device.zeros(Shape.of(n))) {
                        device.kernels().dropoutMask(m, p, seed, offset);
                        assertArrayEquals(want, m.toFloatArray(), "seed " + seed + " offset " + offset + " n " + n);
                    }
                }
            }
        }
    }

    @Test
    void adamMatchesReference() {
        JoclDevice device = OpenCl.device();
        Random rnd = new Random(4);
        int n = 1000;
        Shape s = Shape.of(n);
        float[] p = random(rnd, n);
        float[] m = new float[n];
        float[] v = new float[n];
        try (Tensor rp = REF.of(p, s); Tensor rm = REF.of(m, s); Tensor rv = REF.of(v, s);
             Tensor dp = device.of(p, s); Tensor dm = device.of(m, s); Tensor dv = device.of(v, s)) {
            for (int step = 1; step <= 5; step++) {
                float[] g = random(rnd, n);
                try (Tensor rg = REF.of(g, s); Tensor dg = device.of(g, s)) {
                    REF.kernels().adamStep(rp, rg, rm, rv, 1e-2f, 0.9f, 0.999f, 1e-8f, 0.01f, step);
                    device.kernels().adamStep(dp, dg, dm, dv, 1e-2f, 0.9f, 0.999f, 1e-8f, 0.01f, step);
                }
            }
            close(rp.toFloatArray(), dp.toFloatArray(), 1e-5, "param");
            close(rm.toFloatArray(), dm.toFloatArray(), 1e-5, "m");
            close(rv.toFloatArray(), dv.toFloatArray(), 1e-5, "v");
        }
    }

    /**
     * Prints the time of conv2d forward + both backward kernels at MNIST's second convolution (32 -> 64, 26 x 26), with
     * the SGEMM this device runs.
     */
    @Test
    void timesMnistConv2() {
        JoclDevice device = OpenCl.device();
        Window2d win = Window2d.square(3, 1, 0);
        Shape in = Shape.of(64, 32, 26, 26);
        Shape out = Shape.of(64, 64, 24, 24);
        Random rnd = new Random(1);
        for (GemmVariant variant : new GemmVariant[] {device.gemmVariant()}) {
            Kernels k = device.kernelsWith(variant);
            try (Tensor x = device.of(random(rnd, (int) in.size()), in);
                 Tensor w = device.of(random(rnd, 64 * 32 * 9), Shape.of(64, 32, 3, 3));
                 Tensor b = device.zeros(Shape.of(64)); Tensor y = device.zeros(out); Tensor gx = device.zeros(in);
                 Tensor gw = device.zeros(Shape.of(64, 32, 3, 3)); Tensor gb = device.zeros(Shape.of(64))) {
                long best = Long.MAX_VALUE;
                long bestFwd = Long.MAX_VALUE;
                for (int rep = 0; rep < 3; rep++) {
                    long t0 = System.nanoTime();
                    k.conv2d(x, w, b, y, win);
                    device.synchronize();
                    long t1 = System.nanoTime();
                    k.conv2dBackwardInput(y, w, gx, win);
                    k.conv2dBackwardWeight(x, y, gw, gb, win);
                    device.synchronize();
                    long t2 = System.nanoTime();
                    bestFwd = Math.min(bestFwd, t1 - t0);
                    best = Math.min(best, t2 - t0);
                }
                System.out.printf("[cnn timing] %s conv2d N=64 32->64 26x26 3x3 on %s: forward %.1f ms, forward+backward %.1f ms%n",
                        variant, device.name(), bestFwd / 1e6, best / 1e6);
            }
        }
    }
}
