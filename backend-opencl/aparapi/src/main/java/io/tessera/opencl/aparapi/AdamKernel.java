package io.tessera.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * One Adam step in place, PyTorch's semantics: {@code g = grad + weightDecay * param};
 * {@code m = beta1 * m + (1 - beta1) * g}; {@code v = beta2 * v + (1 - beta2) * g * g};
 * {@code param -= (lr / bc1) * m / (sqrt(v) / sqrtBc2 + eps)}, with the bias corrections computed on the host in
 * double and rounded to float. One work-item per element {@code i < n}. Slots: param 0, grad 1, m 2, v 3 (never
 * aliased). Translated to OpenCL by Aparapi.
 */
final class AdamKernel extends Kernel implements Slotted {
    float[] param;
    float[] grad;
    float[] m;
    float[] v;
    int n;
    float stepSize;
    float beta1;
    float beta2;
    float eps;
    float weightDecay;
    float sqrtBc2;

    @Override
    public void run() {
        int i = getGlobalId();
        if (i < n) {
            float p = param[i];
            float g = grad[i] + weightDecay * p;
            float mi = beta1 * m[i] + (1f - beta1) * g;
            float vi = beta2 * v[i] + (1f - beta2) * g * g;
            m[i] = mi;
            v[i] = vi;
            param[i] = p - stepSize * mi / (sqrt(vi) / sqrtBc2 + eps);
        }
    }

    @Override
    public int floatSlots() {
        return 4;
    }

    @Override
    public int intSlots() {
        return 0;
    }

    @Override
    public void bindFloats(int slot, float[] array) {
        if (slot == 0) {
            param = array;
        } else if (slot == 1) {
            grad = array;
        } else if (slot == 2) {
            m = array;
        } else {
            v = array;
        }
    }

    @Override
    public void bindInts(int slot, int[] array) {
        throw new IllegalArgumentException("AdamKernel has no int slots");
    }
}
