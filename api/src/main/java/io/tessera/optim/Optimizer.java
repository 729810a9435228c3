package io.tessera.optim;

/**
 * Updates parameters in place from their gradients. Keeps its state (momentum buffers) on the parameters' device,
 * so create it after moving the model. Not thread-safe; closing frees the state.
 */
public interface Optimizer extends AutoCloseable {

    /** Applies one update from the gradients of the last backward pass. */
    void step();

    double learningRate();

    void setLearningRate(double lr);

    @Override
    void close();
}
