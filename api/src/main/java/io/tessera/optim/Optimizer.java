package io.tessera.optim;

import io.tessera.nn.Buffer;

import java.util.List;
import java.util.Map;

/**
 * Updates parameters in place from their gradients. Keeps its state (momentum buffers) on the parameters' device,
 * so create it after moving the model. Not thread-safe; closing frees the state.
 */
public interface Optimizer extends AutoCloseable {

    /** Applies one update from the gradients of the last backward pass. */
    void step();

    /**
     * The current learning rate.
     *
     * @return the rate
     */
    double learningRate();

    /**
     * Sets the learning rate used from the next {@link #step()} on (the trainer calls it before every epoch).
     *
     * @param lr the rate, {@code >= 0}
     * @throws IllegalArgumentException if {@code lr} is negative or not finite
     */
    void setLearningRate(double lr);

    /**
     * The state tensors a resumed run needs (momentum buffers, moment estimates), named, in a stable order; empty for
     * a stateless optimizer. Handles, not copies: valid until {@link #close()}; training checkpoints read and
     * overwrite them.
     *
     * @return the buffers, owned by the optimizer
     */
    default List<Buffer> stateTensors() {
        return List.of();
    }

    /**
     * Integer state a resumed run needs, such as Adam's step count, by name; empty for most optimizers.
     *
     * @return the counters' current values by name
     */
    default Map<String, Long> counters() {
        return Map.of();
    }

    /**
     * Sets a counter named by {@link #counters()}, from a checkpoint.
     *
     * @param name a name from {@link #counters()}
     * @param value the saved value
     * @throws IllegalArgumentException if there is no counter of that name or the value is out of its range
     */
    default void setCounter(String name, long value) {
        throw new IllegalArgumentException(getClass().getSimpleName() + " has no counter '" + name + "'");
    }

    @Override
    void close();
}
