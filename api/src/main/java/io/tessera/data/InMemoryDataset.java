package io.tessera.data;

import io.tessera.Shape;

import java.nio.FloatBuffer;

/**
 * Samples held in memory as unsigned bytes, one byte per feature, turned into floats in [0, 1] on the way out
 * exactly as torchvision's {@code ToTensor} does: {@code x / 255f} in float arithmetic. Labels are unsigned bytes too.
 *
 * <p>The constructor takes ownership of its arrays without copying them (MNIST's training images are 47 MB); the
 * caller must not modify them afterwards. Immutable and thread-safe.
 */
public final class InMemoryDataset implements Dataset {
    private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[0]);

    private final byte[] pixels;
    private final byte[] labels;
    private final Shape featureShape;
    private final int featureSize;
    private final int numClasses;

    /**
     * @param pixels       {@code labels.length * featureShape.size()} unsigned bytes, sample after sample, row-major
     * @param featureShape the shape of one sample, e.g. {@code 1x28x28}
     * @param labels       one unsigned byte per sample, each below {@code numClasses}
     * @param numClasses   the number of classes, 1 to 256
     * @throws IllegalArgumentException if the sizes disagree or a label is out of range, saying which
     */
    public InMemoryDataset(byte[] pixels, Shape featureShape, byte[] labels, int numClasses) {
        if (numClasses < 1 || numClasses > 256) {
            throw new IllegalArgumentException("numClasses must be between 1 and 256 for byte labels, not " + numClasses);
        }
        this.featureSize = featureShape.sizeAsInt();
        if ((long) labels.length * featureSize != pixels.length) {
            throw new IllegalArgumentException(labels.length + " samples of " + featureShape + " need " + (long) labels.length * featureSize
                    + " bytes, but " + pixels.length + " were given");
        }
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xFF) >= numClasses) {
                throw new IllegalArgumentException("label " + (labels[i] & 0xFF) + " at index " + i + " is outside 0.." + (numClasses - 1));
            }
        }
        this.pixels = pixels;
        this.labels = labels;
        this.featureShape = featureShape;
        this.numClasses = numClasses;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public Shape featureShape() {
        return featureShape;
    }

    @Override
    public int featureSize() {
        return featureSize;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public int label(int index) {
        Checks.index(index, labels.length);
        return labels[index] & 0xFF;
    }

    /**
     * The raw byte of feature {@code feature} of sample {@code index}, 0 to 255.
     *
     * @param index the sample
     * @param feature the feature, from 0
     * @return the byte
     * @throws IndexOutOfBoundsException if either is out of range
     */
    public int rawFeature(int index, int feature) {
        Checks.index(index, labels.length);
        if (feature < 0 || feature >= featureSize) {
            throw new IndexOutOfBoundsException("feature " + feature + " is outside 0.." + (featureSize - 1));
        }
        return pixels[index * featureSize + feature] & 0xFF;
    }

    @Override
    public void gather(int[] indices, int from, int count, FloatBuffer features, int[] labels, int labelOffset) {
        Checks.gatherArguments(this, indices, from, count, features, labels, labelOffset);
        float[] row = ROW.get();
        if (row.length < featureSize) {
            row = new float[featureSize];
            ROW.set(row);
        }
        for (int k = 0; k < count; k++) {
            int index = indices[from + k];
            int in = index * featureSize;
            for (int j = 0; j < featureSize; j++) {
                row[j] = (pixels[in + j] & 0xFF) / 255f;
            }
            features.put(row, 0, featureSize);
            labels[labelOffset + k] = this.labels[index] & 0xFF;
        }
    }

    @Override
    public String toString() {
        return "InMemoryDataset[" + labels.length + " samples of " + featureShape + ", " + numClasses + " classes]";
    }
}
