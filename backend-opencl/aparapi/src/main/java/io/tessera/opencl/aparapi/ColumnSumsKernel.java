package io.tessera.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * {@code out[j] = sum_i x[i, j]}: one work-item per column {@code j < cols}, summing its {@code rows} values in
 * order, in float. {@code x} is slot 0 and {@code out} slot 1 (they never alias). Translated to OpenCL by Aparapi.
 */
final class ColumnSumsKernel extends Kernel implements Slotted {
    float[] s0;
    float[] s1;
    int rows;
    int cols;

    @Override
    public void run() {
        int j = getGlobalId();
        if (j < cols) {
            float sum = 0f;
            for (int i = 0; i < rows; i++) {
                sum += s0[i * cols + j];
            }
            s1[j] = sum;
        }
    }

    @Override
    public int floatSlots() {
        return 2;
    }

    @Override
    public int intSlots() {
        return 0;
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
        throw new IllegalArgumentException("ColumnSumsKernel has no int slots");
    }
}
