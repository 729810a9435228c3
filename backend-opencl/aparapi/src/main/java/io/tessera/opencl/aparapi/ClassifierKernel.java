package io.tessera.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * Softmax cross-entropy and accuracy over {@code logits: [rows, cols]} (float slot {@code iz}) and {@code labels}
 * (int slot 0), writing float slot {@code io}; chosen by {@link #op}:
 * <ul>
 *   <li>{@code GRAD}: one work-item per row, {@code out[r, j] = (softmax(z[r])[j] - (j == y[r])) / rows};</li>
 *   <li>{@code LOSS}: one work-item sums the rows' losses in order; {@code out[0] = sum / rows};</li>
 *   <li>{@code COUNT}: one work-item counts the rows whose arg-max (lowest index among ties) is the label;
 *       {@code out[0] += count}.</li>
 * </ul>
 * The two reductions are sequential on purpose: they cost {@code rows x cols} operations, nothing next to the GEMMs
 * of a step, and PoCL mis-compiles Aparapi's work-group reduction (a private variable read after a barrier holds
 * work-item 0's value). Softmax subtracts the row's maximum. A label outside {@code [0, cols)} is never used as an
 * index: its row's loss and its gradient row are {@link #nan}, and it adds nothing to the count.
 * Translated to OpenCL by Aparapi.
 */
final class ClassifierKernel extends Kernel implements Slotted {
    static final int LOSS = 0;
    static final int GRAD = 1;
    static final int COUNT = 2;

    float[] s0;
    float[] s1;
    int[] labels;
    int op;
    int rows;
    int cols;
    int iz;
    int io;
    float nan;

    @Override
    public void run() {
        if (op == GRAD) {
            int r = getGlobalId();
            if (r < rows) {
                gradientRow(r);
            }
        } else if (getGlobalId() == 0) {
            float acc = 0f;
            for (int r = 0; r < rows; r++) {
                if (op == LOSS) {
                    acc += lossOfRow(r);
                } else {
                    acc += correct(r);
                }
            }
            if (op == LOSS) {
                put(io, 0, acc / rows);
            } else {
                put(io, 0, at(io, 0) + acc);
            }
        }
    }

    private float rowMax(int base) {
        float best = at(iz, base);
        for (int j = 1; j < cols; j++) {
            best = max(best, at(iz, base + j));
        }
        return best;
    }

    private float lossOfRow(int r) {
        int base = r * cols;
        int y = labels[r];
        float loss = nan;
        if (y >= 0 && y < cols) {
            float top = rowMax(base);
            float sum = 0f;
            for (int j = 0; j < cols; j++) {
                sum += exp(at(iz, base + j) - top);
            }
            loss = log(sum) + top - at(iz, base + y);
        }
        return loss;
    }

    private float correct(int r) {
        int base = r * cols;
        int best = 0;
        float bestValue = at(iz, base);
        for (int j = 1; j < cols; j++) {
            float v = at(iz, base + j);
            if (v > bestValue) {
                bestValue = v;
                best = j;
            }
        }
        float hit = 0f;
        if (best == labels[r]) {
            hit = 1f;
        }
        return hit;
    }

    private void gradientRow(int r) {
        int base = r * cols;
        int y = labels[r];
        float top = rowMax(base);
        float sum = 0f;
        for (int j = 0; j < cols; j++) {
            float e = exp(at(iz, base + j) - top);
            put(io, base + j, e);
            sum += e;
        }
        float invN = 1f / rows;
        float scale = invN / sum;
        float invalid = 0f;
        if (y < 0 || y >= cols) {
            invalid = nan;
        }
        for (int j = 0; j < cols; j++) {
            float g = at(io, base + j) * scale;
            if (j == y) {
                g -= invN;
            }
            put(io, base + j, g + invalid);
        }
    }

    private float at(int slot, int i) {
        float v = 0f;
        if (slot == 0) {
            v = s0[i];
        } else {
            v = s1[i];
        }
        return v;
    }

    private void put(int slot, int i, float v) {
        if (slot == 0) {
            s0[i] = v;
        } else {
            s1[i] = v;
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
            s0 = array;
        } else {
            s1 = array;
        }
    }

    @Override
    public void bindInts(int slot, int[] array) {
        labels = array;
    }
}
