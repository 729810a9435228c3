package io.tessera.examples.guice;

import java.nio.file.Path;

/**
 * Which dataset to train on and how to batch it.
 *
 * @param dataset        {@code mnist} or {@code fashion}
 * @param dataDir        a folder given with {@code --data}, or null
 * @param batchSize      training batch size
 * @param evalBatchSize  validation and test batch size
 * @param validationSize samples split off the training set for validation (the tutorial: 10,000)
 * @param seed           seeds the split and the shuffles
 */
public record DataConfig(String dataset, Path dataDir, int batchSize, int evalBatchSize, int validationSize, long seed) {
}
