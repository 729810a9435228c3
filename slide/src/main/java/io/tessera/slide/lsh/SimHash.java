package io.tessera.slide.lsh;

import io.tessera.slide.random.SplitMix;

/**
 * Signed random projections (Charikar's SimHash), the cosine-similarity family: bit {@code j} of a table is the sign of
 * the inner product with a random sparse {@code ±1} vector (a third of the coordinates non-zero, as in SLIDE); a
 * table's bucket is its {@code K} bits. Costs {@code K * L * dimension / 3} additions per vector.
 */
public final class SimHash implements HashFamily {
    private final int dimension;
    private final int bits;
    private final int tables;
    /** Per projection: the coordinates it adds, then those it subtracts, in {@code coordinates[starts[p] .. starts[p+1])}. */
    private final int[] starts;
    private final int[] splits;
    private final int[] coordinates;

    /**
     * @param dimension vector length
     * @param bits K, bits per table, in {@code [1, 24]}
     * @param tables L, at least 1
     */
    public SimHash(int dimension, int bits, int tables, long seed) {
        if (dimension < 1 || bits < 1 || bits > 24 || tables < 1) {
            throw new IllegalArgumentException("SimHash needs dimension >= 1, 1 <= K <= 24 and L >= 1, got dimension "
                    + dimension + ", K " + bits + ", L " + tables);
        }
        this.dimension = dimension;
        this.bits = bits;
        this.tables = tables;
        int projections = bits * tables;
        starts = new int[projections + 1];
        splits = new int[projections];
        int[] plus = new int[dimension];
        int[] minus = new int[dimension];
        int[] all = new int[Math.max(1, projections * dimension)];
        int at = 0;
        long state = seed ^ 0x51A4A5L;
        for (int p = 0; p < projections; p++) {
            int np = 0;
            int nm = 0;
            for (int d = 0; d < dimension; d++) {
                state = SplitMix.next(state);
                int r = SplitMix.bounded(state, 6);
                if (r == 0) {
                    plus[np++] = d;
                } else if (r == 1) {
                    minus[nm++] = d;
                }
            }
            if (np + nm == 0) {
                plus[np++] = SplitMix.bounded(SplitMix.next(state), dimension);
            }
            starts[p] = at;
            System.arraycopy(plus, 0, all, at, np);
            at += np;
            splits[p] = at;
            System.arraycopy(minus, 0, all, at, nm);
            at += nm;
        }
        starts[projections] = at;
        coordinates = java.util.Arrays.copyOf(all, at);
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
        return bits;
    }

    @Override
    public void hash(float[] x, int offset, int[] buckets) {
        int p = 0;
        for (int t = 0; t < tables; t++) {
            int code = 0;
            for (int b = 0; b < bits; b++, p++) {
                float sum = 0f;
                int split = splits[p];
                for (int k = starts[p]; k < split; k++) {
                    sum += x[offset + coordinates[k]];
                }
                int end = starts[p + 1];
                for (int k = split; k < end; k++) {
                    sum -= x[offset + coordinates[k]];
                }
                code = (code << 1) | (sum > 0f ? 1 : 0);
            }
            buckets[t] = code;
        }
    }

    @Override
    public String describe() {
        return "simhash(K=" + bits + ", L=" + tables + ")";
    }
}
