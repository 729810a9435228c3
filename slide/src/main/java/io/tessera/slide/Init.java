package io.tessera.slide;

import io.tessera.slide.random.SplitMix;

/** Reproducible uniform initialisation from a seed (SplitMix64), the same on every machine. */
final class Init {
    private Init() {
    }

    /** Fills {@code a} with values uniform in {@code [-bound, bound)}. */
    static void uniform(float[] a, float bound, long seed) {
        for (int i = 0; i < a.length; i++) {
            long z = SplitMix.at(seed, i);
            a[i] = (float) (((z >>> 40) * 0x1.0p-24 * 2 - 1) * bound);
        }
    }
}
