package io.tessera.nn;

import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;

/** Reshapes {@code [batch, d1, d2, ...]} to {@code [batch, d1*d2*...]} without copying (a view). */
public final class Flatten implements Layer {
    /** The type name in checkpoints; no attributes. */
    public static final String TYPE = "Flatten";

    private Shape inputShape;
    private Tensor lastInput;
    private Tensor lastOutput;

    @Override
    public Tensor forward(Tensor x) {
        inputShape = x.shape();
        if (x.shape().rank() == 2) {
            return x;
        }
        if (x != lastInput || lastOutput.isClosed()) {
            lastInput = x;
            lastOutput = x.view(Shape.of(x.shape().dim(0), x.shape().rowSize()));
        }
        return lastOutput;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        if (inputShape == null) {
            throw new IllegalStateException("Flatten.backward called before forward");
        }
        return gradOutput.shape().equals(inputShape) ? gradOutput : gradOutput.view(inputShape);
    }

    @Override
    public Flatten to(Device device) {
        lastInput = null;
        lastOutput = null;
        return this;
    }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of(TYPE);
    }

    @Override
    public void close() {
        lastInput = null;
        lastOutput = null;
    }

    @Override
    public String toString() {
        return "Flatten()";
    }
}
