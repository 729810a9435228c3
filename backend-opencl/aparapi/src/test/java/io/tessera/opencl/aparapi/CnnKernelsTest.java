package io.tessera.opencl.aparapi;

import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.spi.Kernels;
import io.tessera.spi.Philox;
import io.tessera.spi.Window2d;
import io.tessera.reference.ReferenceDevice;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CNN kernels of {@code opencl-aparapi:0} against the kit's reference device on a few awkward shapes (padding,
 * strides, overlapping pooling windows, an offset batch-norm input, in-place batch-norm, an unaligned dropout offset),
 * and the two aliasing cases the backend handles itself (one tensor passed for two read-only operands, and the
 * in-place batch-norm output). The conformance kit covers the contract; this test covers the backend's slots.
 */
class CnnKernelsTest {
    private static final Device REF = new ReferenceDevice("cnn-reference");

    @BeforeAll
    static void needsOpenCl() {
        OpenCl.require();
    }

    private static float[] random(Random r, int n, float offset) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = offset + (float) r.nextGaussian();
        }
        return a;
    }

    private static void close(float[] expected, Tensor actual, double tol, String what) {
        float[] a = actual.toFloatArray();
        assertEquals(expected.length, a.length, what);
        for (int i = 0; i < a.length; i++) {
            double scale = Math.max(1.0, Math.abs(expected[i]));
            assertTrue(Math.abs(expected[i] - a[i]) <= tol * scale, what + " at " + i + ": expected " + expected[i] + ", got " + a[i]);
        }
    }

    @Test
    void convolutionMatchesTheReference() {
        Device d = OpenCl.device();
        Random r = new Random(1);
        int[][] cases = {{2, 3, 7, 6, 4, 3, 2, 1, 2}, {1, 2, 5, 5, 3, 1, 1, 0, 0}, {3, 4, 9, 8, 2, 3, 3, 2, 1}, {2, 1, 4, 4, 2, 4, 2, 2, 3}};
        for (int[] c : cases) {
            int n = c[0];
            int ch = c[1];
            int h = c[2];
            int w = c[3];
            int o = c[4];
            Window2d win = new Window2d(c[5], c[5] == 4 ? 3 : c[5], c[6], c[6] == 3 ? 2 : c[6], c[7], c[8]);
            int oh = win.outHeight(h);
            int ow = win.outWidth(w);
            float[] x = random(r, n * ch * h * w, 0f);
            float[] wt = random(r, o * ch * win.kernelH() * win.kernelW(), 0f);
            float[] b = random(r, o, 0f);
            float[] gy = random(r, n * o * oh * ow, 0f);
            Shape xs = Shape.of(n, ch, h, w);
            Shape ws = Shape.of(o, ch, win.kernelH(), win.kernelW());
            Shape ys = Shape.of(n, o, oh, ow);
            try (Tensor dx = d.of(x, xs); Tensor dw = d.of(wt, ws); Tensor db = d.of(b, Shape.of(o)); Tensor dgy = d.of(gy, ys);
                 Tensor dy = d.zeros(ys); Tensor dgx = d.zeros(xs); Tensor dgw = d.zeros(ws); Tensor dgb = d.zeros(Shape.of(o));
                 Tensor rx = REF.of(x, xs); Tensor rw = REF.of(wt, ws); Tensor rb = REF.of(b, Shape.of(o)); Tensor rgy = REF.of(gy, ys);
                 Tensor ry = REF.zeros(ys); Tensor rgx = REF.zeros(xs); Tensor rgw = REF.zeros(ws); Tensor rgb = REF.zeros(Shape.of(o))) {
                String what = win + " " + xs;
                d.kernels().conv2d(dx, dw, db, dy, win);
                REF.kernels().conv2d(rx, rw, rb, ry, win);
                close(ry.toFloatArray(), dy, 1e-4, "conv2d " + what);
                d.kernels().conv2d(dx, dw, null, dy, win);
                REF.kernels().conv2d(rx, rw, null, ry, win);
                close(ry.toFloatArray(), dy, 1e-4, "conv2d without bias " + what);
                d.kernels().conv2dBackwardInput(dgy, dw, dgx, win);
                REF.kernels().conv2dBackwardInput(rgy, rw, rgx, win);
                close(rgx.toFloatArray(), dgx, 1e-4, "conv2dBackwardInput " + what);
                d.kernels().conv2dBackwardWeight(dx, dgy, dgw, dgb, win);
                REF.kernels().conv2dBackwardWeight(rx, rgy, rgw, rgb, win);
                close(rgw.toFloatArray(), dgw, 1e-4, "conv2dBackwardWeight " + what);
                close(rgb.toFloatArray(), dgb, 1e-4, "conv2dBackwardWeight bias " + what);
                d.kernels().conv2dBackwardWeight(dx, dgy, dgw, null, win);
                close(rgw.toFloatArray(), dgw, 1e-4, "conv2dBackwardWeight without bias " + what);
            }
        }
    }

    @Test
    void oneTensorForTwoReadOnlyOperandsGetsACopy() {
        Device d = OpenCl.device();
        Kernels raw = ((AparapiDevice) d).rawKernels();
        Window2d win = Window2d.square(1, 1, 0);
        float[] x = random(new Random(2), 2 * 3 * 3 * 3, 0f);
        Shape s = Shape.of(2, 3, 3, 3);
        try (Tensor dx = d.of(x, s); Tensor dgw = d.zeros(Shape.of(3, 3, 1, 1)); Tensor rx = REF.of(x, s); Tensor rgw = REF.zeros(Shape.of(3, 3, 1, 1))) {
            raw.conv2dBackwardWeight(dx, dx, dgw, null, win);
            REF.kernels().conv2dBackwardWeight(rx, rx, rgw, null, win);
            close(rgw.toFloatArray(), dgw, 1e-4, "x with itself");
        }
    }

    @Test
    void poolingMatchesTheReference() {
        Device d = OpenCl.device();
        Random r = new Random(3);
        Window2d[] windows = {Window2d.square(2, 2, 0), Window2d.square(3, 1, 1), new Window2d(3, 2, 2, 1, 1, 0), Window2d.square(3, 2, 1)};
        for (Window2d win : windows) {
            int n = 2;
            int c = 3;
            int h = 7;
            int w = 6;
            float[] x = random(r, n * c * h * w, 0f);
            for (int i = 0; i < x.length; i += 5) {
                x[i] = Math.round(x[i]);
            }
            x[17] = Float.NaN;
            Shape xs = Shape.of(n, c, h, w);
            Shape ys = Shape.of(n, c, win.outHeight(h), win.outWidth(w));
            float[] gy = random(r, (int) ys.size(), 0f);
            try (Tensor dx = d.of(x, xs); Tensor dy = d.zeros(ys); Tensor di = d.zeros(ys, io.tessera.DType.INT32); Tensor dgy = d.of(gy, ys);
                 Tensor dgx = d.zeros(xs); Tensor rx = REF.of(x, xs); Tensor ry = REF.zeros(ys); Tensor ri = REF.zeros(ys, io.tessera.DType.INT32);
                 Tensor rgy = REF.of(gy, ys); Tensor rgx = REF.zeros(xs)) {
                d.kernels().maxPool2d(dx, dy, di, win);
                REF.kernels().maxPool2d(rx, ry, ri, win);
                assertArrayEquals(ry.toFloatArray(), dy.toFloatArray(), "maxPool2d " + win);
                assertArrayEquals(ri.toIntArray(), di.toIntArray(), "maxPool2d indices " + win);
                d.kernels().maxPool2dBackward(dgy, di, dgx, win);
                REF.kernels().maxPool2dBackward(rgy, ri, rgx, win);
                close(rgx.toFloatArray(), dgx, 1e-5, "maxPool2dBackward " + win);
            }
        }
    }

    @Test
    void batchNormMatchesTheReference() {
        Device d = OpenCl.device();
        Random r = new Random(4);
        Shape[] shapes = {Shape.of(8, 3), Shape.of(4, 5, 7), Shape.of(3, 2, 5, 4)};
        for (Shape s : shapes) {
            int c = s.dim(1);
            float[] x = random(r, (int) s.size(), 1000f);
            float[] gy = random(r, (int) s.size(), 0f);
            float[] gamma = random(r, c, 1f);
            float[] beta = random(r, c, 0f);
            float[] rm = random(r, c, 0f);
            float[] rv = new float[c];
            java.util.Arrays.fill(rv, 1.5f);
            Shape cs = Shape.of(c);
            try (Tensor dx = d.of(x, s); Tensor dg = d.of(gamma, cs); Tensor db = d.of(beta, cs); Tensor drm = d.of(rm, cs); Tensor drv = d.of(rv, cs);
                 Tensor dy = d.zeros(s); Tensor dsm = d.zeros(cs); Tensor dsi = d.zeros(cs); Tensor dgy = d.of(gy, s); Tensor dgx = d.zeros(s);
                 Tensor dgg = d.zeros(cs); Tensor dgb = d.zeros(cs); Tensor dx2 = d.of(x, s);
                 Tensor rx = REF.of(x, s); Tensor rg = REF.of(gamma, cs); Tensor rb = REF.of(beta, cs); Tensor rrm = REF.of(rm, cs);
                 Tensor rrv = REF.of(rv, cs); Tensor ry = REF.zeros(s); Tensor rsm = REF.zeros(cs); Tensor rsi = REF.zeros(cs);
                 Tensor rgy = REF.of(gy, s); Tensor rgx = REF.zeros(s); Tensor rgg = REF.zeros(cs); Tensor rgb = REF.zeros(cs)) {
                d.kernels().batchNormTrain(dx, dg, db, drm, drv, 0.1f, 1e-5f, dy, dsm, dsi);
                REF.kernels().batchNormTrain(rx, rg, rb, rrm, rrv, 0.1f, 1e-5f, ry, rsm, rsi);
                close(ry.toFloatArray(), dy, 1e-3, "batchNormTrain " + s);
                close(rsm.toFloatArray(), dsm, 1e-6, "saveMean " + s);
                close(rsi.toFloatArray(), dsi, 1e-3, "saveInvStd " + s);
                close(rrm.toFloatArray(), drm, 1e-6, "runningMean " + s);
                close(rrv.toFloatArray(), drv, 1e-3, "runningVar " + s);
                d.kernels().batchNormBackward(dx, dgy, dg, dsm, dsi, dgx, dgg, dgb);
                REF.kernels().batchNormBackward(rx, rgy, rg, rsm, rsi, rgx, rgg, rgb);
                close(rgx.toFloatArray(), dgx, 1e-3, "batchNormBackward " + s);
                close(rgg.toFloatArray(), dgg, 1e-3, "gradGamma " + s);
                close(rgb.toFloatArray(), dgb, 1e-4, "gradBeta " + s);
                d.kernels().batchNormEval(dx, dg, db, drm, drv, 1e-5f, dy);
                REF.kernels().batchNormEval(rx, rg, rb, rrm, rrv, 1e-5f, ry);
                close(ry.toFloatArray(), dy, 1e-4, "batchNormEval " + s);
                d.kernels().batchNormEval(dx2, dg, db, drm, drv, 1e-5f, dx2);
                close(ry.toFloatArray(), dx2, 1e-4, "batchNormEval in place " + s);
                d.kernels().batchNormTrain(dx, dg, db, drm, drv, 0.1f, 1e-5f, dx, dsm, dsi);
                REF.kernels().batchNormTrain(rx, rg, rb, rrm, rrv, 0.1f, 1e-5f, ry, rsm, rsi);
                close(ry.toFloatArray(), dx, 1e-3, "batchNormTrain in place " + s);
            }
        }
    }

    @Test
    void dropoutIsBitExact() {
        Device d = OpenCl.device();
        long[] seeds = {0L, 42L, -1L, 0x123456789ABCDEF0L};
        long[] offsets = {0L, 3L, 5L, (1L << 34) + 2};
        for (long seed : seeds) {
            for (long offset : offsets) {
                int n = 37;
                float p = 0.3f;
                try (Tensor mask = d.zeros(Shape.of(n))) {
                    d.kernels().dropoutMask(mask, p, seed, offset);
                    float[] got = mask.toFloatArray();
                    for (int i = 0; i < n; i++) {
                        assertEquals(Float.floatToIntBits(Philox.maskValue(seed, offset + i, p)), Float.floatToIntBits(got[i]),
                                "seed " + seed + " offset " + offset + " element " + i);
                    }
                }
            }
        }
    }

    @Test
    void adamMatchesTheReference() {
        Device d = OpenCl.device();
        Random r = new Random(5);
        int n = 101;
        float[] p = random(r, n, 0f);
        Shape s = Shape.of(n);
        try (Tensor dp = d.of(p, s); Tensor dg = d.zeros(s); Tensor dm = d.zeros(s); Tensor dv = d.zeros(s);
             Tensor rp = REF.of(p, s); Tensor rg = REF.zeros(s); Tensor rm = REF.zeros(s); Tensor rv = REF.zeros(s)) {
            for (int step = 1; step <= 5; step++) {
                float[] g = random(r, n, 0f);
                d.kernels().copyFromHost(g, 0, dg, 0, n);
                REF.kernels().copyFromHost(g, 0, rg, 0, n);
                d.kernels().adamStep(dp, dg, dm, dv, 1e-2f, 0.9f, 0.999f, 1e-8f, 0.01f, step);
                REF.kernels().adamStep(rp, rg, rm, rv, 1e-2f, 0.9f, 0.999f, 1e-8f, 0.01f, step);
            }
            close(rp.toFloatArray(), dp, 1e-5, "param");
            close(rm.toFloatArray(), dm, 1e-5, "m");
            close(rv.toFloatArray(), dv, 1e-5, "v");
        }
    }
}
