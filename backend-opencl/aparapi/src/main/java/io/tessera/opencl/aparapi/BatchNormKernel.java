package io.tessera.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * Batch normalisation over the channel axis of an {@code [N, C, L]} layout ({@code L} the product of the axes after
 * the channel, 1 for {@code [N, C]}), the three passes in one class so that the input, {@code gamma} and the saved
 * statistics stay in the same slots from the training pass to the backward pass. Chosen by {@link #op}:
 * <ul>
 *   <li>{@code TRAIN}: one work-item per channel. Slots: input 0, gamma 1, beta 2, runningMean 3, runningVar 4,
 *       saveMean 5, saveInvStd 6, output {@link #out} (7, or 0 in place). Two passes over the channel's {@code M}
 *       values: a first mean, then the deviations {@code d} from it, whose sum corrects the mean
 *       ({@code + sum d / M}) and the variance ({@code (sum d^2 - (sum d)^2 / M) / M}), so a large common offset
 *       costs no accuracy; a third pass writes the output.</li>
 *   <li>{@code EVAL}: one work-item per element. Slots 0 to 4 as above, output {@link #out} (5, or 0 in place).</li>
 *   <li>{@code BACKWARD}: one work-item per channel. Slots: input 0, gamma 1, gradOutput 2, gradGamma 3, gradBeta 4,
 *       saveMean 5, saveInvStd 6, gradInput 7.</li>
 * </ul>
 * Sums are float, one partial per batch item. Translated to OpenCL by Aparapi.
 */
final class BatchNormKernel extends Kernel implements Slotted {
    static final int TRAIN = 0;
    static final int EVAL = 1;
    static final int BACKWARD = 2;

    float[] s0;
    float[] s1;
    float[] s2;
    float[] s3;
    float[] s4;
    float[] s5;
    float[] s6;
    float[] s7;
    int op;
    int out;
    int batch;
    int channels;
    int inner;
    int total;
    float momentum;
    float eps;

    @Override
    public void run() {
        int gid = getGlobalId();
        if (op == EVAL && gid < total) {
            eval(gid);
        }
        if (op == TRAIN && gid < channels) {
            train(gid);
        }
        if (op == BACKWARD && gid < channels) {
            backward(gid);
        }
    }

    private void eval(int i) {
        int c = (i / inner) % channels;
        put(i, s1[c] * (s0[i] - s3[c]) / sqrt(s4[c] + eps) + s2[c]);
    }

    private void train(int c) {
        int m = batch * inner;
        float fm = (float) m;
        float sum = 0f;
        for (int n = 0; n < batch; n++) {
            int base = (n * channels + c) * inner;
            float part = 0f;
            for (int l = 0; l < inner; l++) {
                part += s0[base + l];
            }
            sum += part;
        }
        float mean = sum / fm;
        float sd = 0f;
        float sd2 = 0f;
        for (int n = 0; n < batch; n++) {
            int base = (n * channels + c) * inner;
            float part = 0f;
            float part2 = 0f;
            for (int l = 0; l < inner; l++) {
                float d = s0[base + l] - mean;
                part += d;
                part2 += d * d;
            }
            sd += part;
            sd2 += part2;
        }
        // The first mean carries the rounding of a float sum of M values of the offset's size; the deviations from
        // it are exact or nearly, so their sum corrects it, and their corrected sum of squares gives the variance.
        float var = max((sd2 - sd * sd / fm) / fm, 0f);
        mean = mean + sd / fm;
        float invStd = 1f / sqrt(var + eps);
        float scale = s1[c] * invStd;
        float shift = s2[c];
        for (int n = 0; n < batch; n++) {
            int base = (n * channels + c) * inner;
            for (int l = 0; l < inner; l++) {
                put(base + l, scale * (s0[base + l] - mean) + shift);
            }
        }
        s3[c] = (1f - momentum) * s3[c] + momentum * mean;
        s4[c] = (1f - momentum) * s4[c] + momentum * (var * fm / (fm - 1f));
        s5[c] = mean;
        s6[c] = invStd;
    }

    private void backward(int c) {
        int m = batch * inner;
        float fm = (float) m;
        float mean = s5[c];
        float invStd = s6[c];
        float sumG = 0f;
        float sumGx = 0f;
        for (int n = 0; n < batch; n++) {
            int base = (n * channels + c) * inner;
            float part = 0f;
            float partX = 0f;
            for (int l = 0; l < inner; l++) {
                float g = s2[base + l];
                part += g;
                partX += g * ((s0[base + l] - mean) * invStd);
            }
            sumG += part;
            sumGx += partX;
        }
        s4[c] = sumG;
        s3[c] = sumGx;
        float k = s1[c] * invStd / fm;
        for (int n = 0; n < batch; n++) {
            int base = (n * channels + c) * inner;
            for (int l = 0; l < inner; l++) {
                float xhat = (s0[base + l] - mean) * invStd;
                s7[base + l] = k * (fm * s2[base + l] - sumG - xhat * sumGx);
            }
        }
    }

    private void put(int i, float v) {
        if (out == 0) {
            s0[i] = v;
        } else if (out == 5) {
            s5[i] = v;
        } else {
            s7[i] = v;
        }
    }

    @Override
    public int floatSlots() {
        return 8;
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
        } else if (slot == 2) {
            s2 = array;
        } else if (slot == 3) {
            s3 = array;
        } else if (slot == 4) {
            s4 = array;
        } else if (slot == 5) {
            s5 = array;
        } else if (slot == 6) {
            s6 = array;
        } else {
            s7 = array;
        }
    }

    @Override
    public void bindInts(int slot, int[] array) {
        throw new IllegalArgumentException("BatchNormKernel has no int slots");
    }
}
