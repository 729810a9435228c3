package io.tessera.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * The weight and bias gradients of {@link Conv2dKernel}, summed over the batch. Work-items
 * {@code 0 .. weightCount - 1} take one weight element {@code (o, c, i, j)} each and sum
 * {@code gradOutput[n, o, y, x] * input[n, c, y*strideH - padH + i, x*strideW - padW + j]} over {@code n, y, x}
 * (padded positions add nothing); when {@link #hasBias} is 1, work-items {@code weightCount .. weightCount + O - 1}
 * take one output channel each and sum its {@code gradOutput}. Sums are float, one partial per batch item. Slots:
 * input 0, gradOutput 1, gradWeight 2, gradBias 3 (never aliased). Translated to OpenCL by Aparapi.
 */
final class Conv2dBackwardWeightKernel extends Kernel implements Slotted {
    float[] input;
    float[] gradOutput;
    float[] gradWeight;
    float[] gradBias;
    int hasBias;
    int weightCount;
    int batch;
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
        if (gid < weightCount) {
            int j = gid % kernelW;
            int t = gid / kernelW;
            int i = t % kernelH;
            t = t / kernelH;
            int c = t % channels;
            int o = t / channels;
            // Output rows/columns whose window position i (j) falls inside the input.
            int yMin = 0;
            int yMax = outHeight;
            int xMin = 0;
            int xMax = outWidth;
            while (yMin < outHeight && yMin * strideH - padH + i < 0) {
                yMin++;
            }
            while (yMax > yMin && (yMax - 1) * strideH - padH + i >= height) {
                yMax--;
            }
            while (xMin < outWidth && xMin * strideW - padW + j < 0) {
                xMin++;
            }
            while (xMax > xMin && (xMax - 1) * strideW - padW + j >= width) {
                xMax--;
            }
            float acc = 0f;
            for (int n = 0; n < batch; n++) {
                int gBase = (n * outChannels + o) * outHeight;
                int inBase = (n * channels + c) * height;
                float part = 0f;
                for (int y = yMin; y < yMax; y++) {
                    int gRow = (gBase + y) * outWidth;
                    int inRow = (inBase + y * strideH - padH + i) * width - padW + j;
                    for (int x = xMin; x < xMax; x++) {
                        part += gradOutput[gRow + x] * input[inRow + x * strideW];
                    }
                }
                acc += part;
            }
            gradWeight[gid] = acc;
        } else if (hasBias != 0 && gid < weightCount + outChannels) {
            int o = gid - weightCount;
            int plane = outHeight * outWidth;
            float acc = 0f;
            for (int n = 0; n < batch; n++) {
                int base = (n * outChannels + o) * plane;
                float part = 0f;
                for (int p = 0; p < plane; p++) {
                    part += gradOutput[base + p];
                }
                acc += part;
            }
            gradBias[o] = acc;
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
            input = array;
        } else if (slot == 1) {
            gradOutput = array;
        } else if (slot == 2) {
            gradWeight = array;
        } else {
            gradBias = array;
        }
    }

    @Override
    public void bindInts(int slot, int[] array) {
        throw new IllegalArgumentException("Conv2dBackwardWeightKernel has no int slots");
    }
}
