package io.tessera.nn;

import io.tessera.Device;

/**
 * Batch normalisation over {@code [N, C]} or {@code [N, C, L]} input, as PyTorch's {@code nn.BatchNorm1d} (affine,
 * tracking running statistics): statistics per feature {@code c} over the batch (and length) axes. Parameters
 * {@code weight} (gamma, initially 1) and {@code bias} (beta, 0); buffers {@code running_mean} (0) and
 * {@code running_var} (1). Training mode (the default) normalises with the batch mean and biased variance and updates
 * the running statistics ({@code momentum} weights the new batch, the variance unbiased); evaluation mode uses the
 * running statistics and changes nothing.
 */
public final class BatchNorm1d extends AbstractBatchNorm {
    /** The type name in checkpoints; attributes {@code features}, {@code eps_f32}, {@code momentum_f32} (float32 bits). */
    public static final String TYPE = "BatchNorm1d";

    /**
     * {@code features} channels with eps {@code 1e-5} and momentum {@code 0.1}.
     *
     * @param features the number of features (dim 1 of the input), {@code >= 1}
     * @param device the device the parameters and running statistics are created on
     */
    public BatchNorm1d(int features, Device device) {
        this(features, 1e-5, 0.1, device);
    }

    /**
     * @param features the number of features, {@code >= 1}
     * @param eps added to the variance, {@code > 0} (used as a float)
     * @param momentum the weight of each new batch in the running statistics, in {@code [0, 1]}
     * @param device the device the parameters and running statistics are created on
     * @throws IllegalArgumentException if {@code features < 1}, {@code eps <= 0} or {@code momentum} is outside [0, 1]
     */
    public BatchNorm1d(int features, double eps, double momentum, Device device) {
        super(TYPE, "features", features, eps, momentum, device);
    }

    /**
     * The number of features (dim 1 of the input).
     *
     * @return the number
     */
    public int features() {
        return channelCount();
    }

    @Override
    boolean rankAccepted(int rank) {
        return rank == 2 || rank == 3;
    }

    @Override
    String expectedInput() {
        return "[batch, " + channelCount() + "] or [batch, " + channelCount() + ", length]";
    }

    static BatchNorm1d fromSpec(LayerSpec spec, Device device) {
        return new BatchNorm1d(spec.attribute("features"), floatAttribute(spec, "eps_f32"), floatAttribute(spec, "momentum_f32"), device);
    }
}
