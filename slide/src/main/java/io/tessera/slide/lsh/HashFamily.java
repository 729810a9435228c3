package io.tessera.slide.lsh;

/**
 * A locality-sensitive hash family for dense vectors of a fixed dimension: it maps a vector to one bucket per table,
 * such that vectors with a large inner product (a neuron's weights and an input that makes it fire) tend to share
 * buckets. Implementations are immutable and thread-safe; {@link #hash} writes only to its output array.
 */
public interface HashFamily {

    /** The vector length it hashes. */
    int dimension();

    /** L: the number of tables, one bucket index each. */
    int tables();

    /** Bucket indices are in {@code [0, 1 << bucketBits())}. */
    int bucketBits();

    /**
     * Writes the bucket of {@code x[offset .. offset + dimension())} in each table to {@code buckets[0 .. tables())}.
     */
    void hash(float[] x, int offset, int[] buckets);

    /** A short description with its parameters, for logs and reports. */
    String describe();
}
