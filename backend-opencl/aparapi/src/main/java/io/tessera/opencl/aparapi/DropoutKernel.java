package io.tessera.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * The dropout mask, bit-exact with {@link io.tessera.spi.Philox}: one work-item per Philox4x32-10 block, i.e. per four
 * consecutive stream elements {@code j}; block {@code b} of the launch is stream block {@code firstBlock + b} and writes
 * the lanes whose {@code i = j - offset} lies in {@code [0, n)}: {@code mask[i] = u < p ? 0 : scale} with
 * {@code u = (w >>> 8) * 2^-24}. The 32x32-to-64-bit products are built from 16-bit halves in {@code long}s that
 * never overflow (OpenCL leaves signed overflow undefined), and every 32-bit word is kept unsigned in a {@code long}.
 * {@code scale = 1 / (1 - p)} is computed on the host in float, as the reference does. The 64-bit values arrive as
 * pairs of ints. The mask is float slot 0. Translated to OpenCL by Aparapi.
 */
final class DropoutKernel extends Kernel implements Slotted {
    private static final long M0 = 0xD2511F53L;
    private static final long M1 = 0xCD9E8D57L;
    private static final long W0 = 0x9E3779B9L;
    private static final long W1 = 0xBB67AE85L;
    private static final long LOW32 = 0xFFFFFFFFL;
    private static final long LOW16 = 0xFFFFL;

    float[] mask;
    int n;
    int blocks;
    int keyLo;
    int keyHi;
    int offsetLo;
    int offsetHi;
    float p;
    float scale;

    @Override
    public void run() {
        int b = getGlobalId();
        if (b < blocks) {
            long offset = ((long) offsetHi << 32) | (offsetLo & LOW32);
            long block = (offset >> 2) + b;
            long c0 = block & LOW32;
            long c1 = (block >> 32) & LOW32;
            long c2 = 0L;
            long c3 = 0L;
            long k0 = keyLo & LOW32;
            long k1 = keyHi & LOW32;
            for (int round = 0; round < 10; round++) {
                long pl0 = M0 * (c0 & LOW16);
                long mid0 = M0 * (c0 >> 16) + (pl0 >> 16);
                long hi0 = mid0 >> 16;
                long lo0 = ((mid0 & LOW16) << 16) | (pl0 & LOW16);
                long pl1 = M1 * (c2 & LOW16);
                long mid1 = M1 * (c2 >> 16) + (pl1 >> 16);
                long hi1 = mid1 >> 16;
                long lo1 = ((mid1 & LOW16) << 16) | (pl1 & LOW16);
                long n0 = hi1 ^ c1 ^ k0;
                long n2 = hi0 ^ c3 ^ k1;
                c0 = n0;
                c1 = lo1;
                c2 = n2;
                c3 = lo0;
                k0 = (k0 + W0) & LOW32;
                k1 = (k1 + W1) & LOW32;
            }
            long first = block * 4L - offset;
            lane(first, c0);
            lane(first + 1L, c1);
            lane(first + 2L, c2);
            lane(first + 3L, c3);
        }
    }

    private void lane(long i, long word) {
        if (i >= 0L && i < n) {
            float u = (float) ((int) (word >> 8)) * 5.9604645E-8f;
            mask[(int) i] = u < p ? 0f : scale;
        }
    }

    @Override
    public int floatSlots() {
        return 1;
    }

    @Override
    public int intSlots() {
        return 0;
    }

    @Override
    public void bindFloats(int slot, float[] array) {
        mask = array;
    }

    @Override
    public void bindInts(int slot, int[] array) {
        throw new IllegalArgumentException("DropoutKernel has no int slots");
    }
}
