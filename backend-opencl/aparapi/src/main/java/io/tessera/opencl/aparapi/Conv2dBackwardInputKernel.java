package io.tessera.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * The input gradient of {@link Conv2dKernel}, gathering without atomics: one work-item per input element
 * {@code (n, c, h, w)} sums {@code gradOutput[n, o, y, x] * weight[o, c, i, j]} over every output position
 * {@code (y, x)} whose window covers it ({@code y * strideH - padH + i == h}, likewise for {@code w}) and every output
 * channel {@code o}; positions no window covers get 0. Slots: gradOutput 0, weight 1, gradInput 2 (never aliased).
 * Accumulates in float. Translated to OpenCL by Aparapi.
 */
final class Conv2dBackwardInputKernel extends Kernel implements Slotted {
    float[] gradOutput;
    float[] weight;
    float[] gradInput;
    int total;
    int channels;
    int height;
    int width;
    int outChannels;
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
            int w = gid % width;
            int t = gid / width;
            int h = t % height;
            t = t / height;
            int c = t % channels;
            int n = t / channels;
            float acc = 0f;
            for (int i = 0; i < kernelH; i++) {
                int ty = h + padH - i;
                if (ty >= 0 && ty % strideH == 0 && ty / strideH < outHeight) {
                    int y = ty / strideH;
                    for (int j = 0; j < kernelW; j++) {
                        int tx = w + padW - j;
                        if (tx >= 0 && tx % strideW == 0 && tx / strideW < outWidth) {
                            int x = tx / strideW;
                            float part = 0f;
                            for (int o = 0; o < outChannels; o++) {
                                part += gradOutput[((n * outChannels + o) * outHeight + y) * outWidth + x]
                                        * weight[((o * channels + c) * kernelH + i) * kernelW + j];
                            }
                            acc += part;
                        }
                    }
                }
            }
            gradInput[gid] = acc;
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
            gradOutput = array;
        } else if (slot == 1) {
            weight = array;
        } else {
            gradInput = array;
        }
    }

    @Override
    public void bindInts(int slot, int[] array) {
        throw new IllegalArgumentException("Conv2dBackwardInputKernel has no int slots");
    }
}
