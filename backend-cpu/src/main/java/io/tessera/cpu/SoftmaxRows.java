package io.tessera.cpu;

import java.util.Arrays;

/**
 * Row-wise {@code exp(z - max)} and their sums for softmax cross-entropy, with a copy of the logits they came from:
 * the backward pass of a loss asks for the same exponentials as its forward pass, and reuses them when the logits are
 * the same array with the same values (a copy and a compare cost far less than the exponentials). Buffers grow and
 * are kept, so steady-state calls allocate nothing.
 */
final class SoftmaxRows {
    float[] exps = new float[0];
    float[] max = new float[0];
    float[] sum = new float[0];
    private float[] source;
    private float[] copy = new float[0];
    private int rows = -1;
    private int classes = -1;

    void compute(float[] z, int rows, int classes) {
        int size = rows * classes;
        if (exps.length < size) {
            exps = new float[size];
        }
        if (max.length < rows) {
            max = new float[rows];
            sum = new float[rows];
        }
        source = null;
        for (int r = 0; r < rows; r++) {
            int base = r * classes;
            float m = z[base];
            for (int j = 1; j < classes; j++) {
                m = Math.max(m, z[base + j]);
            }
            float s = 0;
            for (int j = 0; j < classes; j++) {
                float e = (float) Math.exp(z[base + j] - m);
                exps[base + j] = e;
                s += e;
            }
            max[r] = m;
            sum[r] = s;
        }
    }

    /** Remembers that the buffers hold the softmax of {@code z}'s first {@code rows x classes} values. */
    void keep(float[] z, int rows, int classes) {
        int size = rows * classes;
        if (copy.length < size) {
            copy = new float[size];
        }
        System.arraycopy(z, 0, copy, 0, size);
        this.source = z;
        this.rows = rows;
        this.classes = classes;
    }

    boolean holds(float[] z, int rows, int classes) {
        return z == source && rows == this.rows && classes == this.classes
                && Arrays.equals(z, 0, rows * classes, copy, 0, rows * classes);
    }
}
