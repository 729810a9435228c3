package io.tessera.spi;

/**
 * Philox4x32-10, the counter-based generator behind {@link Kernels#dropoutMask}: the reference every backend's kernel
 * must reproduce bit for bit. Stateless and thread-safe; element {@code j} of a stream keyed by {@code seed} is a pure
 * function of {@code (seed, j)}, so any backend can compute any element independently.
 */
public final class Philox {
    static final int M0 = 0xD2511F53;
    static final int M1 = 0xCD9E8D57;
    static final int W0 = 0x9E3779B9;
    static final int W1 = 0xBB67AE85;

    private Philox() {
    }

    /**
     * The four 32-bit words of block {@code (counterLo, counterHi, 0, 0)} under key {@code seed}.
     *
     * @param seed the key: low 32 bits {@code key0}, high 32 bits {@code key1}
     * @param counterLo the counter's first word
     * @param counterHi its second word
     * @return a new array of the four output words
     */
    public static int[] block(long seed, int counterLo, int counterHi) {
        return block((int) seed, (int) (seed >>> 32), counterLo, counterHi, 0, 0);
    }

    /**
     * The full Philox4x32-10 bijection: counter {@code (c0, c1, c2, c3)} under key {@code (k0, k1)}. The kernels use
     * only {@code c2 = c3 = 0}; the general form is here for Random123's known-answer tests.
     */
    static int[] block(int k0, int k1, int c0, int c1, int c2, int c3) {
        for (int round = 0; round < 10; round++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n1 = (int) p1;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            int n3 = (int) p0;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
            k0 += W0;
            k1 += W1;
        }
        return new int[] {c0, c1, c2, c3};
    }

    /**
     * Element {@code j >= 0} of the stream: lane {@code j % 4} of block {@code j / 4}, as 32 random bits.
     *
     * @param seed the key
     * @param j the element, {@code >= 0}
     * @return the word
     */
    public static int bits(long seed, long j) {
        long block = j >>> 2;
        return block(seed, (int) block, (int) (block >>> 32))[(int) (j & 3)];
    }

    /**
     * Element {@code j} as a float uniform in {@code [0, 1)}: the top 24 bits times {@code 2^-24}, exact.
     *
     * @param seed the key
     * @param j the element, {@code >= 0}
     * @return {@code (bits >>> 8) * 2^-24}
     */
    public static float uniform(long seed, long j) {
        return (bits(seed, j) >>> 8) * 0x1.0p-24f;
    }

    /**
     * The dropout mask value of element {@code j}: 0 when dropped (probability {@code p}), else {@code 1 / (1 - p)}.
     *
     * @param seed the key
     * @param j the element, {@code >= 0}
     * @param p the drop probability, in {@code [0, 1)}
     * @return 0 or {@code 1 / (1 - p)}, in float
     */
    public static float maskValue(long seed, long j, float p) {
        return uniform(seed, j) < p ? 0f : 1f / (1f - p);
    }
}
