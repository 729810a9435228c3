package io.tessera.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * Row gathers and scatters between {@code table: [rows, cols]} (float slot 0) and {@code [count, cols]} (float slot 1)
 * through {@code indices: [count]} (int slot 0), chosen by {@link #op}; the slots never alias.
 * <ul>
 *   <li>{@code GATHER}: one work-item per element of slot 1, {@code out[r, c] = table[indices[r], c]}.</li>
 *   <li>{@code SCATTER_ADD}: one work-item per column {@code c}, adding {@code grad[r, c]} into
 *       {@code table[indices[r], c]} for {@code r} ascending: no two work-items touch one element, so no atomics are
 *       needed and the sums repeat exactly.</li>
 * </ul>
 * An index outside {@code [0, rows)} is never used as one: its gathered row is 0 and its scattered row is dropped.
 * Translated to OpenCL by Aparapi.
 */
final class RowsKernel extends Kernel implements Slotted {
    static final int GATHER = 0;
    static final int SCATTER_ADD = 1;

    float[] table;
    float[] s1;
    int[] indices;
    int op;
    int rows;
    int cols;
    int count;

    @Override
    public void run() {
        int gid = getGlobalId();
        if (op == GATHER) {
            if (gid < count * cols) {
                gather(gid);
            }
        } else if (gid < cols) {
            scatterAdd(gid);
        }
    }

    private void gather(int e) {
        int r = e / cols;
        int row = indices[r];
        float v = 0f;
        if (row >= 0 && row < rows) {
            v = table[row * cols + e % cols];
        }
        s1[e] = v;
    }

    private void scatterAdd(int c) {
        for (int r = 0; r < count; r++) {
            int row = indices[r];
            if (row >= 0 && row < rows) {
                table[row * cols + c] += s1[r * cols + c];
            }
        }
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
            table = array;
        } else {
            s1 = array;
        }
    }

    @Override
    public void bindInts(int slot, int[] array) {
        indices = array;
    }
}
