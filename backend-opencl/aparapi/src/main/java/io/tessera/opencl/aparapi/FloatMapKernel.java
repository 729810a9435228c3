package io.tessera.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * The element-wise float kernels in one class, chosen by {@link #op}: one work-item per element {@code i < n} of the
 * output. Operands live in three slots ({@code ia}, {@code ib}, {@code io} say which), so any of them may alias.
 * {@code ADD_BIAS} reads {@code b} at {@code i % cols}; {@code FILL} reads nothing.
 *
 * <p>Translated to OpenCL by Aparapi: {@code run()} and the methods it calls use only fields, arithmetic and
 * branches. Host code sets the fields and launches it through a {@link KernelHandle}.
 */
final class FloatMapKernel extends Kernel implements Slotted {
    static final int ADD = 0;
    static final int MUL = 1;
    static final int SCALE = 2;
    static final int AXPY = 3;
    static final int RELU = 4;
    static final int RELU_BACKWARD = 5;
    static final int ADD_BIAS = 6;
    static final int COPY = 7;
    static final int FILL = 8;

    float[] s0;
    float[] s1;
    float[] s2;
    int op;
    int n;
    int cols;
    int ia;
    int ib;
    int io;
    float alpha;

    @Override
    public void run() {
        int i = getGlobalId();
        if (i < n) {
            float r = alpha;
            if (op != FILL) {
                float a = at(ia, i);
                if (op == ADD) {
                    r = a + at(ib, i);
                } else if (op == MUL) {
                    r = a * at(ib, i);
                } else if (op == SCALE) {
                    r = alpha * a;
                } else if (op == AXPY) {
                    r = a + alpha * at(ib, i);
                } else if (op == RELU) {
                    r = a <= 0f ? 0f : a;
                } else if (op == RELU_BACKWARD) {
                    r = a > 0f ? at(ib, i) : 0f;
                } else if (op == ADD_BIAS) {
                    r = a + at(ib, i % cols);
                } else {
                    r = a;
                }
            }
            put(io, i, r);
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

    private void put(int slot, int i, float v) {
        if (slot == 0) {
            s0[i] = v;
        } else if (slot == 1) {
            s1[i] = v;
        } else {
            s2[i] = v;
        }
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
        throw new IllegalArgumentException("FloatMapKernel has no int slots");
    }
}
