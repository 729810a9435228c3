package io.tessera.slide;

import io.tessera.DType;
import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.nn.CrossEntropyLoss;
import io.tessera.nn.Linear;
import io.tessera.optim.Adam;
import io.tessera.slide.data.SparseBatch;

import java.util.List;

/**
 * The dense baseline of an extreme classifier: Tessera's own {@link Linear}, {@link CrossEntropyLoss} and {@link Adam}
 * on a device (any backend: the hidden activations are uploaded each batch, their gradient read back), computing every
 * neuron for every sample. The kernel SPI's cross-entropy takes one label per row, so each sample trains on its first
 * label (exact for single-label data such as {@link io.tessera.slide.data.SyntheticExtreme}'s).
 * It owns its device memory; {@link #close()} frees it.
 */
public final class DenseOutput implements OutputLayer {
    private final Device device;
    private final Linear linear;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private final Adam adam;
    private final int maxBatch;
    private final Tensor hiddenTensor;
    private final Tensor labelTensor;
    private final int[] firstLabels;
    private long samples;

    /**
     * A layer initialised as {@link Linear#Linear(int, int, Device, java.util.random.RandomGenerator)} from
     * {@code seed}, for batches of at most {@code maxBatch} samples.
     */
    public DenseOutput(int inputs, int classes, double lr, long seed, int maxBatch, Device device) {
        this(new Linear(inputs, classes, device, new java.util.SplittableRandom(seed)), lr, maxBatch);
    }

    /** Wraps {@code linear} (which it then owns), for batches of at most {@code maxBatch}. */
    public DenseOutput(Linear linear, double lr, int maxBatch) {
        this.linear = linear;
        this.device = linear.weight().device();
        this.maxBatch = maxBatch;
        this.adam = new Adam(linear.parameters(), lr);
        this.hiddenTensor = device.empty(Shape.of(maxBatch, linear.inFeatures()), DType.FLOAT32);
        this.labelTensor = device.empty(Shape.of(maxBatch), DType.INT32);
        this.firstLabels = new int[maxBatch];
    }

    @Override
    public int inputs() {
        return linear.inFeatures();
    }

    @Override
    public int classes() {
        return linear.outFeatures();
    }

    public Linear linear() {
        return linear;
    }

    @Override
    public float trainBatch(SparseBatch batch, float[] hidden, float[] gradHidden, Workers workers) {
        int n = batch.size();
        if (n > maxBatch) {
            throw new IllegalArgumentException("a batch of " + n + " samples; this layer was sized for " + maxBatch);
        }
        int[] lp = batch.labelPointers();
        int[] labels = batch.labels();
        for (int s = 0; s < n; s++) {
            int label = labels[lp[s]];
            if (label < 0 || label >= classes()) {
                throw new IllegalArgumentException("sample " + s + " of the batch has label " + label + ", outside [0, "
                        + classes() + ") of this layer");
            }
            firstLabels[s] = label;
        }
        Tensor h = n == maxBatch ? hiddenTensor : hiddenTensor.rows(n);
        Tensor y = n == maxBatch ? labelTensor : labelTensor.rows(n);
        device.kernels().copyFromHost(hidden, 0, h, 0, n * inputs());
        device.kernels().copyFromHost(firstLabels, 0, y, 0, n);
        Tensor logits = linear.forward(h);
        float value = loss.forward(logits, y).item();
        Tensor dx = linear.backward(loss.backward(), true);
        device.kernels().copyToHost(dx, 0, gradHidden, 0, n * inputs());
        adam.step();
        samples += n;
        return value;
    }

    @Override
    public void predictTop1(float[] hidden, int n, int[] top1) {
        ExactScorer.top1(device, linear.weight().value(), linear.bias().value(), hidden, n, top1);
    }

    @Override
    public double takeMeanActive() {
        double mean = samples == 0 ? 0 : classes();
        samples = 0;
        return mean;
    }

    /** The trainable parameters (for tests and checkpoints). */
    public List<io.tessera.nn.Parameter> parameters() {
        return linear.parameters();
    }

    @Override
    public void close() {
        hiddenTensor.close();
        labelTensor.close();
        loss.close();
        adam.close();
        linear.close();
    }

    @Override
    public String toString() {
        return "DenseOutput[" + inputs() + " -> " + classes() + " on " + device.id() + "]";
    }
}
