package io.tessera.examples.spark;

import io.tessera.parallel.ModelFactory;
import io.tessera.parallel.OptimizerFactory;

/** A command's {@code --spark} settings with the serializable recipes its workers build the model and optimizer from. */
public record SparkRecipe(SparkOptions options, ModelFactory models, OptimizerFactory optimizers) {
}
