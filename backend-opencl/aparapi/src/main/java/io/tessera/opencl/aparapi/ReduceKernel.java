package io.tessera.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * Reductions along one axis of a tensor seen as {@code [outer, n, inner]}, chosen by {@link #op}; float slot 0 is
 * the input, float slot 1 the output, int slot 0 the arg-max indices (they never alias). Max and its backward share
 * the class so that the indices stay in this kernel's buffer between the two passes.
 * <ul>
 *   <li>{@code SUM}: one work-item per output element {@code o * inner + k}, adding its {@code n} values in order, in
 *       float.</li>
 *   <li>{@code MAX}: one work-item per output element; a larger value or a NaN replaces the running maximum (ties
 *       keep the lowest {@code j}; once a NaN is chosen it stays), and its {@code j} is written to the indices.</li>
 *   <li>{@code MAX_BACKWARD}: one work-item per input element {@code (o, j, k)}, gathering without atomics:
 *       {@code gradOut[o * inner + k]} where the index there is {@code j}, else 0. An index outside {@code [0, n)}
 *       matches no element, so nothing is written out of bounds.</li>
 * </ul>
 * Translated to OpenCL by Aparapi.
 */
final class ReduceKernel extends Kernel implements Slotted {
    static final int SUM = 0;
    static final int MAX = 1;
    static final int MAX_BACKWARD = 2;

    float[] s0;
    float[] s1;
    int[] indices;
    int op;
    int total;
    int n;
    int inner;

    @Override
    public void run() {
        int gid = getGlobalId();
        if (gid < total) {
            if (op == SUM) {
                sum(gid);
            } else if (op == MAX) {
                max(gid);
            } else {
                maxBackward(gid);
            }
        }
    }

    private void sum(int r) {
        int base = (r / inner) * n * inner + r % inner;
        float acc = 0f;
        for (int j = 0; j < n; j++) {
            acc += s0[base + j * inner];
        }
        s1[r] = acc;
    }

    private void max(int r) {
        int base = (r / inner) * n * inner + r % inner;
        float best = s0[base];
        int bestIndex = 0;
        for (int j = 1; j < n; j++) {
            float v = s0[base + j * inner];
            if (best == best && (v > best || v != v)) {
                best = v;
                bestIndex = j;
            }
        }
        s1[r] = best;
        indices[r] = bestIndex;
    }

    private void maxBackward(int e) {
        int k = e % inner;
        int j = (e / inner) % n;
        int r = (e / inner / n) * inner + k;
        float g = 0f;
        if (indices[r] == j) {
            g = s0[r];
        }
        s1[e] = g;
    }

    @Override
    public int floatSlots() {
        return 2;
    }

    @Override
    public int intSlots() {
        return 1;
    }

    @Override
    public void bindFloats(int slot, float[] array) {
        if (slot == 0) {
            s0 = array;
        } else {
            s1 = array;
        }
    }

    @Override
    public void bindInts(int slot, int[] array) {
        indices = array;
    }
}
