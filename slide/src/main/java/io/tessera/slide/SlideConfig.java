package io.tessera.slide;

/**
 * The parameters of a {@link SlideLinear}; {@code docs/slide.md} says why the defaults are what they are.
 *
 * @param hash the hash family
 * @param bits K: bits per table (SimHash) or bins per table (DWTA)
 * @param tables L: hash tables
 * @param binSize DWTA's coordinates per bin (a power of two); unused by SimHash
 * @param bucketBits DWTA's bits per bucket index (SimHash uses K)
 * @param bucketSize neurons kept per bucket (reservoir sampling beyond)
 * @param maxActive the most neurons per training sample besides its labels: retrieved neurons beyond it are dropped,
 *     those found in the fewest tables first; at least the number of classes makes every neuron active
 * @param minActive the fewest neurons per training sample: samples whose union is smaller are padded with random
 *     neurons
 * @param rehashStart batches before the first rehash of the updated neurons
 * @param rehashGrowth factor by which the interval between rehashes grows, at least 1
 * @param updates how a batch's weight gradients are summed
 */
public record SlideConfig(Hash hash, int bits, int tables, int binSize, int bucketBits, int bucketSize, int maxActive,
                          int minActive, int rehashStart, double rehashGrowth, Updates updates) {

    /** The hash families. */
    public enum Hash { SIMHASH, DWTA }

    /**
     * {@code DETERMINISTIC}: entries grouped by neuron, each neuron's gradient summed by one thread in sample order,
     * applied at once (results independent of the thread count). {@code HOGWILD}: every thread adds its samples'
     * gradients into shared per-neuron buffers without locks, as the SLIDE paper does, then the touched neurons are
     * updated.
     */
    public enum Updates { DETERMINISTIC, HOGWILD }

    /** The defaults for a layer of {@code classes} neurons (see {@code docs/slide.md}). */
    public static SlideConfig defaults(int classes) {
        int bucketBits = Math.max(4, Math.min(16, 32 - Integer.numberOfLeadingZeros(Math.max(1, classes / 4))));
        return new SlideConfig(Hash.DWTA, 4, 50, 8, bucketBits, 32, 3072, 1536, 50, 1.2, Updates.DETERMINISTIC);
    }

    public SlideConfig {
        if (hash == null || updates == null) {
            throw new IllegalArgumentException("hash and updates must be given");
        }
        if (bits < 1 || tables < 1 || bucketSize < 1 || maxActive < 1 || minActive < 0 || rehashStart < 1
                || !(rehashGrowth >= 1.0) || Double.isInfinite(rehashGrowth)) {
            throw new IllegalArgumentException("SLIDE parameters out of range: K " + bits + ", L " + tables + ", bucket size "
                    + bucketSize + ", max active " + maxActive + ", min active " + minActive + ", rehash start " + rehashStart
                    + ", rehash growth " + rehashGrowth + " (need K, L, bucket size, max active, rehash start >= 1, "
                    + "min active >= 0, growth >= 1)");
        }
    }

    public SlideConfig withHash(Hash h, int k, int l) {
        return new SlideConfig(h, k, l, binSize, bucketBits, bucketSize, maxActive, minActive, rehashStart, rehashGrowth, updates);
    }

    public SlideConfig withActive(int max, int min) {
        return new SlideConfig(hash, bits, tables, binSize, bucketBits, bucketSize, max, min, rehashStart, rehashGrowth, updates);
    }

    public SlideConfig withBuckets(int bucketBitsValue, int size) {
        return new SlideConfig(hash, bits, tables, binSize, bucketBitsValue, size, maxActive, minActive, rehashStart,
                rehashGrowth, updates);
    }

    public SlideConfig withRehash(int start, double growth) {
        return new SlideConfig(hash, bits, tables, binSize, bucketBits, bucketSize, maxActive, minActive, start, growth, updates);
    }

    public SlideConfig withUpdates(Updates u) {
        return new SlideConfig(hash, bits, tables, binSize, bucketBits, bucketSize, maxActive, minActive, rehashStart,
                rehashGrowth, u);
    }

    String describe() {
        return hash.name().toLowerCase(java.util.Locale.ROOT) + " K=" + bits + " L=" + tables
                + (hash == Hash.DWTA ? " bin=" + binSize + " bucketBits=" + bucketBits : "") + " bucket=" + bucketSize
                + " active=" + minActive + ".." + maxActive + " rehash=" + rehashStart + "x" + rehashGrowth + " "
                + updates.name().toLowerCase(java.util.Locale.ROOT);
    }
}
