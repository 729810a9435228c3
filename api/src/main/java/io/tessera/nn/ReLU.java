package io.tessera.nn;

import io.tessera.Device;
import io.tessera.Tensor;

/**
 * {@code max(x, 0)} element-wise; the gradient is 0 where the output is not positive (at 0 too). A NaN input gives
 * NaN (on every backend) and a zero gradient (see {@link io.tessera.spi.Kernels#relu}).
 */
public final class ReLU implements Layer {
    /** The type name in checkpoints; no attributes. */
    public static final String TYPE = "ReLU";

    private final ActivationBuffer output = new ActivationBuffer();
    private final ActivationBuffer gradInput = new ActivationBuffer();
    private Tensor lastOutput;

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = output.get(x.device(), x.shape());
        x.device().kernels().relu(x, y);
        lastOutput = y;
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        if (lastOutput == null) {
            throw new IllegalStateException("ReLU.backward called before forward");
        }
        Tensor dx = gradInput.get(gradOutput.device(), lastOutput.shape());
        gradOutput.device().kernels().reluBackward(lastOutput, gradOutput, dx);
        return dx;
    }

    @Override
    public ReLU to(Device device) {
        output.close();
        gradInput.close();
        lastOutput = null;
        return this;
    }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of(TYPE);
    }

    @Override
    public void close() {
        output.close();
        gradInput.close();
    }

    @Override
    public String toString() {
        return "ReLU()";
    }
}
