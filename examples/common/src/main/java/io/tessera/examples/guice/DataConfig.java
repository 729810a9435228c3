package io.tessera.examples.guice;

import java.nio.file.Path;

/**
 * Which dataset to train on and how to batch and transform it.
 *
 * @param dataset        {@code mnist} or {@code fashion}
 * @param dataDir        a folder given with {@code --data}, or null
 * @param batchSize      training batch size
 * @param evalBatchSize  validation and test batch size
 * @param validationSize samples split off the training set for validation (the tutorial: 10,000); 0 trains on the
 *                       whole training set and validates on the test set (PyTorch's examples CNN)
 * @param seed           seeds the split, the shuffles and the augmentation
 * @param normalize      mean and standard deviation every loader normalises with, or null for none
 * @param maxShift       random-shift augmentation of the training batches, in pixels (0: none)
 * @param trainLimit     train on a seeded random {@code trainLimit} of the training samples (0: all of them), for
 *                       quick checks (PyTorch's scripts' {@code --max-batches})
 */
public record DataConfig(String dataset, Path dataDir, int batchSize, int evalBatchSize, int validationSize, long seed,
                         Normalization normalize, int maxShift, int trainLimit) {

    /** {@code x = (x - mean) / std}, torchvision's {@code Normalize}. */
    public record Normalization(double mean, double std) {
        /** The statistics of MNIST's training images, used by PyTorch's MNIST examples. */
        public static final Normalization MNIST = new Normalization(0.1307, 0.3081);
    }

    public DataConfig {
        if (validationSize < 0) {
            throw new IllegalArgumentException("validation size must not be negative, got " + validationSize);
        }
        if (maxShift < 0) {
            throw new IllegalArgumentException("the random shift must not be negative, got " + maxShift);
        }
        if (trainLimit < 0) {
            throw new IllegalArgumentException("the training limit must not be negative, got " + trainLimit);
        }
    }

    /** Untransformed data, as the tutorial has it. */
    public DataConfig(String dataset, Path dataDir, int batchSize, int evalBatchSize, int validationSize, long seed) {
        this(dataset, dataDir, batchSize, evalBatchSize, validationSize, seed, null, 0, 0);
    }
}
