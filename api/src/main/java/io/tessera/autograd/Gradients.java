package io.tessera.autograd;

import io.tessera.Shape;
import io.tessera.Tensor;

/** What a {@link Backward} step sees of the backward pass: which inputs need gradients, scratch buffers, and the sink. */
interface Gradients {

    /** Whether input {@code i} of the op leads to a tensor whose gradient is wanted. */
    boolean needs(int i);

    /** A buffer from the graph's pool, valid until the graph is reset. */
    Tensor scratch(Shape shape);

    /**
     * A buffer of input {@code i}'s shape to compute its gradient into, then pass to {@link #add} as fresh: the
     * parameter's own gradient tensor when the pass overwrites parameter gradients and none has arrived yet (saving a
     * copy), else a pooled buffer.
     */
    Tensor target(int i);

    /**
     * Adds {@code gradient} (input {@code i}'s shape or its size) to input {@code i}'s gradient. {@code fresh} says the
     * tensor was made for this call and may be kept and written to; otherwise it is only read.
     */
    void add(int i, Tensor gradient, boolean fresh);
}
