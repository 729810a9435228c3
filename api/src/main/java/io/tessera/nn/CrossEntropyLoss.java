package io.tessera.nn;

import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;

/**
 * Softmax cross-entropy over logits {@code [batch, classes]} and INT32 labels {@code [batch]}, averaged over the
 * batch (PyTorch's {@code F.cross_entropy}). The loss stays on the device; read it with {@link Tensor#item()} only
 * when needed. Not thread-safe.
 */
public final class CrossEntropyLoss implements AutoCloseable {
    private static final Shape SCALAR = Shape.of(1);
    private final ActivationBuffer loss = new ActivationBuffer();
    private final ActivationBuffer gradient = new ActivationBuffer();
    private Tensor logits;
    private Tensor labels;

    /** The mean loss as a one-element device tensor owned by this object, valid until the next call. */
    public Tensor forward(Tensor logits, Tensor labels) {
        this.logits = logits;
        this.labels = labels;
        Device device = logits.device();
        Tensor l = loss.get(device, SCALAR);
        device.kernels().softmaxCrossEntropy(logits, labels, l);
        return l;
    }

    /** The gradient of the mean loss with respect to the logits of the last {@link #forward}. */
    public Tensor backward() {
        if (logits == null) {
            throw new IllegalStateException("CrossEntropyLoss.backward called before forward");
        }
        Device device = logits.device();
        Tensor g = gradient.get(device, logits.shape());
        device.kernels().softmaxCrossEntropyBackward(logits, labels, g);
        return g;
    }

    @Override
    public void close() {
        loss.close();
        gradient.close();
    }
}
