package io.tessera.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The micro-kernels of {@link VectorGemm}'s narrow path, for products whose C has at most {@value #VECTORS} vectors
 * of columns (the Linear forward pass of a small layer: X W^T with n of 10 to 32): one or two rows of a row-major A
 * are broadcast where they lie, unpacked, against a packed panel of B {@code NW} columns wide, so that A, the large
 * operand, is read once and never copied. Loaded only when {@code jdk.incubator.vector} is present.
 */
final class VectorNarrowKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int VECTORS = 4;
    /** Columns of the B panel and the C tile. */
    static final int NW = VECTORS * L;

    private VectorNarrowKernel() {
    }

    /**
     * {@code C[0..2, 0..NW] = alpha * A B + beta * C} (C not read when {@code beta == 0}), with A's row {@code i} at
     * {@code a[aOff + i * lda]}, row {@code p} of B's panel at {@code b[bOff + p * NW]} and C's row {@code i} at
     * {@code c[cOff + i * ldc]}.
     */
    static void narrow2(int kc, float[] a, int aOff, int lda, float[] b, int bOff, float[] c, int cOff, int ldc, float alpha, float beta) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c02 = FloatVector.zero(S);
        FloatVector c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c12 = FloatVector.zero(S);
        FloatVector c13 = FloatVector.zero(S);
        for (int pa = aOff, pb = bOff, end = aOff + kc; pa < end; pa++, pb += NW) {
            FloatVector b0 = FloatVector.fromArray(S, b, pb + 0 * L);
            FloatVector b1 = FloatVector.fromArray(S, b, pb + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, b, pb + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, pb + 3 * L);
            FloatVector x0 = FloatVector.broadcast(S, a[pa]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            c02 = x0.fma(b2, c02);
            c03 = x0.fma(b3, c03);
            FloatVector x1 = FloatVector.broadcast(S, a[pa + lda]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            c12 = x1.fma(b2, c12);
            c13 = x1.fma(b3, c13);
        }
        FloatVector va = FloatVector.broadcast(S, alpha);
        if (beta == 0f) {
            c00.mul(va).intoArray(c, cOff + 0 * ldc + 0 * L);
            c01.mul(va).intoArray(c, cOff + 0 * ldc + 1 * L);
            c02.mul(va).intoArray(c, cOff + 0 * ldc + 2 * L);
            c03.mul(va).intoArray(c, cOff + 0 * ldc + 3 * L);
            c10.mul(va).intoArray(c, cOff + 1 * ldc + 0 * L);
            c11.mul(va).intoArray(c, cOff + 1 * ldc + 1 * L);
            c12.mul(va).intoArray(c, cOff + 1 * ldc + 2 * L);
            c13.mul(va).intoArray(c, cOff + 1 * ldc + 3 * L);
        } else {
            FloatVector vb = FloatVector.broadcast(S, beta);
            c00.fma(va, FloatVector.fromArray(S, c, cOff + 0 * ldc + 0 * L).mul(vb)).intoArray(c, cOff + 0 * ldc + 0 * L);
            c01.fma(va, FloatVector.fromArray(S, c, cOff + 0 * ldc + 1 * L).mul(vb)).intoArray(c, cOff + 0 * ldc + 1 * L);
            c02.fma(va, FloatVector.fromArray(S, c, cOff + 0 * ldc + 2 * L).mul(vb)).intoArray(c, cOff + 0 * ldc + 2 * L);
            c03.fma(va, FloatVector.fromArray(S, c, cOff + 0 * ldc + 3 * L).mul(vb)).intoArray(c, cOff + 0 * ldc + 3 * L);
            c10.fma(va, FloatVector.fromArray(S, c, cOff + 1 * ldc + 0 * L).mul(vb)).intoArray(c, cOff + 1 * ldc + 0 * L);
            c11.fma(va, FloatVector.fromArray(S, c, cOff + 1 * ldc + 1 * L).mul(vb)).intoArray(c, cOff + 1 * ldc + 1 * L);
            c12.fma(va, FloatVector.fromArray(S, c, cOff + 1 * ldc + 2 * L).mul(vb)).intoArray(c, cOff + 1 * ldc + 2 * L);
            c13.fma(va, FloatVector.fromArray(S, c, cOff + 1 * ldc + 3 * L).mul(vb)).intoArray(c, cOff + 1 * ldc + 3 * L);
        }
    }

    /** {@link #narrow2} for one row. */
    static void narrow1(int kc, float[] a, int aOff, int lda, float[] b, int bOff, float[] c, int cOff, int ldc, float alpha, float beta) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c02 = FloatVector.zero(S);
        FloatVector c03 = FloatVector.zero(S);
        for (int pa = aOff, pb = bOff, end = aOff + kc; pa < end; pa++, pb += NW) {
            FloatVector b0 = FloatVector.fromArray(S, b, pb + 0 * L);
            FloatVector b1 = FloatVector.fromArray(S, b, pb + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, b, pb + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, pb + 3 * L);
            FloatVector x0 = FloatVector.broadcast(S, a[pa]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            c02 = x0.fma(b2, c02);
            c03 = x0.fma(b3, c03);
        }
        FloatVector va = FloatVector.broadcast(S, alpha);
        if (beta == 0f) {
            c00.mul(va).intoArray(c, cOff + 0 * ldc + 0 * L);
            c01.mul(va).intoArray(c, cOff + 0 * ldc + 1 * L);
            c02.mul(va).intoArray(c, cOff + 0 * ldc + 2 * L);
            c03.mul(va).intoArray(c, cOff + 0 * ldc + 3 * L);
        } else {
            FloatVector vb = FloatVector.broadcast(S, beta);
            c00.fma(va, FloatVector.fromArray(S, c, cOff + 0 * ldc + 0 * L).mul(vb)).intoArray(c, cOff + 0 * ldc + 0 * L);
            c01.fma(va, FloatVector.fromArray(S, c, cOff + 0 * ldc + 1 * L).mul(vb)).intoArray(c, cOff + 0 * ldc + 1 * L);
            c02.fma(va, FloatVector.fromArray(S, c, cOff + 0 * ldc + 2 * L).mul(vb)).intoArray(c, cOff + 0 * ldc + 2 * L);
            c03.fma(va, FloatVector.fromArray(S, c, cOff + 0 * ldc + 3 * L).mul(vb)).intoArray(c, cOff + 0 * ldc + 3 * L);
        }
    }
}
