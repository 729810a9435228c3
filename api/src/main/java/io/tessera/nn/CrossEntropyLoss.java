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

    /**
     * The mean loss as a one-element device tensor owned by this object, valid until the next call.
     *
     * @param logits FLOAT32 {@code [N, C]}; kept (not copied) for {@link #backward()}
     * @param labels INT32 {@code [N]}, each in {@code [0, C)}: out-of-range labels behave as in
     *               {@link io.tessera.spi.Kernels#softmaxCrossEntropy} (an exception on the cpu backend, a NaN loss on OpenCL)
     * @return the loss {@code [1]}
     */
    public Tensor forward(Tensor logits, Tensor labels) {
        this.logits = logits;
        this.labels = labels;
        Device device = logits.device();
        Tensor l = loss.get(device, SCALAR);
        device.kernels().softmaxCrossEntropy(logits, labels, l);
        return l;
    }

    /**
     * The gradient of the mean loss with respect to the logits of the last {@link #forward}.
     *
     * @return the gradient {@code [N, C]}, owned by this object, valid until the next call
     * @throws IllegalStateException if no forward came before
     */
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
