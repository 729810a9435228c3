package io.tessera.autograd;

import io.tessera.Tensor;

/**
 * The backward step of one recorded op: from the gradient of its output, the gradients of the inputs that need one.
 * Implementations run kernels on the graph's device and hand each input's gradient to {@link Gradients#add}.
 */
@FunctionalInterface
interface Backward {
    void apply(Tensor gradOutput, Gradients gradients);
}
