package io.tessera.slide;

import io.tessera.slide.data.SparseBatch;

import java.util.Arrays;

/**
 * The first layer of SLIDE's network: sparse features in, {@code relu(x W + b)} out, {@code width} units. The weights
 * are stored feature-major ({@code [features][width]}, the transpose of PyTorch's {@code Linear.weight}) so a sample reads
 * one contiguous row per non-zero feature; forward costs {@code nonZeros * width} multiply-adds, and the update touches
 * only the rows of the features the batch holds ({@link SparseAdam}, its bias corrections by the optimizer's step as
 * PyTorch's {@code SparseAdam} does: {@code docs/slide.md} has the measurement that chose it). Initialised as PyTorch's {@code Linear(features,
 * width)}: weights and bias uniform in {@code ±1/sqrt(features)}.
 *
 * <p>Runs on the host, samples split over {@link Workers}; weight gradients are summed per feature row by one thread
 * each ({@link RowGroups}), so results do not depend on the thread count.
 */
public final class SparseLinear {
    private final int features;
    private final int width;
    private final float[] weights;
    private final float[] bias;
    private final SparseAdam adam;
    private final SparseAdam biasAdam;
    private final RowGroups groups;
    private int steps;
    private float[][] scratch = new float[0][];
    private int[] begin = new int[0];
    private int[] end = new int[0];

    public SparseLinear(int features, int width, double lr, long seed) {
        if (features < 1 || width < 1 || (long) features * width > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a sparse linear layer of " + features + " features x " + width
                    + " units does not fit one array (at most " + (Integer.MAX_VALUE - 8) + " weights)");
        }
        this.features = features;
        this.width = width;
        this.weights = new float[features * width];
        this.bias = new float[width];
        float bound = (float) (1.0 / Math.sqrt(features));
        Init.uniform(weights, bound, seed);
        Init.uniform(bias, bound, seed ^ 0xB1A5L);
        this.adam = new SparseAdam(features, width, false, SparseAdam.Corrections.GLOBAL_STEP, lr, 0.9, 0.999, 1e-8);
        this.biasAdam = new SparseAdam(1, width, false, SparseAdam.Corrections.GLOBAL_STEP, lr, 0.9, 0.999, 1e-8);
        this.groups = new RowGroups(features);
    }

    public int features() {
        return features;
    }

    public int width() {
        return width;
    }

    /** The weights, feature-major; a view. */
    float[] weights() {
        return weights;
    }

    float[] bias() {
        return bias;
    }

    /** {@code hidden[s * width ..] = relu(b + sum_k value_k * W[feature_k])} for every sample of the batch. */
    public void forward(SparseBatch batch, float[] hidden, Workers workers) {
        int[] pointers = batch.featurePointers();
        int[] indices = batch.featureIndices();
        float[] values = batch.featureValues();
        workers.forRanges(batch.size(), (w, from, to) -> {
            for (int s = from; s < to; s++) {
                int off = s * width;
                System.arraycopy(bias, 0, hidden, off, width);
                for (int k = pointers[s]; k < pointers[s + 1]; k++) {
                    Vectors.axpy(values[k], weights, indices[k] * width, hidden, off, width);
                }
                for (int i = off; i < off + width; i++) {
                    if (!(hidden[i] > 0f)) {
                        hidden[i] = 0f;
                    }
                }
            }
        });
    }

    /**
     * Back-propagates {@code gradHidden} (the gradient of the loss by this layer's output; masked here by the ReLU,
     * in place) and applies one Adam step to the touched feature rows and the bias.
     */
    public void backwardAndUpdate(SparseBatch batch, float[] hidden, float[] gradHidden, Workers workers) {
        int n = batch.size();
        for (int i = 0; i < n * width; i++) {
            if (!(hidden[i] > 0f)) {
                gradHidden[i] = 0f;
            }
        }
        steps++;
        adam.prepare(steps);
        biasAdam.prepare(steps);
        if (begin.length < n) {
            begin = new int[n];
            end = new int[n];
        }
        int[] pointers = batch.featurePointers();
        System.arraycopy(pointers, 0, begin, 0, n);
        System.arraycopy(pointers, 1, end, 0, n);
        groups.build(n, begin, end, batch.featureIndices(), batch.featureValues());
        ensureScratch(workers.threads());
        workers.forRanges(groups.touched(), (w, from, to) -> {
            float[] g = scratch[w];
            for (int group = from; group < to; group++) {
                Arrays.fill(g, 0f);
                for (int e = groups.start(group); e < groups.end(group); e++) {
                    Vectors.axpy(groups.coefficient(e), gradHidden, groups.sample(e) * width, g, 0, width);
                }
                int row = groups.row(group);
                adam.step(row, weights, row * width, g, 0, null, 0f);
            }
        });
        float[] g = scratch[0];
        Arrays.fill(g, 0f);
        for (int s = 0; s < n; s++) {
            Vectors.axpy(1f, gradHidden, s * width, g, 0, width);
        }
        biasAdam.step(0, bias, 0, g, 0, null, 0f);
    }

    private void ensureScratch(int threads) {
        if (scratch.length < threads) {
            scratch = new float[threads][width];
        }
    }

    /** Bytes of weights and optimizer state. */
    public long bytes() {
        return 4L * (weights.length + bias.length) + adam.stateBytes() + biasAdam.stateBytes();
    }
}
