package io.tessera.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * 2-D cross-correlation, NCHW, direct: one work-item per output position {@code (n, y, x)} and block of
 * {@link #BLOCK} consecutive output channels {@code o} ({@link #total} counts the work-items),
 * {@code out = bias[o] + sum_{c, i, j} weight[o, c, i, j] * input[n, c, y*strideH - padH + i, x*strideW - padW + j]},
 * skipping padded positions. Slots: input 0, weight 1, output 2, bias 3 (read only when {@link #hasBias} is 1). The
 * output never aliases the inputs. Accumulates in float, one partial sum per input channel. Translated to OpenCL by
 * Aparapi.
 */
final class Conv2dKernel extends Kernel implements Slotted {
    /** Output channels per work-item: each input value loaded serves this many filters. */
    static final int BLOCK = 4;

    float[] input;
    float[] weight;
    float[] output;
    float[] bias;
    int hasBias;
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
            int x = gid % outWidth;
            int t = gid / outWidth;
            int y = t % outHeight;
            t = t / outHeight;
            int blocks = (outChannels + BLOCK - 1) / BLOCK;
            int o = (t % blocks) * BLOCK;
            int n = t / blocks;
            int y0 = y * strideH - padH;
            int x0 = x * strideW - padW;
            int iMin = max(0, -y0);
            int iMax = min(kernelH, height - y0);
            int jMin = max(0, -x0);
            int jMax = min(kernelW, width - x0);
            int filter = channels * kernelH * kernelW;
            // Past the last output channel a lane reads the last filter again and writes nothing.
            int w0 = o * filter;
            int w1 = min(o + 1, outChannels - 1) * filter;
            int w2 = min(o + 2, outChannels - 1) * filter;
            int w3 = min(o + 3, outChannels - 1) * filter;
            float acc0 = 0f;
            float acc1 = 0f;
            float acc2 = 0f;
            float acc3 = 0f;
            for (int c = 0; c < channels; c++) {
                int inBase = (n * channels + c) * height;
                int wBase = c * kernelH;
                float p0 = 0f;
                float p1 = 0f;
                float p2 = 0f;
                float p3 = 0f;
                for (int i = iMin; i < iMax; i++) {
                    int inRow = (inBase + y0 + i) * width + x0;
                    int wRow = (wBase + i) * kernelW;
                    for (int j = jMin; j < jMax; j++) {
                        float v = input[inRow + j];
                        p0 += weight[w0 + wRow + j] * v;
                        p1 += weight[w1 + wRow + j] * v;
                        p2 += weight[w2 + wRow + j] * v;
                        p3 += weight[w3 + wRow + j] * v;
                    }
                }
                acc0 += p0;
                acc1 += p1;
                acc2 += p2;
                acc3 += p3;
            }
            int plane = outHeight * outWidth;
            int at = ((n * outChannels + o) * outHeight + y) * outWidth + x;
            store(at, o, acc0);
            if (o + 1 < outChannels) {
                store(at + plane, o + 1, acc1);
            }
            if (o + 2 < outChannels) {
                store(at + 2 * plane, o + 2, acc2);
            }
            if (o + 3 < outChannels) {
                store(at + 3 * plane, o + 3, acc3);
            }
        }
    }

    private void store(int at, int o, float acc) {
        float b = 0f;
        if (hasBias != 0) {
            b = bias[o];
        }
        output[at] = acc + b;
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
            weight = array;
        } else if (slot == 2) {
            output = array;
        } else {
            bias = array;
        }
    }

    @Override
    public void bindInts(int slot, int[] array) {
        throw new IllegalArgumentException("Conv2dKernel has no int slots");
    }
}
