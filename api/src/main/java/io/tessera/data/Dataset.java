package io.tessera.data;

import io.tessera.Shape;

import java.nio.FloatBuffer;

/**
 * A finite, indexed set of labelled samples for classification: sample {@code i} (for {@code 0 <= i < size()}) has
 * {@link #featureShape()} float features and an integer label in {@code 0..numClasses()-1}.
 *
 * <p>Implementations are immutable once built and safe for concurrent use: {@link #gather} and {@link #label} may be
 * called from any thread, at the same time, e.g. by a {@link DeviceDataLoader}'s prefetch thread.
 */
public interface Dataset {

    /**
     * The number of samples.
     *
     * @return the number, {@code >= 0}
     */
    int size();

    /**
     * The shape of one sample's features, e.g. {@code 1x28x28} for an MNIST image (channel, height, width).
     *
     * @return the shape
     */
    Shape featureShape();

    /**
     * The number of floats per sample: the size of {@link #featureShape()}.
     *
     * @return floats per sample
     */
    default int featureSize() {
        return featureShape().sizeAsInt();
    }

    /**
     * The number of classes; every label lies in {@code 0..numClasses()-1}.
     *
     * @return the number, {@code >= 1}
     */
    int numClasses();

    /**
     * The label of sample {@code index}.
     *
     * @param index the sample, from 0
     * @return its label, in {@code 0..numClasses()-1}
     * @throws IndexOutOfBoundsException naming the index and the size
     */
    int label(int index);

    /**
     * Copies samples {@code indices[from] .. indices[from + count - 1]}, in that order: their features, row-major and
     * {@link #featureSize()} floats each, into {@code features} from its position on (the position advances by
     * {@code count * featureSize()}), and their labels into {@code labels[labelOffset ..]}. Nothing else is modified.
     *
     * @param indices sample indices
     * @param from the first entry of {@code indices} used
     * @param count the number of samples
     * @param features receives the features
     * @param labels receives the labels
     * @param labelOffset the first entry of {@code labels} written
     * @throws IndexOutOfBoundsException naming the offending index, before anything is written
     * @throws IllegalArgumentException  if {@code features} or {@code labels} lacks room, before anything is written
     */
    void gather(int[] indices, int from, int count, FloatBuffer features, int[] labels, int labelOffset);
}
