package io.tessera.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * The functions of {@link io.tessera.spi.UnaryFunction}, chosen by {@link #fn} (their stable codes): one work-item
 * per element {@code i < n}. {@code FORWARD} writes {@code f(x[i], alpha)}, {@code BACKWARD} writes
 * {@code g[i] * f'(x[i], alpha)}; {@code x}, {@code g} and the output live in the slots {@link #ix}, {@link #ig} and
 * {@link #io}, so any of them may alias.
 *
 * <p>Full precision throughout: OpenCL's {@code exp}, {@code log}, {@code tanh} and {@code pow}, with the sigmoid,
 * GELU and tanh derivatives written in forms that cancel nothing for large {@code |x|}. GELU is computed as
 * {@code x * sigmoid(2u)}, equal to {@code 0.5 x (1 + tanh u)}; its derivative caps {@code x^2} at {@code 1e30},
 * where the slope it multiplies is already 0, so that no finite {@code x} gives {@code 0 * inf}. {@code POW} follows
 * Java's {@code Math.pow} where it differs from OpenCL's (a NaN exponent; {@code |x| = 1} with an infinite one),
 * using {@link #nan}. Translated to OpenCL by Aparapi.
 */
final class UnaryKernel extends Kernel implements Slotted {
    static final int FORWARD = 0;
    static final int BACKWARD = 1;

    static final int NEG = 0;
    static final int EXP = 1;
    static final int LOG = 2;
    static final int SQRT = 3;
    static final int TANH = 4;
    static final int SIGMOID = 5;
    static final int GELU = 6;
    static final int POW = 7;
    static final int ADD_SCALAR = 8;
    static final int MUL_SCALAR = 9;
    static final int ABS = 10;

    /** The largest function code this kernel knows. */
    static final int LAST = ABS;

    private static final float GELU_C = 0.7978845608f;
    private static final float GELU_K = 0.044715f;

    float[] s0;
    float[] s1;
    float[] s2;
    int op;
    int fn;
    int n;
    int ix;
    int ig;
    int io;
    float alpha;
    float nan;

    @Override
    public void run() {
        int i = getGlobalId();
        if (i < n) {
            float x = at(ix, i);
            float r = 0f;
            if (op == FORWARD) {
                r = value(x);
            } else {
                r = at(ig, i) * derivative(x);
            }
            put(io, i, r);
        }
    }

    private float value(float x) {
        float r = x;
        if (fn == NEG) {
            r = -x;
        } else if (fn == EXP) {
            r = exp(x);
        } else if (fn == LOG) {
            r = log(x);
        } else if (fn == SQRT) {
            r = sqrt(x);
        } else if (fn == TANH) {
            r = tanh(x);
        } else if (fn == SIGMOID) {
            r = 1f / (1f + exp(-x));
        } else if (fn == GELU) {
            r = x * sigmoidOfTwice(geluArgument(x));
        } else if (fn == POW) {
            r = javaPow(x, alpha);
        } else if (fn == ADD_SCALAR) {
            r = x + alpha;
        } else if (fn == MUL_SCALAR) {
            r = alpha * x;
        } else if (fn == ABS) {
            r = abs(x);
        }
        return r;
    }

    private float derivative(float x) {
        float d = 1f;
        if (fn == NEG) {
            d = -1f;
        } else if (fn == EXP) {
            d = exp(x);
        } else if (fn == LOG) {
            d = 1f / x;
        } else if (fn == SQRT) {
            d = 0.5f / sqrt(x);
        } else if (fn == TANH) {
            d = 4f * logisticSlope(2f * x);
        } else if (fn == SIGMOID) {
            d = logisticSlope(x);
        } else if (fn == GELU) {
            float u = geluArgument(x);
            float s = sigmoidOfTwice(u);
            d = s + 2f * x * logisticSlope(2f * u) * GELU_C * (1f + 3f * GELU_K * min(x * x, 1e30f));
        } else if (fn == POW) {
            d = alpha * javaPow(x, alpha - 1f);
        } else if (fn == MUL_SCALAR) {
            d = alpha;
        } else if (fn == ABS) {
            d = x;
            if (x > 0f) {
                d = 1f;
            } else if (x < 0f) {
                d = -1f;
            }
        }
        return d;
    }

    private float geluArgument(float x) {
        return GELU_C * (x + GELU_K * x * x * x);
    }

    /** {@code 1 / (1 + e^(-2u))}, from {@code e^(-2|u|)} so that it never overflows. */
    private float sigmoidOfTwice(float u) {
        float e = exp(-2f * abs(u));
        float s = 1f / (1f + e);
        if (u < 0f) {
            s = e / (1f + e);
        }
        return s;
    }

    /** The logistic function's derivative {@code s (1 - s)} at {@code t}, as {@code e / (1 + e)^2} with {@code e = e^-|t|}. */
    private float logisticSlope(float t) {
        float e = exp(-abs(t));
        float p = 1f + e;
        return e / (p * p);
    }

    private float javaPow(float x, float y) {
        float r = pow(x, y);
        if (y != y || (abs(x) == 1f && abs(y) > 3.4028235e38f)) {
            r = nan;
        }
        return r;
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
        throw new IllegalArgumentException("UnaryKernel has no int slots");
    }
}
