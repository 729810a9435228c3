package io.tessera.nn;

import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What {@link BatchNorm1d} and {@link BatchNorm2d} share: per-channel (dim 1) normalisation with a learned scale
 * ({@code weight}, gamma) and shift ({@code bias}, beta), and running statistics as buffers.
 */
abstract sealed class AbstractBatchNorm implements Layer permits BatchNorm1d, BatchNorm2d {
    private final String type;
    private final String channelsAttribute;
    private final int channels;
    private final double eps;
    private final double momentum;
    private final Parameter gamma;
    private final Parameter beta;
    private Tensor runningMean;
    private Tensor runningVar;
    private Tensor saveMean;
    private Tensor saveInvStd;
    private final ActivationBuffer output = new ActivationBuffer();
    private final ActivationBuffer gradInput = new ActivationBuffer();
    private boolean training = true;
    private Tensor input;
    private boolean inputNormalisedInTraining;

    AbstractBatchNorm(String type, String channelsAttribute, int channels, double eps, double momentum, Device device) {
        if (channels < 1) {
            throw new IllegalArgumentException(type + "(" + channels + "): the number of " + channelsAttribute + " must be positive");
        }
        if (!(eps > 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException(type + "(" + channels + "): eps must be positive and finite, got " + eps);
        }
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(type + "(" + channels + "): momentum must be in [0, 1], got " + momentum);
        }
        this.type = type;
        this.channelsAttribute = channelsAttribute;
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        float[] ones = new float[channels];
        Arrays.fill(ones, 1f);
        Shape c = Shape.of(channels);
        Parameter g = null;
        Parameter b = null;
        try {
            g = new Parameter("weight", device.of(ones, c));
            b = new Parameter("bias", device.zeros(c));
            runningMean = device.zeros(c);
            runningVar = device.of(ones, c);
            saveMean = device.zeros(c);
            saveInvStd = device.zeros(c);
        } catch (RuntimeException e) {
            closeAll(g, b);
            throw e;
        }
        this.gamma = g;
        this.beta = b;
    }

    /** Checks the rank of an input (the channel count is checked by the caller). */
    abstract boolean rankAccepted(int rank);

    /** The accepted input shapes, for messages, e.g. {@code [batch, 16, height, width]}. */
    abstract String expectedInput();

    /** The number of channels (features), the size of dim 1 of the input. */
    final int channelCount() {
        return channels;
    }

    /** The constant added to the variance. */
    public final double eps() {
        return eps;
    }

    /** The weight of the newest batch in the running statistics. */
    public final double momentum() {
        return momentum;
    }

    /** Gamma, the per-channel scale, {@code [channels]}, initially 1. */
    public final Parameter weight() {
        return gamma;
    }

    /** Beta, the per-channel shift, {@code [channels]}, initially 0. */
    public final Parameter bias() {
        return beta;
    }

    /** The running mean, {@code [channels]}, initially 0; the returned tensor is replaced by {@link #to}. */
    public final Tensor runningMean() {
        return runningMean;
    }

    /** The running (unbiased) variance, {@code [channels]}, initially 1; the returned tensor is replaced by {@link #to}. */
    public final Tensor runningVar() {
        return runningVar;
    }

    /** Whether the layer is in training mode (the default). */
    public final boolean isTraining() {
        return training;
    }

    @Override
    public final void train(boolean training) {
        this.training = training;
    }

    /**
     * Training mode: normalises with the batch's statistics and updates the running ones; evaluation mode: normalises
     * with the running statistics.
     *
     * @throws IllegalArgumentException on a wrong rank or channel count, or (training) one value per channel
     */
    @Override
    public final Tensor forward(Tensor x) {
        Shape s = x.shape();
        if (!rankAccepted(s.rank()) || s.dim(1) != channels) {
            throw new IllegalArgumentException(this + " needs input " + expectedInput() + ", got " + x.describe());
        }
        if (training && s.size() / channels < 2) {
            throw new IllegalArgumentException(this + " in training mode needs more than one value per channel, got "
                    + x.describe() + " (use a batch above 1 or eval mode)");
        }
        Device device = gamma.device();
        Tensor y = output.get(device, s);
        if (training) {
            device.kernels().batchNormTrain(x, gamma.value(), beta.value(), runningMean, runningVar, (float) momentum,
                    (float) eps, y, saveMean, saveInvStd);
        } else {
            device.kernels().batchNormEval(x, gamma.value(), beta.value(), runningMean, runningVar, (float) eps, y);
        }
        input = x;
        inputNormalisedInTraining = training;
        return y;
    }

    /**
     * {@inheritDoc} Supported after a training-mode forward only (the gradient through the batch statistics).
     *
     * @throws IllegalStateException before any forward or after an evaluation-mode forward
     */
    @Override
    public final Tensor backward(Tensor gradOutput) {
        if (input == null) {
            throw new IllegalStateException(this + ": backward called before forward");
        }
        if (!inputNormalisedInTraining) {
            throw new IllegalStateException(this + ": backward after an evaluation-mode forward is not supported;"
                    + " call train() before the forward pass");
        }
        Device device = gamma.device();
        Tensor dx = gradInput.get(device, input.shape());
        device.kernels().batchNormBackward(input, gradOutput, gamma.value(), saveMean, saveInvStd, dx, gamma.grad(), beta.grad());
        return dx;
    }

    @Override
    public final List<Parameter> parameters() {
        return List.of(gamma, beta);
    }

    /** {@code running_mean} then {@code running_var}, as PyTorch names them. */
    @Override
    public final List<Buffer> buffers() {
        return List.of(new Buffer("running_mean", runningMean), new Buffer("running_var", runningVar, true));
    }

    @Override
    public final Layer to(Device device) {
        gamma.to(device);
        beta.to(device);
        if (runningMean.device() != device) {
            Tensor[] moved = new Tensor[4];
            try {
                moved[0] = runningMean.to(device);
                moved[1] = runningVar.to(device);
                moved[2] = device.zeros(Shape.of(channels));
                moved[3] = device.zeros(Shape.of(channels));
            } catch (RuntimeException e) {
                for (Tensor t : moved) {
                    if (t != null) {
                        t.close();
                    }
                }
                throw e;
            }
            closeAll();
            runningMean = moved[0];
            runningVar = moved[1];
            saveMean = moved[2];
            saveInvStd = moved[3];
        }
        output.close();
        gradInput.close();
        input = null;
        return this;
    }

    private void closeAll(Parameter... more) {
        for (Tensor t : new Tensor[] {runningMean, runningVar, saveMean, saveInvStd}) {
            if (t != null) {
                t.close();
            }
        }
        for (Parameter p : more) {
            if (p != null) {
                p.close();
            }
        }
    }

    @Override
    public final LayerSpec spec() {
        return new LayerSpec(type, Map.of(channelsAttribute, channels, "eps_f32", Float.floatToIntBits((float) eps),
                "momentum_f32", Float.floatToIntBits((float) momentum)));
    }

    static double floatAttribute(LayerSpec spec, String name) {
        return Float.intBitsToFloat(spec.attribute(name));
    }

    @Override
    public final void close() {
        closeAll(gamma, beta);
        output.close();
        gradInput.close();
        input = null;
    }

    @Override
    public final String toString() {
        return type + "(" + channels + ", eps " + (float) eps + ", momentum " + (float) momentum + ")";
    }
}
