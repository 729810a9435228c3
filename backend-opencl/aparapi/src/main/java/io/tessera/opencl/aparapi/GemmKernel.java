package io.tessera.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * {@code C = alpha * op(A) * op(B) + beta * C}, row-major, tiled: a 2-D range of {@link #TILE}{@code x}{@link #TILE}
 * work-groups over C (dimension 0 the column, 1 the row, both rounded up to whole tiles); each work-group stages a
 * tile of op(A) and of op(B) in local memory per step of {@code k}, padding with zeros past the edges. A, B and C are
 * slots {@code ia}, {@code ib} and {@code ic} ({@code ia == ib} when A is B; C never aliases them). With
 * {@code beta == 0} C is written without being read. Accumulates in float. Translated to OpenCL by Aparapi.
 */
final class GemmKernel extends Kernel implements Slotted {
    static final int TILE = 16;

    float[] s0;
    float[] s1;
    float[] s2;
    int ia;
    int ib;
    int ic;
    int m;
    int n;
    int k;
    int transA;
    int transB;
    float alpha;
    float beta;

    @Local
    final float[] tileA = new float[TILE * TILE];
    @Local
    final float[] tileB = new float[TILE * TILE];

    @Override
    public void run() {
        int col = getGlobalId(0);
        int row = getGlobalId(1);
        int lc = getLocalId(0);
        int lr = getLocalId(1);
        float acc = 0f;
        for (int t = 0; t < k; t += TILE) {
            int ak = t + lc;
            float av = 0f;
            if (row < m && ak < k) {
                if (transA == 0) {
                    av = at(ia, row * k + ak);
                } else {
                    av = at(ia, ak * m + row);
                }
            }
            tileA[lr * TILE + lc] = av;
            int bk = t + lr;
            float bv = 0f;
            if (col < n && bk < k) {
                if (transB == 0) {
                    bv = at(ib, bk * n + col);
                } else {
                    bv = at(ib, col * k + bk);
                }
            }
            tileB[lr * TILE + lc] = bv;
            localBarrier();
            for (int q = 0; q < TILE; q++) {
                acc += tileA[lr * TILE + q] * tileB[q * TILE + lc];
            }
            localBarrier();
        }
        if (row < m && col < n) {
            int idx = row * n + col;
            float r = alpha * acc;
            if (beta != 0f) {
                r += beta * at(ic, idx);
            }
            if (ic == 1) {
                s1[idx] = r;
            } else {
                s2[idx] = r;
            }
        }
    }

    private float at(int slot, int i) {
        float v = 0f;
        if (slot == 0) {
            v = s0[i];
        } else if (slot == 1) {
            v = s1[i];
        } else {
            v = s2[i];
        }
        return v;
    }

    @Override
    public int floatSlots() {
        return 3;
    }

    @Override
    public int intSlots() {
        return 0;
    }

    @Override
    public void bindFloats(int slot, float[] array) {
        if (slot == 0) {
            s0 = array;
        } else if (slot == 1) {
            s1 = array;
        } else {
            s2 = array;
        }
    }

    @Override
    public void bindInts(int slot, int[] array) {
        throw new IllegalArgumentException("GemmKernel has no int slots");
    }
}
