package io.tessera.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked micro-kernel of {@link VectorGemm}: an {@value #MR} x {@code 2 * L} tile of C (L the lanes of
 * {@link FloatVector#SPECIES_PREFERRED}, 16 with AVX-512) kept in 16 vector registers, updated with one fused
 * multiply-add per row and vector for each step of k. Loaded only when {@code jdk.incubator.vector} is present.
 */
final class VectorKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lanes of one vector. */
    static final int L = S.length();
    /** Rows of the C tile. */
    static final int MR = 8;
    /** Columns of the C tile. */
    static final int NR = 2 * L;

    private VectorKernel() {
    }

    /**
     * {@code C[0..MR, 0..NR] = alpha * A B + beta * C} (C not read when {@code beta == 0}), with
     * {@code A(i, p) = a[aOff + i * ars + p * acs]} for {@code i < MR, p < kc}, the NR columns of B's row {@code p}
     * contiguous from {@code b[bOff + p * ldb]}, and C's row {@code i} from {@code c[cOff + i * ldc]}.
     */
    static void kernel(int kc, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
                       float[] c, int cOff, int ldc, float alpha, float beta) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S);
        FloatVector c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S);
        FloatVector c71 = FloatVector.zero(S);
        int a1 = aOff + 1 * ars;
        int a2 = aOff + 2 * ars;
        int a3 = aOff + 3 * ars;
        int a4 = aOff + 4 * ars;
        int a5 = aOff + 5 * ars;
        int a6 = aOff + 6 * ars;
        int a7 = aOff + 7 * ars;
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * ldb;
            int ap = p * acs;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector x0 = FloatVector.broadcast(S, a[aOff + ap]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + ap]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + ap]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + ap]);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
            FloatVector x4 = FloatVector.broadcast(S, a[a4 + ap]);
            c40 = x4.fma(b0, c40);
            c41 = x4.fma(b1, c41);
            FloatVector x5 = FloatVector.broadcast(S, a[a5 + ap]);
            c50 = x5.fma(b0, c50);
            c51 = x5.fma(b1, c51);
            FloatVector x6 = FloatVector.broadcast(S, a[a6 + ap]);
            c60 = x6.fma(b0, c60);
            c61 = x6.fma(b1, c61);
            FloatVector x7 = FloatVector.broadcast(S, a[a7 + ap]);
            c70 = x7.fma(b0, c70);
            c71 = x7.fma(b1, c71);
        }
        store(c, cOff + 0 * ldc, c00, c01, alpha, beta);
        store(c, cOff + 1 * ldc, c10, c11, alpha, beta);
        store(c, cOff + 2 * ldc, c20, c21, alpha, beta);
        store(c, cOff + 3 * ldc, c30, c31, alpha, beta);
        store(c, cOff + 4 * ldc, c40, c41, alpha, beta);
        store(c, cOff + 5 * ldc, c50, c51, alpha, beta);
        store(c, cOff + 6 * ldc, c60, c61, alpha, beta);
        store(c, cOff + 7 * ldc, c70, c71, alpha, beta);
    }

    private static void store(float[] c, int off, FloatVector v0, FloatVector v1, float alpha, float beta) {
        if (beta == 0f) {
            v0.mul(alpha).intoArray(c, off);
            v1.mul(alpha).intoArray(c, off + L);
        } else {
            FloatVector va = FloatVector.broadcast(S, alpha);
            FloatVector y0 = FloatVector.fromArray(S, c, off).mul(beta);
            FloatVector y1 = FloatVector.fromArray(S, c, off + L).mul(beta);
            v0.fma(va, y0).intoArray(c, off);
            v1.fma(va, y1).intoArray(c, off + L);
        }
    }
}
