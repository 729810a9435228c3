package io.tessera.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * 2-D cross-correlation, NCHW, direct: one work-item per output element {@code (n, o, y, x)},
 * {@code out = bias[o] + sum_{c, i, j} weight[o, c, i, j] * input[n, c, y*strideH - padH + i, x*strideW - padW + j]},
 * skipping padded positions. Slots: input 0, weight 1, output 2, bias 3 (read only when {@link #hasBias} is 1). The
 * output never aliases the inputs. Accumulates in float, one partial sum per input channel. Translated to OpenCL by
 * Aparapi.
 */
final class Conv2dKernel extends Kernel implements Slotted {
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
            int o = t % outChannels;
            int n = t / outChannels;
            int y0 = y * strideH - padH;
            int x0 = x * strideW - padW;
            int iMin = max(0, -y0);
            int iMax = min(kernelH, height - y0);
            int jMin = max(0, -x0);
            int jMax = min(kernelW, width - x0);
            float acc = 0f;
            for (int c = 0; c < channels; c++) {
                int inBase = (n * channels + c) * height;
                int wBase = (o * channels + c) * kernelH;
                float part = 0f;
                for (int i = iMin; i < iMax; i++) {
                    int inRow = (inBase + y0 + i) * width + x0;
                    int wRow = (wBase + i) * kernelW;
                    for (int j = jMin; j < jMax; j++) {
                        part += weight[wRow + j] * input[inRow + j];
                    }
                }
                acc += part;
            }
            if (hasBias != 0) {
                acc += bias[o];
            }
            output[gid] = acc;
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
