package io.tessera.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * 2-D max pooling over NCHW planes, both directions in one class so that the indices the forward pass writes stay
 * in this kernel's buffer for the backward pass (int slot 0 in both). Chosen by {@link #op}:
 * <ul>
 *   <li>{@code FORWARD}: one work-item per output element; float slot 0 is the input, float slot 1 the output. The
 *       window's first in-range position starts the search, a larger value or a NaN replaces it (ties keep the
 *       first in row-major order; once a NaN is chosen it stays). The index is {@code h * W + w} in the plane.</li>
 *   <li>{@code BACKWARD}: one work-item per input element, gathering without atomics: the sum of
 *       {@code gradOutput} (float slot 0) over the output positions whose window covers it and whose index points
 *       at it; written to float slot 1 (0 where none does).</li>
 * </ul>
 * No slot aliases another. Translated to OpenCL by Aparapi.
 */
final class MaxPoolKernel extends Kernel implements Slotted {
    static final int FORWARD = 0;
    static final int BACKWARD = 1;

    float[] s0;
    float[] s1;
    int[] indices;
    int op;
    int total;
    int height;
    int width;
    int outHeight;
    int outWidth;
    int kernelH;
    int kernelW;
    int strideH;
    int strideW;
    int padH;
    int padW;

    @Override
    public void run() {
        int gid = getGlobalId();
        if (gid < total) {
            if (op == FORWARD) {
                forward(gid);
            } else {
                backward(gid);
            }
        }
    }

    private void forward(int gid) {
        int x = gid % outWidth;
        int plane = gid / outWidth / outHeight;
        int y = (gid / outWidth) % outHeight;
        int base = plane * height * width;
        int y0 = y * strideH - padH;
        int x0 = x * strideW - padW;
        int found = 0;
        float best = 0f;
        int bestIndex = 0;
        for (int i = 0; i < kernelH; i++) {
            int h = y0 + i;
            if (h >= 0 && h < height) {
                for (int j = 0; j < kernelW; j++) {
                    int w = x0 + j;
                    if (w >= 0 && w < width) {
                        float v = s0[base + h * width + w];
                        if (found == 0 || (best == best && (v > best || v != v))) {
                            best = v;
                            bestIndex = h * width + w;
                            found = 1;
                        }
                    }
                }
            }
        }
        s1[gid] = best;
        indices[gid] = bestIndex;
    }

    private void backward(int gid) {
        int w = gid % width;
        int plane = gid / width / height;
        int h = (gid / width) % height;
        int target = h * width + w;
        int outBase = plane * outHeight * outWidth;
        float acc = 0f;
        for (int i = 0; i < kernelH; i++) {
            int ty = h + padH - i;
            if (ty >= 0 && ty % strideH == 0 && ty / strideH < outHeight) {
                int row = outBase + (ty / strideH) * outWidth;
                for (int j = 0; j < kernelW; j++) {
                    int tx = w + padW - j;
                    if (tx >= 0 && tx % strideW == 0 && tx / strideW < outWidth) {
                        int o = row + tx / strideW;
                        if (indices[o] == target) {
                            acc += s0[o];
                        }
                    }
                }
            }
        }
        s1[gid] = acc;
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
        indices = array;
    }
}
