package io.tessera.slide.random;

/**
 * SplitMix64 as pure functions: reproducible draws from a seed and a position, without a generator object, the same
 * on every machine and thread. The module's one source of randomness (weights, shuffles, hashes, padding, data).
 */
public final class SplitMix {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private SplitMix() {
    }

    /** The draw after {@code state}; feed it back to walk a sequence. */
    public static long next(long state) {
        long z = state + GOLDEN;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Draw {@code index} (from 0) of the sequence seeded by {@code seed}, without walking to it. */
    public static long at(long seed, long index) {
        return next(seed + GOLDEN * index);
    }

    /** A draw mapped to {@code [0, bound)} by its high 32 bits. */
    public static int bounded(long draw, int bound) {
        return (int) (((draw >>> 32) * bound) >>> 32);
    }
}
