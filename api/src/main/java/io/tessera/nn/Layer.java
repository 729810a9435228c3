package io.tessera.nn;

import io.tessera.Device;
import io.tessera.Tensor;

import java.util.List;
import java.util.Map;

/**
 * A differentiable building block with an explicit backward pass (no tape).
 *
 * <p>Contract: {@link #forward} returns a tensor the layer owns, valid until its next forward; the input must stay
 * open and unchanged until the matching {@link #backward}, which returns the gradient with respect to the input
 * (also owned by the layer) and overwrites the gradients of {@link #parameters()}. The first dimension of every
 * input is the batch. Not thread-safe. Closing a layer frees its parameters and buffers.
 */
public interface Layer extends AutoCloseable {

    /**
     * Computes the output for {@code input} (first dimension the batch); the result is owned by the layer.
     *
     * @param input the batch, on the layer's device; must stay open and unchanged until the matching backward
     * @return the output, owned by the layer and valid until its next forward, {@link #to} or {@link #close()}; never
     *         closed by the caller
     * @throws IllegalArgumentException if the input's shape does not fit the layer
     */
    Tensor forward(Tensor input);

    /**
     * The gradient with respect to the last forward's input; also overwrites the parameters' gradients.
     *
     * @param gradOutput the gradient of the last forward's output, its shape; read only
     * @return the gradient of the last forward's input, owned by the layer (valid until its next backward)
     * @throws IllegalStateException if no forward came before
     */
    Tensor backward(Tensor gradOutput);

    /**
     * {@link #backward(Tensor)}, told whether the caller needs the gradient with respect to the input. When
     * {@code inputGradient} is false the parameter gradients are still computed, but the layer may skip the input
     * gradient and return null: the first trainable layer of a model never needs it. The default computes it anyway.
     *
     * @param gradOutput the gradient of the last forward's output
     * @param inputGradient whether the caller needs the input gradient
     * @return the input gradient, owned by the layer, or null when {@code inputGradient} is false and the layer skipped
     *         it
     */
    default Tensor backward(Tensor gradOutput, boolean inputGradient) {
        return backward(gradOutput);
    }

    /**
     * The trainable parameters, in a stable order (checkpoints rely on it).
     *
     * @return the parameters, owned by the layer (closed with it); empty for layers without any
     */
    default List<Parameter> parameters() {
        return List.of();
    }

    /**
     * The number of trainable values, summed over {@link #parameters()}.
     *
     * @return the number of scalars in all parameters
     */
    default long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) {
            n += p.shape().size();
        }
        return n;
    }

    /**
     * The non-trainable state (running statistics), named, in a stable order that checkpoints rely on; empty for most
     * layers. Not updated by optimizers; moved by {@link #to}; saved by {@link Checkpoint}. The handles are valid until
     * the next {@link #to} or {@link #close()}.
     *
     * @return the buffers, owned by the layer
     */
    default List<Buffer> buffers() {
        return List.of();
    }

    /**
     * Integer state that is neither a parameter nor a buffer but must survive a checkpoint for a resumed run to repeat
     * an uninterrupted one (dropout's random-number offset), by name, in a stable order; empty for most layers.
     *
     * @return the counters' current values by name; a snapshot
     */
    default Map<String, Long> counters() {
        return Map.of();
    }

    /**
     * Sets a counter named by {@link #counters()}, from a checkpoint.
     *
     * @param name a name from {@link #counters()}
     * @param value the saved value
     * @throws IllegalArgumentException if the layer has no counter of that name or the value is out of its range
     */
    default void setCounter(String name, long value) {
        throw new IllegalArgumentException(spec().type() + " has no counter '" + name + "'");
    }

    /**
     * Moves the parameters and buffers to {@code device} (the tutorial's {@code to_device(model, device)}); returns
     * this layer.
     *
     * @param device the target device
     * @return this layer; tensors returned by earlier forward or backward calls may no longer be valid
     */
    Layer to(Device device);

    /**
     * The type name and attributes that rebuild this layer through its {@link io.tessera.spi.LayerFactory}.
     *
     * @return the spec; never null
     */
    LayerSpec spec();

    /**
     * Switches between training and evaluation behaviour (dropout, batch statistics); a no-op for most layers.
     *
     * @param training true for training behaviour, false for evaluation
     */
    default void train(boolean training) {
    }

    /** Training mode, {@code train(true)}: PyTorch's {@code model.train()}. */
    default void train() {
        train(true);
    }

    /** Evaluation mode, {@code train(false)}: PyTorch's {@code model.eval()}. */
    default void eval() {
        train(false);
    }

    @Override
    void close();
}
