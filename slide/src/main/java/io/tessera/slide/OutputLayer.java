package io.tessera.slide;

import io.tessera.slide.data.SparseBatch;

/**
 * The wide output layer of an extreme classifier with its softmax cross-entropy loss and optimizer: {@link SlideLinear}
 * (hash-sampled, host) or {@link DenseOutput} (every neuron, on a device). Not thread-safe: one training thread calls it
 * (it may use {@link Workers} inside).
 */
public interface OutputLayer extends AutoCloseable {

    /** Input width. */
    int inputs();

    /** Classes (neurons). */
    int classes();

    /**
     * Trains on one batch: {@code hidden} holds {@code batch.size()} rows of {@link #inputs()} floats; writes the loss's
     * gradient by {@code hidden} to {@code gradHidden} (same layout) and applies one optimizer step. The loss of a sample
     * is the cross-entropy against the uniform distribution over its labels, averaged over the batch.
     *
     * @return the batch's mean loss
     */
    float trainBatch(SparseBatch batch, float[] hidden, float[] gradHidden, Workers workers);

    /** The exact top-1 class of each of {@code n} rows of {@code hidden}, over every neuron. */
    void predictTop1(float[] hidden, int n, int[] top1);

    /** Mean neurons computed per training sample since the last call (every neuron for a dense layer); resets. */
    double takeMeanActive();

    @Override
    void close();
}
