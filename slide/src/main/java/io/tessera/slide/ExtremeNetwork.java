package io.tessera.slide;

import io.tessera.slide.data.ExtremeDataset;
import io.tessera.slide.data.SparseBatch;
import io.tessera.slide.random.SplitMix;

import java.util.Objects;

/**
 * SLIDE's network: sparse features → {@link SparseLinear} (ReLU) → an {@link OutputLayer} (hash-sampled or dense) with
 * softmax cross-entropy, trained with Adam. {@link #trainEpoch} runs one epoch in a shuffled order drawn from the seed
 * and the epoch; {@link #precisionAt1} is exact (every neuron scored). Not thread-safe: one thread drives it, the
 * {@link Workers} it was given run the batch's samples in parallel. Closing closes the output layer (device memory for
 * a dense one) but not the workers.
 */
public final class ExtremeNetwork implements AutoCloseable {
    private final SparseLinear hidden;
    private final OutputLayer output;
    private final Workers workers;
    private final int batchSize;
    private final long seed;
    private final SparseBatch batch = new SparseBatch();
    private final float[] activations;
    private final float[] gradients;

    public ExtremeNetwork(SparseLinear hidden, OutputLayer output, Workers workers, int batchSize, long seed) {
        this.hidden = Objects.requireNonNull(hidden, "hidden");
        this.output = Objects.requireNonNull(output, "output");
        this.workers = Objects.requireNonNull(workers, "workers");
        if (hidden.width() != output.inputs()) {
            throw new IllegalArgumentException("the hidden layer gives " + hidden.width() + " units but the output layer takes "
                    + output.inputs());
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.seed = seed;
        this.activations = new float[batchSize * hidden.width()];
        this.gradients = new float[batchSize * hidden.width()];
    }

    public SparseLinear hidden() {
        return hidden;
    }

    public OutputLayer output() {
        return output;
    }

    /** What one epoch measured: mean loss and mean active neurons per sample. */
    public record EpochStats(double meanLoss, double meanActive, int batches) {
    }

    /**
     * One epoch over {@code train} in the order drawn from the seed and {@code epoch}; the last batch may be smaller.
     *
     * @throws IllegalArgumentException when the dataset's feature or class count does not fit the network
     */
    public EpochStats trainEpoch(ExtremeDataset train, int epoch) {
        checkFits(train, "training");
        int[] order = shuffled(train.size(), seed * 0x9E3779B97F4A7C15L + epoch);
        double loss = 0;
        int batches = 0;
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            train.gather(order, from, to, batch);
            hidden.forward(batch, activations, workers);
            float l = output.trainBatch(batch, activations, gradients, workers);
            if (!Float.isFinite(l)) {
                throw new ArithmeticException("the loss of batch " + batches + " of epoch " + epoch + " is " + l
                        + "; training diverged (lower the learning rate)");
            }
            hidden.backwardAndUpdate(batch, activations, gradients, workers);
            loss += l * (to - from);
            batches++;
        }
        return new EpochStats(loss / order.length, output.takeMeanActive(), batches);
    }

    /** Precision at 1, exact: the share of samples whose highest-scoring class (over every neuron) is one of their labels. */
    public double precisionAt1(ExtremeDataset test) {
        return precisionAt1(test, false);
    }

    /**
     * Precision at 1; {@code sampled} scores only the neurons the tables retrieve (for a {@link SlideLinear}; exact
     * otherwise).
     */
    public double precisionAt1(ExtremeDataset test, boolean sampled) {
        checkFits(test, "test");
        int chunk = Math.max(batchSize, 1024);
        int[] order = new int[test.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        float[] h = new float[chunk * hidden.width()];
        int[] top = new int[chunk];
        SparseBatch b = new SparseBatch();
        long hits = 0;
        for (int from = 0; from < order.length; from += chunk) {
            int to = Math.min(order.length, from + chunk);
            test.gather(order, from, to, b);
            hidden.forward(b, h, workers);
            if (sampled && output instanceof SlideLinear slide) {
                slide.sampledTop1(h, to - from, top, workers);
            } else {
                output.predictTop1(h, to - from, top);
            }
            for (int s = 0; s < to - from; s++) {
                if (top[s] >= 0 && test.hasLabel(from + s, top[s])) {
                    hits++;
                }
            }
        }
        return (double) hits / test.size();
    }

    private void checkFits(ExtremeDataset data, String what) {
        if (data.featureCount() > hidden.features()) {
            throw new IllegalArgumentException("the " + what + " set has " + data.featureCount()
                    + " features but the network takes " + hidden.features());
        }
        if (data.classCount() > output.classes()) {
            throw new IllegalArgumentException("the " + what + " set has " + data.classCount()
                    + " classes but the network has " + output.classes());
        }
    }

    static int[] shuffled(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = SplitMix.bounded(SplitMix.at(seed, n - 1 - i), i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    @Override
    public void close() {
        output.close();
    }
}
