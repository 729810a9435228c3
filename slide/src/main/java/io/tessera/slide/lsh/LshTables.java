package io.tessera.slide.lsh;

import io.tessera.slide.random.SplitMix;

import java.util.Arrays;

/**
 * L hash tables over the neurons of a layer: in each table every neuron's weight vector falls in one bucket; a bucket
 * keeps at most {@code bucketSize} neurons, chosen by reservoir sampling among all that hash there, so a crowded bucket
 * holds a uniform sample of its neurons at a bounded cost. A query returns the neurons stored in the query's bucket
 * of every table.
 *
 * <p>Memory: {@code L * 2^bucketBits * bucketSize} ints of slots plus {@code 2 * L * neurons} ints of positions.
 * {@link #insertAll} and {@link #rehash} may run tables on several threads (each table is touched by one thread,
 * the draws of a table come from its own generator, so the result does not depend on the thread count); queries may run
 * concurrently with each other, never with an update.
 */
public final class LshTables {
    private final HashFamily family;
    private final int neurons;
    private final int bucketSize;
    private final int buckets;
    /** slots[t][bucket * bucketSize + i]: the i-th neuron stored in a bucket. */
    private final int[][] slots;
    /** stored[t][bucket]: how many are stored; seen[t][bucket]: how many hash there (the reservoir's count). */
    private final int[][] stored;
    private final int[][] seen;
    /** bucketOf[t][neuron]; slotOf[t][neuron] is its slot index, or -1 when the reservoir left it out. */
    private final int[][] bucketOf;
    private final int[][] slotOf;
    private final long[] random;

    public LshTables(HashFamily family, int neurons, int bucketSize, long seed) {
        if (neurons < 1 || bucketSize < 1) {
            throw new IllegalArgumentException("LSH tables need at least one neuron and a bucket size >= 1, got " + neurons
                    + " neurons, bucket size " + bucketSize);
        }
        long slotCount = (long) (1 << family.bucketBits()) * bucketSize;
        if (slotCount > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("2^" + family.bucketBits() + " buckets of " + bucketSize
                    + " neurons do not fit one array per table; lower the bucket bits or the bucket size");
        }
        this.family = family;
        this.neurons = neurons;
        this.bucketSize = bucketSize;
        this.buckets = 1 << family.bucketBits();
        int l = family.tables();
        slots = new int[l][(int) slotCount];
        stored = new int[l][buckets];
        seen = new int[l][buckets];
        bucketOf = new int[l][neurons];
        slotOf = new int[l][neurons];
        random = new long[l];
        for (int t = 0; t < l; t++) {
            Arrays.fill(bucketOf[t], -1);
            Arrays.fill(slotOf[t], -1);
            random[t] = seed * 31 + t;
        }
    }

    public HashFamily family() {
        return family;
    }

    public int tables() {
        return family.tables();
    }

    public int bucketSize() {
        return bucketSize;
    }

    /** Runs {@code task} over table ranges; implemented by the caller's thread pool. */
    public interface TableRunner {
        void forTables(int tables, java.util.function.IntConsumer table);
    }

    /**
     * Hashes neurons {@code ids[0..count)} (rows of {@code weights}, {@code dimension} floats each, row-major) and
     * moves each to its new bucket in every table. {@code codes} is scratch of {@code count * tables} ints, filled by
     * {@link #hashRows}.
     */
    public void rehash(int[] ids, int count, int[] codes, TableRunner runner) {
        int l = family.tables();
        runner.forTables(l, t -> {
            int[] bucket = bucketOf[t];
            for (int i = 0; i < count; i++) {
                int n = ids[i];
                int b = codes[i * l + t];
                if (bucket[n] == b) {
                    continue;
                }
                if (bucket[n] >= 0) {
                    remove(t, n);
                }
                insert(t, n, b);
            }
        });
    }

    /** Computes every table's bucket of each row {@code ids[i]} into {@code codes[i * tables + t]}; thread-safe. */
    public void hashRows(float[] weights, int[] ids, int from, int to, int[] codes) {
        int l = family.tables();
        int d = family.dimension();
        int[] one = new int[l];
        for (int i = from; i < to; i++) {
            family.hash(weights, ids[i] * d, one);
            System.arraycopy(one, 0, codes, i * l, l);
        }
    }

    private void insert(int t, int n, int b) {
        bucketOf[t][n] = b;
        int s = ++seen[t][b];
        int base = b * bucketSize;
        if (stored[t][b] < bucketSize) {
            int at = stored[t][b]++;
            slots[t][base + at] = n;
            slotOf[t][n] = at;
            return;
        }
        random[t] = SplitMix.next(random[t]);
        int r = SplitMix.bounded(random[t], s);
        if (r < bucketSize) {
            int evicted = slots[t][base + r];
            slotOf[t][evicted] = -1;
            slots[t][base + r] = n;
            slotOf[t][n] = r;
        } else {
            slotOf[t][n] = -1;
        }
    }

    private void remove(int t, int n) {
        int b = bucketOf[t][n];
        seen[t][b]--;
        int at = slotOf[t][n];
        if (at >= 0) {
            int base = b * bucketSize;
            int last = --stored[t][b];
            int moved = slots[t][base + last];
            slots[t][base + at] = moved;
            slotOf[t][moved] = at;
        }
        slotOf[t][n] = -1;
        bucketOf[t][n] = -1;
    }

    /** The neurons stored in bucket {@code bucket} of table {@code table}: {@link #slots(int)} from the bucket's start. */
    public int storedIn(int table, int bucket) {
        return stored[table][bucket];
    }

    /** Table {@code table}'s slot array; bucket {@code b} starts at {@code b * bucketSize()}. A view: do not modify. */
    public int[] slots(int table) {
        return slots[table];
    }

    /** Where neuron {@code neuron} is in table {@code table}: its bucket, or -1 before it is inserted. */
    public int bucketOf(int table, int neuron) {
        return bucketOf[table][neuron];
    }

    /** Whether the reservoir kept neuron {@code neuron} in its bucket of table {@code table}. */
    public boolean isStored(int table, int neuron) {
        return slotOf[table][neuron] >= 0;
    }

    /** How many neurons hash to a bucket, stored or not. */
    public int seenIn(int table, int bucket) {
        return seen[table][bucket];
    }

    public int neurons() {
        return neurons;
    }

    @Override
    public String toString() {
        return "LshTables[" + family.describe() + ", " + neurons + " neurons, buckets of " + bucketSize + "]";
    }
}
