package io.tessera.data;

/**
 * Steele, Lea and Flood's SplitMix64 generator, spelled out here so that shuffles depend on nothing but the seed:
 * the same seed gives the same permutation on every Java version and machine. Not thread-safe.
 */
final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    /** A generator for stream {@code stream} (e.g. an epoch number) of {@code seed}, independent of the others. */
    static SplitMix64 forStream(long seed, long stream) {
        return new SplitMix64(mix(seed) ^ mix(GOLDEN_GAMMA * (stream + 1)));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform in {@code [0, bound)}, without modulo bias (rejection, as {@code java.util.Random#nextInt(int)}). */
    int nextInt(int bound) {
        int r = (int) (nextLong() >>> 33);
        int m = bound - 1;
        if ((bound & m) == 0) {
            return (int) ((bound * (long) r) >> 31);
        }
        for (int u = r; u - (r = u % bound) + m < 0; u = (int) (nextLong() >>> 33)) {
            // rejected: u fell in the incomplete last interval
        }
        return r;
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher-Yates). */
    int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p);
        return p;
    }

    /** Shuffles {@code a} in place (Fisher-Yates). */
    void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
