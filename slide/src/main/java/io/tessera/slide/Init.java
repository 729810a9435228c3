package io.tessera.slide;

/** Reproducible uniform initialisation from a seed (SplitMix64), the same on every machine. */
final class Init {
    private Init() {
    }

    /** Fills {@code a} with values uniform in {@code [-bound, bound)}. */
    static void uniform(float[] a, float bound, long seed) {
        long state = seed;
        for (int i = 0; i < a.length; i++) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            a[i] = (float) (((z >>> 40) * 0x1.0p-24 * 2 - 1) * bound);
        }
    }
}
