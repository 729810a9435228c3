package io.tessera.slide.lsh;

import io.tessera.slide.random.SplitMix;

/**
 * Densified winner-take-all hashing (DWTA; Chen and Shrivastava), the family SLIDE uses for its wide layers: each of
 * {@code K * L} bins looks at {@code binSize} coordinates (consecutive slices of random permutations of the
 * dimensions) and yields the position of the largest one, {@code log2(binSize)} bits; a table's bucket is its
 * {@code K} bin codes side by side, folded to {@code bucketBits} bits by a multiplicative hash when longer. It ranks
 * coordinates and ignores their scale, so it suits inner-product search. A bin whose coordinates are all zero (common
 * after a ReLU) is empty and borrows the code of another bin, chosen by a fixed probe sequence, which is the
 * densification: every table gets a bucket. Costs {@code K * L * binSize} comparisons per vector.
 */
public final class DensifiedWta implements HashFamily {
    private final int dimension;
    private final int bins;
    private final int tables;
    private final int binSize;
    private final int binBits;
    private final int bucketBits;
    private final int[] coordinates;
    private final ThreadLocal<int[]> codes;

    /**
     * @param dimension vector length
     * @param bins K, bins per table
     * @param tables L
     * @param binSize coordinates per bin, a power of two in {@code [2, dimension]}
     * @param bucketBits bits of a bucket index, in {@code [1, 24]}
     */
    public DensifiedWta(int dimension, int bins, int tables, int binSize, int bucketBits, long seed) {
        if (dimension < 2 || bins < 1 || tables < 1 || binSize < 2 || binSize > dimension || Integer.bitCount(binSize) != 1
                || bucketBits < 1 || bucketBits > 24) {
            throw new IllegalArgumentException("DWTA needs dimension >= 2, K >= 1, L >= 1, a power-of-two bin size in [2, "
                    + "dimension] and 1 <= bucket bits <= 24; got dimension " + dimension + ", K " + bins + ", L " + tables
                    + ", bin size " + binSize + ", bucket bits " + bucketBits);
        }
        this.dimension = dimension;
        this.bins = bins;
        this.tables = tables;
        this.binSize = binSize;
        this.binBits = Integer.numberOfTrailingZeros(binSize);
        this.bucketBits = bucketBits;
        int total = bins * tables * binSize;
        coordinates = new int[total];
        int[] permutation = new int[dimension];
        long state = seed ^ 0xD37AL;
        int perBatch = dimension / binSize * binSize;
        for (int at = 0; at < total; at += perBatch) {
            for (int d = 0; d < dimension; d++) {
                permutation[d] = d;
            }
            for (int d = dimension - 1; d > 0; d--) {
                state = SplitMix.next(state);
                int j = SplitMix.bounded(state, d + 1);
                int t = permutation[d];
                permutation[d] = permutation[j];
                permutation[j] = t;
            }
            System.arraycopy(permutation, 0, coordinates, at, Math.min(perBatch, total - at));
        }
        codes = ThreadLocal.withInitial(() -> new int[bins * tables]);
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int tables() {
        return tables;
    }

    @Override
    public int bucketBits() {
        return bucketBits;
    }

    @Override
    public void hash(float[] x, int offset, int[] buckets) {
        int total = bins * tables;
        int[] code = codes.get();
        int empty = 0;
        for (int b = 0, k = 0; b < total; b++) {
            int best = -1;
            float max = 0f;
            for (int i = 0; i < binSize; i++, k++) {
                float v = x[offset + coordinates[k]];
                if (v != 0f && (best < 0 || v > max)) {
                    max = v;
                    best = i;
                }
            }
            code[b] = best;
            if (best < 0) {
                empty++;
            }
        }
        if (empty == total) {
            java.util.Arrays.fill(buckets, 0, tables, 0);
            return;
        }
        int mask = (1 << bucketBits) - 1;
        for (int t = 0; t < tables; t++) {
            long key = 0;
            for (int j = 0; j < bins; j++) {
                int b = t * bins + j;
                int c = code[b];
                for (int attempt = 1; c < 0 && attempt <= 4 * total; attempt++) {
                    c = code[SplitMix.bounded(SplitMix.next(((long) b << 20) + attempt), total)];
                }
                for (int probe = 1; c < 0; probe++) {
                    c = code[(b + probe) % total];
                }
                key = (key << binBits) | c;
            }
            int bits = bins * binBits;
            buckets[t] = bits <= bucketBits ? (int) key : (int) ((SplitMix.next(key) >>> (64 - bucketBits)) & mask);
        }
    }

    @Override
    public String describe() {
        return "dwta(K=" + bins + ", L=" + tables + ", bin=" + binSize + ", bucket bits=" + bucketBits + ")";
    }
}
