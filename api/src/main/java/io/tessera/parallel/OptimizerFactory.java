package io.tessera.parallel;

import io.tessera.nn.Parameter;
import io.tessera.optim.Optimizer;

import java.io.Serializable;
import java.util.List;

/** Builds the optimizer of one replica over its parameters (on their device). {@link Serializable}, as {@link ModelFactory}. */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {
    /**
     * Builds an optimizer over {@code parameters}.
     *
     * @param parameters one replica's parameters
     * @return a new optimizer, owned by the trainer that asked for it
     */
    Optimizer create(List<Parameter> parameters);
}
