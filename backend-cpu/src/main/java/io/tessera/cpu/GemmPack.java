package io.tessera.cpu;

import java.util.Arrays;

/**
 * Packing of GEMM operands into the panels a register-blocked micro-kernel reads with unit stride. A matrix is given
 * by its array, offset and strides: element {@code (r, c)} is at {@code off + r * rs + c * cs}, so a transpose is
 * only a swap of strides. Panels past the matrix edge are zero-padded, so the micro-kernel always runs full tiles.
 */
final class GemmPack {

    private GemmPack() {
    }

    /**
     * Packs rows {@code [0, rows)} and columns {@code [0, kc)} of A into row panels of {@code mr}: panel {@code q}
     * starts at {@code dstOff + q * mr * kc} in {@code dst} and holds, for each {@code p}, the {@code mr} values of column
     * {@code p}. Rows past {@code rows} are zero.
     */
    static void packA(float[] a, int off, int rs, int cs, int rows, int kc, int mr, float[] dst, int dstOff) {
        for (int r0 = 0, d = dstOff; r0 < rows; r0 += mr, d += mr * kc) {
            int live = Math.min(mr, rows - r0);
            if (cs == 1) {
                for (int ii = 0; ii < live; ii++) {
                    int src = off + (r0 + ii) * rs;
                    for (int p = 0, o = d + ii; p < kc; p++, o += mr) {
                        dst[o] = a[src + p];
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = off + p * cs + r0 * rs;
                    int o = d + p * mr;
                    for (int ii = 0; ii < live; ii++) {
                        dst[o + ii] = a[src + ii * rs];
                    }
                }
            }
            if (live < mr) {
                for (int p = 0; p < kc; p++) {
                    Arrays.fill(dst, d + p * mr + live, d + (p + 1) * mr, 0f);
                }
            }
        }
    }

    /**
     * Packs rows {@code [0, kc)} and columns {@code [0, cols)} of B into column panels of {@code nr}: panel {@code q}
     * starts at {@code dstOff + q * kc * nr} and holds, for each {@code p}, the {@code nr} values of row {@code p}.
     * Columns past {@code cols} are zero.
     */
    static void packB(float[] b, int off, int rs, int cs, int kc, int cols, int nr, float[] dst, int dstOff) {
        for (int j0 = 0, d = dstOff; j0 < cols; j0 += nr, d += kc * nr) {
            int live = Math.min(nr, cols - j0);
            if (cs == 1) {
                for (int p = 0; p < kc; p++) {
                    int src = off + p * rs + j0;
                    int o = d + p * nr;
                    for (int jj = 0; jj < live; jj++) {
                        dst[o + jj] = b[src + jj];
                    }
                }
            } else {
                transposeInto(b, off + j0 * cs, rs, cs, kc, live, nr, dst, d);
            }
            if (live < nr) {
                for (int p = 0; p < kc; p++) {
                    Arrays.fill(dst, d + p * nr + live, d + (p + 1) * nr, 0f);
                }
            }
        }
    }

    /**
     * {@code dst[d + p * nr + jj] = b[off + p * rs + jj * cs]} for {@code p < kc}, {@code jj < live}: a transposing
     * copy, eight values of p at a time, so that the eight destination rows and the source's runs stay in L1 (a whole
     * source row at a time strides the destination over the panel: 1.1-1.2 ns per element against 0.45-0.55 here
     * with {@code nr} 16, and 0.8 with any other {@code nr}, whose variable stride costs C2 its addressing).
     */
    private static void transposeInto(float[] b, int off, int rs, int cs, int kc, int live, int nr, float[] dst, int d) {
        int p = 0;
        if (rs == 1 && nr == 16) {
            for (; p + 8 <= kc; p += 8) {
                for (int jj = 0, src = off + p, o = d + p * 16; jj < live; jj++, src += cs, o++) {
                    dst[o] = b[src];
                    dst[o + 16] = b[src + 1];
                    dst[o + 32] = b[src + 2];
                    dst[o + 48] = b[src + 3];
                    dst[o + 64] = b[src + 4];
                    dst[o + 80] = b[src + 5];
                    dst[o + 96] = b[src + 6];
                    dst[o + 112] = b[src + 7];
                }
            }
        } else if (rs == 1) {
            for (; p + 8 <= kc; p += 8) {
                int o0 = d + p * nr;
                int o1 = o0 + nr;
                int o2 = o1 + nr;
                int o3 = o2 + nr;
                int o4 = o3 + nr;
                int o5 = o4 + nr;
                int o6 = o5 + nr;
                int o7 = o6 + nr;
                for (int jj = 0, src = off + p; jj < live; jj++, src += cs) {
                    dst[o0 + jj] = b[src];
                    dst[o1 + jj] = b[src + 1];
                    dst[o2 + jj] = b[src + 2];
                    dst[o3 + jj] = b[src + 3];
                    dst[o4 + jj] = b[src + 4];
                    dst[o5 + jj] = b[src + 5];
                    dst[o6 + jj] = b[src + 6];
                    dst[o7 + jj] = b[src + 7];
                }
            }
        }
        for (; p < kc; p++) {
            int o = d + p * nr;
            int src = off + p * rs;
            for (int jj = 0; jj < live; jj++) {
                dst[o + jj] = b[src + jj * cs];
            }
        }
    }

    /**
     * {@code C[0..rows, 0..cols] = alpha * tile + beta * C}, reading C only when {@code beta != 0}; the tile's rows are
     * {@code nr} apart. Rounds as the vector kernels' own stores do ({@code fma(tile, alpha, beta * C)}), so an element
     * comes out the same whether its tile went through this buffer or not.
     */
    static void storeTile(float[] tile, int nr, int rows, int cols, float[] c, int off, int ldc, float alpha, float beta) {
        for (int i = 0; i < rows; i++) {
            int t = i * nr;
            int o = off + i * ldc;
            if (beta == 0f) {
                for (int j = 0; j < cols; j++) {
                    c[o + j] = alpha * tile[t + j];
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    c[o + j] = Math.fma(tile[t + j], alpha, beta * c[o + j]);
                }
            }
        }
    }

    /** {@code C = beta * C} over an {@code m x n} matrix at {@code off} (zeros when {@code beta == 0}, without reading C). */
    static void scale(float[] c, int off, int m, int n, float beta) {
        int end = off + m * n;
        if (beta == 0f) {
            Arrays.fill(c, off, end, 0f);
        } else if (beta != 1f) {
            for (int i = off; i < end; i++) {
                c[i] *= beta;
            }
        }
    }
}
