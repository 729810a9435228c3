package io.tessera.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * Broadcasting arithmetic of {@link io.tessera.spi.BinaryFunction}, chosen by {@link #fn} (their stable codes): one
 * work-item per output element {@code i < n} writes {@code f(a[(i / aInner) % aSize], b[(i / bInner) % bSize])}.
 * The operands live in the slots {@link #ia}, {@link #ib} and {@link #io}, so any of them may alias. Translated to
 * OpenCL by Aparapi.
 */
final class BinaryKernel extends Kernel implements Slotted {
    static final int ADD = 0;
    static final int SUB = 1;
    static final int MUL = 2;
    static final int DIV = 3;

    /** The largest function code this kernel knows. */
    static final int LAST = DIV;

    float[] s0;
    float[] s1;
    float[] s2;
    int fn;
    int n;
    int aSize;
    int aInner;
    int bSize;
    int bInner;
    int ia;
    int ib;
    int io;

    @Override
    public void run() {
        int i = getGlobalId();
        if (i < n) {
            float a = at(ia, (i / aInner) % aSize);
            float b = at(ib, (i / bInner) % bSize);
            float r = 0f;
            if (fn == ADD) {
                r = a + b;
            } else if (fn == SUB) {
                r = a - b;
            } else if (fn == MUL) {
                r = a * b;
            } else {
                r = a / b;
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
        throw new IllegalArgumentException("BinaryKernel has no int slots");
    }
}
