package io.tessera.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked micro-kernel of {@link VectorGemm}: an {@value #MR} x {@code 2 * L} tile of C (L the lanes of
 * {@link FloatVector#SPECIES_PREFERRED}: 8 with AVX2, 16 with AVX-512) held in 12 vector registers and updated with
 * one fused multiply-add per row and vector for each step of k. The tile is written with plain code, not helper
 * methods, so that C2 keeps every vector in a register. Loaded only when {@code jdk.incubator.vector} is present.
 */
final class VectorKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lanes of one vector. */
    static final int L = S.length();
    /** Rows of the C tile. */
    static final int MR = 6;
    /** Columns of the C tile. */
    static final int NR = 2 * L;

    private VectorKernel() {
    }

    /**
     * Packs rows {@code [0, rows)} and columns {@code [0, kc)} of a row-major A (row {@code i} at
     * {@code off + i * lda}) into the panels of {@link GemmPack#packA}: a transposing copy, eight columns at a time so
     * that the destination's eight rows stay in L1, with the panel height a constant (0.45-0.55 ns per element; the
     * gathers this replaced took 0.7-1.0).
     */
    static void packRowsA(float[] a, int off, int lda, int rows, int kc, float[] dst) {
        int full = rows / MR;
        for (int q = 0; q < full; q++) {
            int src0 = off + q * MR * lda;
            int d = q * MR * kc;
            int p = 0;
            for (; p + 8 <= kc; p += 8) {
                for (int ii = 0, src = src0 + p, o = d + p * MR; ii < MR; ii++, src += lda, o++) {
                    dst[o] = a[src];
                    dst[o + MR] = a[src + 1];
                    dst[o + 2 * MR] = a[src + 2];
                    dst[o + 3 * MR] = a[src + 3];
                    dst[o + 4 * MR] = a[src + 4];
                    dst[o + 5 * MR] = a[src + 5];
                    dst[o + 6 * MR] = a[src + 6];
                    dst[o + 7 * MR] = a[src + 7];
                }
            }
            for (; p < kc; p++) {
                for (int ii = 0; ii < MR; ii++) {
                    dst[d + p * MR + ii] = a[src0 + ii * lda + p];
                }
            }
        }
        if (full * MR < rows) {
            GemmPack.packA(a, off + full * MR * lda, lda, 1, rows - full * MR, kc, MR, dst, full * MR * kc);
        }
    }

    /**
     * Packs rows {@code [0, kc)} and columns {@code [0, cols)} of a row-major B (row {@code p} at
     * {@code off + p * ldb}) into the panels of {@link GemmPack#packB} from {@code dstOff}, a vector at a time.
     */
    static void packRows(float[] b, int off, int ldb, int kc, int cols, float[] dst, int dstOff) {
        int full = cols / NR;
        for (int p = 0; p < kc; p++) {
            int src = off + p * ldb;
            int d = dstOff + p * NR;
            for (int q = 0; q < full; q++, src += NR, d += kc * NR) {
                FloatVector.fromArray(S, b, src).intoArray(dst, d);
                FloatVector.fromArray(S, b, src + L).intoArray(dst, d + L);
            }
        }
        if (full * NR < cols) {
            GemmPack.packB(b, off + full * NR, ldb, 1, kc, cols - full * NR, NR, dst, dstOff + full * kc * NR);
        }
    }

    /**
     * {@code C[0..MR, 0..NR] = alpha * A B + beta * C} (C not read when {@code beta == 0}), where column {@code p} of
     * A's packed panel is at {@code a[aOff + p * MR]}, row {@code p} of B's packed panel at {@code b[bOff + p * NR]},
     * and C's row {@code i} at {@code c[cOff + i * ldc]}. The loop counts A's offset itself, not p: with
     * {@code aOff + p * MR} C2 recomputed every index from p and kept A's bounds checks in the loop (80 GFLOP/s on
     * panels in L1 here); now only B's two checks remain (95).
     */
    static void kernel(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc, float alpha, float beta) {
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
        for (int pa = aOff, pb = bOff, end = aOff + kc * MR; pa < end; pa += MR, pb += NR) {
            FloatVector b0 = FloatVector.fromArray(S, b, pb);
            FloatVector b1 = FloatVector.fromArray(S, b, pb + L);
            FloatVector x0 = FloatVector.broadcast(S, a[pa]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            FloatVector x1 = FloatVector.broadcast(S, a[pa + 1]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            FloatVector x2 = FloatVector.broadcast(S, a[pa + 2]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            FloatVector x3 = FloatVector.broadcast(S, a[pa + 3]);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
            FloatVector x4 = FloatVector.broadcast(S, a[pa + 4]);
            c40 = x4.fma(b0, c40);
            c41 = x4.fma(b1, c41);
            FloatVector x5 = FloatVector.broadcast(S, a[pa + 5]);
            c50 = x5.fma(b0, c50);
            c51 = x5.fma(b1, c51);
        }
        FloatVector va = FloatVector.broadcast(S, alpha);
        int o0 = cOff + 0 * ldc;
        int o1 = cOff + 1 * ldc;
        int o2 = cOff + 2 * ldc;
        int o3 = cOff + 3 * ldc;
        int o4 = cOff + 4 * ldc;
        int o5 = cOff + 5 * ldc;
        if (beta == 0f) {
            c00.mul(va).intoArray(c, o0);
            c01.mul(va).intoArray(c, o0 + L);
            c10.mul(va).intoArray(c, o1);
            c11.mul(va).intoArray(c, o1 + L);
            c20.mul(va).intoArray(c, o2);
            c21.mul(va).intoArray(c, o2 + L);
            c30.mul(va).intoArray(c, o3);
            c31.mul(va).intoArray(c, o3 + L);
            c40.mul(va).intoArray(c, o4);
            c41.mul(va).intoArray(c, o4 + L);
            c50.mul(va).intoArray(c, o5);
            c51.mul(va).intoArray(c, o5 + L);
        } else {
            FloatVector vb = FloatVector.broadcast(S, beta);
            c00.fma(va, FloatVector.fromArray(S, c, o0).mul(vb)).intoArray(c, o0);
            c01.fma(va, FloatVector.fromArray(S, c, o0 + L).mul(vb)).intoArray(c, o0 + L);
            c10.fma(va, FloatVector.fromArray(S, c, o1).mul(vb)).intoArray(c, o1);
            c11.fma(va, FloatVector.fromArray(S, c, o1 + L).mul(vb)).intoArray(c, o1 + L);
            c20.fma(va, FloatVector.fromArray(S, c, o2).mul(vb)).intoArray(c, o2);
            c21.fma(va, FloatVector.fromArray(S, c, o2 + L).mul(vb)).intoArray(c, o2 + L);
            c30.fma(va, FloatVector.fromArray(S, c, o3).mul(vb)).intoArray(c, o3);
            c31.fma(va, FloatVector.fromArray(S, c, o3 + L).mul(vb)).intoArray(c, o3 + L);
            c40.fma(va, FloatVector.fromArray(S, c, o4).mul(vb)).intoArray(c, o4);
            c41.fma(va, FloatVector.fromArray(S, c, o4 + L).mul(vb)).intoArray(c, o4 + L);
            c50.fma(va, FloatVector.fromArray(S, c, o5).mul(vb)).intoArray(c, o5);
            c51.fma(va, FloatVector.fromArray(S, c, o5 + L).mul(vb)).intoArray(c, o5 + L);
        }
    }

    /**
     * {@link #kernel} with B's row {@code p} at {@code b[bOff + p * ldb]}: B read where it lies. The variable stride
     * keeps a bounds check in the loop (about 15 % slower than {@link #kernel} on data in L1), which small products
     * win back by not packing B.
     */
    static void strided(int kc, float[] a, int aOff, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, float alpha,
                       float beta) {
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
        for (int pa = aOff, pb = bOff, end = aOff + kc * MR; pa < end; pa += MR, pb += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, pb);
            FloatVector b1 = FloatVector.fromArray(S, b, pb + L);
            FloatVector x0 = FloatVector.broadcast(S, a[pa]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            FloatVector x1 = FloatVector.broadcast(S, a[pa + 1]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            FloatVector x2 = FloatVector.broadcast(S, a[pa + 2]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            FloatVector x3 = FloatVector.broadcast(S, a[pa + 3]);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
            FloatVector x4 = FloatVector.broadcast(S, a[pa + 4]);
            c40 = x4.fma(b0, c40);
            c41 = x4.fma(b1, c41);
            FloatVector x5 = FloatVector.broadcast(S, a[pa + 5]);
            c50 = x5.fma(b0, c50);
            c51 = x5.fma(b1, c51);
        }
        FloatVector va = FloatVector.broadcast(S, alpha);
        int o0 = cOff + 0 * ldc;
        int o1 = cOff + 1 * ldc;
        int o2 = cOff + 2 * ldc;
        int o3 = cOff + 3 * ldc;
        int o4 = cOff + 4 * ldc;
        int o5 = cOff + 5 * ldc;
        if (beta == 0f) {
            c00.mul(va).intoArray(c, o0);
            c01.mul(va).intoArray(c, o0 + L);
            c10.mul(va).intoArray(c, o1);
            c11.mul(va).intoArray(c, o1 + L);
            c20.mul(va).intoArray(c, o2);
            c21.mul(va).intoArray(c, o2 + L);
            c30.mul(va).intoArray(c, o3);
            c31.mul(va).intoArray(c, o3 + L);
            c40.mul(va).intoArray(c, o4);
            c41.mul(va).intoArray(c, o4 + L);
            c50.mul(va).intoArray(c, o5);
            c51.mul(va).intoArray(c, o5 + L);
        } else {
            FloatVector vb = FloatVector.broadcast(S, beta);
            c00.fma(va, FloatVector.fromArray(S, c, o0).mul(vb)).intoArray(c, o0);
            c01.fma(va, FloatVector.fromArray(S, c, o0 + L).mul(vb)).intoArray(c, o0 + L);
            c10.fma(va, FloatVector.fromArray(S, c, o1).mul(vb)).intoArray(c, o1);
            c11.fma(va, FloatVector.fromArray(S, c, o1 + L).mul(vb)).intoArray(c, o1 + L);
            c20.fma(va, FloatVector.fromArray(S, c, o2).mul(vb)).intoArray(c, o2);
            c21.fma(va, FloatVector.fromArray(S, c, o2 + L).mul(vb)).intoArray(c, o2 + L);
            c30.fma(va, FloatVector.fromArray(S, c, o3).mul(vb)).intoArray(c, o3);
            c31.fma(va, FloatVector.fromArray(S, c, o3 + L).mul(vb)).intoArray(c, o3 + L);
            c40.fma(va, FloatVector.fromArray(S, c, o4).mul(vb)).intoArray(c, o4);
            c41.fma(va, FloatVector.fromArray(S, c, o4 + L).mul(vb)).intoArray(c, o4 + L);
            c50.fma(va, FloatVector.fromArray(S, c, o5).mul(vb)).intoArray(c, o5);
            c51.fma(va, FloatVector.fromArray(S, c, o5 + L).mul(vb)).intoArray(c, o5 + L);
        }
    }

}
