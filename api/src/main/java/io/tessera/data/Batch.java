package io.tessera.data;

import io.tessera.Shape;

import java.nio.FloatBuffer;

/**
 * One batch on the host: {@link #size()} samples' features in a direct {@link FloatBuffer} ({@code size() x
 * rowSize()} floats, row-major, position 0, limit at the end of the data) and their labels.
 *
 * <p>A batch and its buffers belong to the loader that produced it and are refilled by the next call to the
 * iterator's {@code next()}: read or copy what you need before asking for the next batch. Not thread-safe.
 */
public final class Batch {
    private final FloatBuffer features;
    private final int[] labels;
    private final Shape featureShape;
    private final int rowSize;
    private int size;
    private int index;

    Batch(FloatBuffer features, int capacity, Shape featureShape) {
        this.rowSize = featureShape.sizeAsInt();
        if (!features.isDirect() || features.capacity() < (long) capacity * rowSize) {
            throw new IllegalArgumentException("a batch of " + capacity + " samples of " + featureShape + " needs a direct buffer of "
                    + (long) capacity * rowSize + " floats, not " + features);
        }
        this.features = features;
        this.labels = new int[capacity];
        this.featureShape = featureShape;
    }

    /**
     * The features, {@code size() * rowSize()} floats from position 0 to the limit. Not a copy.
     *
     * @return the loader's buffer, refilled by the next batch; do not keep it
     */
    public FloatBuffer features() {
        return features;
    }

    /**
     * The labels; the first {@link #size()} entries are this batch's (the array may be longer). Not a copy.
     *
     * @return the loader's array, refilled by the next batch
     */
    public int[] labels() {
        return labels;
    }

    /**
     * The number of samples (rows) in this batch.
     *
     * @return the rows, 1 to the batch size
     */
    public int size() {
        return size;
    }

    /**
     * The position of this batch in its epoch, from 0.
     *
     * @return the index
     */
    public int index() {
        return index;
    }

    /**
     * The shape of one sample.
     *
     * @return the dataset's feature shape
     */
    public Shape featureShape() {
        return featureShape;
    }

    /**
     * Floats per sample.
     *
     * @return {@code featureShape().size()}
     */
    public int rowSize() {
        return rowSize;
    }

    /** The most samples this batch's buffers hold. */
    int capacity() {
        return labels.length;
    }

    void fill(Dataset dataset, int[] order, int from, int count, int batchIndex) {
        features.clear();
        dataset.gather(order, from, count, features, labels, 0);
        features.flip();
        this.size = count;
        this.index = batchIndex;
    }

    @Override
    public String toString() {
        return "Batch[" + index + ": " + size + " x " + featureShape + "]";
    }
}
