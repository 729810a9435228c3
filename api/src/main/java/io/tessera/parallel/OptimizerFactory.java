package io.tessera.parallel;

import io.tessera.nn.Parameter;
import io.tessera.optim.Optimizer;

import java.io.Serializable;
import java.util.List;

/** Builds the optimizer of one replica over its parameters (on their device). {@link Serializable}, as {@link ModelFactory}. */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {
    Optimizer create(List<Parameter> parameters);
}
