package io.tessera.opencl.jocl;

import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.spi.Kernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class GemmTest {
    private static final int[][] SIZES = {
            {1, 1, 1}, {1, 7, 3}, {5, 1, 9}, {3, 5, 7}, {4, 16, 8}, {17, 33, 9}, {16, 16, 1}, {65, 130, 67}, {128, 64, 100},
    };

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (GemmVariant v : GemmVariant.values()) {
            for (int[] s : SIZES) {
                for (int t = 0; t < 4; t++) {
                    out.add(Arguments.of(v, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} m={1} n={2} k={3} transA={4} transB={5}")
    @MethodSource("cases")
    void matchesDoubleReference(GemmVariant variant, int m, int n, int k, boolean transA, boolean transB) {
        JoclDevice device = OpenCl.device();
        Kernels kernels = device.kernelsWith(variant);
        Random rnd = new Random(31L * m + 17L * n + k);
        float[] a = random(rnd, m * k);
        float[] b = random(rnd, k * n);
        float[] c0 = random(rnd, m * n);
        float alpha = 1.5f;
        float beta = -0.75f;
        Shape sa = transA ? Shape.of(k, m) : Shape.of(m, k);
        Shape sb = transB ? Shape.of(n, k) : Shape.of(k, n);
        try (Tensor ta = device.of(a, sa); Tensor tb = device.of(b, sb); Tensor tc = device.of(c0, Shape.of(m, n))) {
            kernels.gemm(transA, transB, alpha, ta, tb, beta, tc);
            float[] got = tc.toFloatArray();
            double[] want = reference(transA, transB, alpha, a, b, beta, c0, m, n, k);
            assertClose(want, got, k);
        }
        assertEquals(0, device.liveAllocations());
    }

    @ParameterizedTest(name = "{0} beta=0 ignores NaN in C")
    @MethodSource("variants")
    void betaZeroDoesNotReadC(GemmVariant variant) {
        JoclDevice device = OpenCl.device();
        Kernels kernels = device.kernelsWith(variant);
        int m = 19;
        int n = 35;
        int k = 11;
        Random rnd = new Random(5);
        float[] a = random(rnd, m * k);
        float[] b = random(rnd, k * n);
        float[] c0 = new float[m * n];
        java.util.Arrays.fill(c0, Float.NaN);
        for (int t = 0; t < 4; t++) {
            boolean transA = (t & 1) != 0;
            boolean transB = (t & 2) != 0;
            try (Tensor ta = device.of(a, transA ? Shape.of(k, m) : Shape.of(m, k));
                 Tensor tb = device.of(b, transB ? Shape.of(n, k) : Shape.of(k, n));
                 Tensor tc = device.of(c0, Shape.of(m, n))) {
                kernels.gemm(transA, transB, 2f, ta, tb, 0f, tc);
                assertClose(reference(transA, transB, 2f, a, b, 0f, new float[m * n], m, n, k), tc.toFloatArray(), k);
            }
        }
    }

    static Stream<GemmVariant> variants() {
        return Stream.of(GemmVariant.values());
    }

    static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextGaussian());
        }
        return x;
    }

    static double[] reference(boolean transA, boolean transB, float alpha, float[] a, float[] b, float beta, float[] c,
                              int m, int n, int k) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[p * m + i] : a[i * k + p];
                    double bv = transB ? b[j * k + p] : b[p * n + j];
                    s += av * bv;
                }
                out[i * n + j] = alpha * s + (beta == 0 ? 0 : beta * (double) c[i * n + j]);
            }
        }
        return out;
    }

    static void assertClose(double[] want, float[] got, int k) {
        assertEquals(want.length, got.length);
        double tol = 1e-4 * Math.sqrt(k);
        for (int i = 0; i < want.length; i++) {
            assertTrue(Float.isFinite(got[i]), "element " + i + " is " + got[i]);
            double err = Math.abs(want[i] - got[i]) / Math.max(1.0, Math.abs(want[i]));
            if (err > tol) {
                fail("element " + i + ": want " + want[i] + ", got " + got[i] + " (relative error " + err + " > " + tol + ")");
            }
        }
    }
}
