package io.tessera.slide.lsh;

/** SplitMix64-style mixing, for reproducible draws from a seed without a generator object. */
final class Mix {
    private Mix() {
    }

    static long next(long state) {
        long z = state + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static int bounded(long state, int bound) {
        return (int) (((state >>> 32) * bound) >>> 32);
    }
}
