package io.tessera.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * Fill and copy of INT32 tensors: one work-item per element {@code i < n}. {@code COPY} reads slot {@code ia} and
 * writes slot {@code io}; {@code FILL} writes {@code value}. Translated to OpenCL by Aparapi.
 */
final class IntMapKernel extends Kernel implements Slotted {
    static final int COPY = 0;
    static final int FILL = 1;

    int[] s0;
    int[] s1;
    int op;
    int n;
    int ia;
    int io;
    int value;

    @Override
    public void run() {
        int i = getGlobalId();
        if (i < n) {
            int r = value;
            if (op == COPY) {
                if (ia == 0) {
                    r = s0[i];
                } else {
                    r = s1[i];
                }
            }
            if (io == 0) {
                s0[i] = r;
            } else {
                s1[i] = r;
            }
        }
    }

    @Override
    public int floatSlots() {
        return 0;
    }

    @Override
    public int intSlots() {
        return 2;
    }

    @Override
    public void bindFloats(int slot, float[] array) {
        throw new IllegalArgumentException("IntMapKernel has no float slots");
    }

    @Override
    public void bindInts(int slot, int[] array) {
        if (slot == 0) {
            s0 = array;
        } else {
            s1 = array;
        }
    }
}
