package io.tessera.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * One SGD step in place, PyTorch's semantics: {@code g = grad + weightDecay * param}; with {@code momentum != 0}
 * ({@code hasVelocity == 1}) {@code velocity = momentum * velocity + g; g = velocity}; {@code param -= lr * g}. One
 * work-item per element {@code i < n}; param, grad and velocity are slots {@code ip}, {@code ig}, {@code iv}.
 * Translated to OpenCL by Aparapi.
 */
final class SgdKernel extends Kernel implements Slotted {
    float[] s0;
    float[] s1;
    float[] s2;
    int n;
    int ip;
    int ig;
    int iv;
    int hasVelocity;
    float lr;
    float momentum;
    float weightDecay;

    @Override
    public void run() {
        int i = getGlobalId();
        if (i < n) {
            float p = at(ip, i);
            float g = at(ig, i) + weightDecay * p;
            if (hasVelocity != 0) {
                g = momentum * at(iv, i) + g;
                put(iv, i, g);
            }
            put(ip, i, p - lr * g);
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
        throw new IllegalArgumentException("SgdKernel has no int slots");
    }
}
