package io.tessera.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * Copies an {@code n0 x n1 x n2} block between strided layouts: one work-item per block element {@code e < total},
 * {@code (i, j, k) = (e / (n1 n2), (e / n2) % n1, e % n2)}, reading float slot 0 at
 * {@code srcOffset + i srcS0 + j srcS1 + k srcS2} and writing float slot 1 at the same form of the {@code dst}
 * strides. The host has checked that every index lies inside its tensor (so no term overflows) and that the slots
 * do not alias. Translated to OpenCL by Aparapi.
 */
final class StridedCopyKernel extends Kernel implements Slotted {
    float[] src;
    float[] dst;
    int total;
    int n1;
    int n2;
    int srcOffset;
    int srcS0;
    int srcS1;
    int srcS2;
    int dstOffset;
    int dstS0;
    int dstS1;
    int dstS2;

    @Override
    public void run() {
        int e = getGlobalId();
        if (e < total) {
            int k = e % n2;
            int j = (e / n2) % n1;
            int i = e / n2 / n1;
            dst[dstOffset + i * dstS0 + j * dstS1 + k * dstS2] = src[srcOffset + i * srcS0 + j * srcS1 + k * srcS2];
        }
    }

    @Override
    public int floatSlots() {
        return 2;
    }

    @Override
    public int intSlots() {
        return 0;
    }

    @Override
    public void bindFloats(int slot, float[] array) {
        if (slot == 0) {
            src = array;
        } else {
            dst = array;
        }
    }

    @Override
    public void bindInts(int slot, int[] array) {
        throw new IllegalArgumentException("StridedCopyKernel has no int slots");
    }
}
