package io.tessera.nn;

import io.tessera.Device;

/**
 * Batch normalisation over {@code [N, C, H, W]} input, as PyTorch's {@code nn.BatchNorm2d} (affine, tracking running
 * statistics): statistics per channel {@code c} over the batch and both spatial axes. Parameters {@code weight}
 * (gamma, initially 1) and {@code bias} (beta, 0); buffers {@code running_mean} (0) and {@code running_var} (1).
 * Training mode (the default) normalises with the batch mean and biased variance and updates the running statistics
 * ({@code momentum} weights the new batch, the variance unbiased); evaluation mode uses the running statistics and
 * changes nothing.
 */
public final class BatchNorm2d extends AbstractBatchNorm {
    /** The type name in checkpoints; attributes {@code channels}, {@code eps_f32}, {@code momentum_f32} (float32 bits). */
    public static final String TYPE = "BatchNorm2d";

    /**
     * {@code channels} channels with eps {@code 1e-5} and momentum {@code 0.1}.
     *
     * @param channels the number of channels (dim 1 of the input), {@code >= 1}
     * @param device the device the parameters and running statistics are created on
     */
    public BatchNorm2d(int channels, Device device) {
        this(channels, 1e-5, 0.1, device);
    }

    /**
     * @param channels the number of channels, {@code >= 1}
     * @param eps added to the variance, {@code > 0} (used as a float)
     * @param momentum the weight of each new batch in the running statistics, in {@code [0, 1]}
     * @param device the device the parameters and running statistics are created on
     * @throws IllegalArgumentException if {@code channels < 1}, {@code eps <= 0} or {@code momentum} is outside [0, 1]
     */
    public BatchNorm2d(int channels, double eps, double momentum, Device device) {
        super(TYPE, "channels", channels, eps, momentum, device);
    }

    /**
     * The number of channels (dim 1 of the input).
     *
     * @return the number
     */
    public int channels() {
        return channelCount();
    }

    @Override
    boolean rankAccepted(int rank) {
        return rank == 4;
    }

    @Override
    String expectedInput() {
        return "[batch, " + channelCount() + ", height, width]";
    }

    static BatchNorm2d fromSpec(LayerSpec spec, Device device) {
        return new BatchNorm2d(spec.attribute("channels"), floatAttribute(spec, "eps_f32"), floatAttribute(spec, "momentum_f32"), device);
    }
}
