package io.tessera.data;

import io.tessera.Shape;

import java.nio.FloatBuffer;

/**
 * Changes a batch's features in place on the host, after gathering and before upload: normalisation, augmentation.
 * Set on a {@link DataLoader.Builder#transform}; runs on the thread that gathers (a {@link DeviceDataLoader}'s
 * prefetch thread), so it must not touch devices.
 *
 * <p>Runs must repeat: a transform's result may depend only on the features, the epoch and the batch index (a
 * random transform derives its randomness from a seed and those two numbers, never from shared mutable state).
 * Implementations are immutable and thread-safe.
 */
@FunctionalInterface
public interface BatchTransform {

    /**
     * Transforms the first {@code rows} samples of {@code features} (absolute indices {@code 0 ..
     * rows * featureShape.size()}, row-major, each sample of shape {@code featureShape}) in place.
     *
     * @param epoch      the loader's epoch, from 0
     * @param batchIndex the batch's index in the epoch, from 0
     * @param features the batch's features, changed in place by absolute index (its position is not used or moved)
     * @param rows the number of samples
     * @param featureShape the shape of one sample
     */
    void apply(FloatBuffer features, int rows, Shape featureShape, int epoch, int batchIndex);

    /**
     * This transform, then {@code next}.
     *
     * @param next the transform applied second
     * @return the combined transform
     */
    default BatchTransform andThen(BatchTransform next) {
        return (features, rows, shape, epoch, batch) -> {
            apply(features, rows, shape, epoch, batch);
            next.apply(features, rows, shape, epoch, batch);
        };
    }

    /**
     * {@code x = (x - mean) / std} for every feature: torchvision's {@code Normalize((mean,), (std,))} on
     * single-channel images, e.g. MNIST's {@code mean 0.1307, std 0.3081}.
     *
     * @param mean subtracted from every feature (as a float)
     * @param std the divisor (as a float), {@code > 0}
     * @return the transform; stateless
     * @throws IllegalArgumentException if {@code std} is not positive or either is not finite
     */
    static BatchTransform normalize(double mean, double std) {
        if (!(std > 0) || !Double.isFinite(mean) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("normalize: std must be positive and both finite, got mean " + mean + ", std " + std);
        }
        float m = (float) mean;
        float s = (float) std;
        return (features, rows, shape, epoch, batch) -> {
            int n = rows * shape.sizeAsInt();
            for (int i = 0; i < n; i++) {
                features.put(i, (features.get(i) - m) / s);
            }
        };
    }

    /**
     * Random translation by up to {@code maxShift} pixels along each axis of {@code [C, H, W]} (or {@code [H, W]})
     * samples, filling what moves in with 0 (so apply it before {@link #normalize}): each sample's shift is drawn
     * from {@code seed}, the epoch, the batch index and the row, so a run repeats and every epoch sees new shifts.
     *
     * @param maxShift the largest shift in pixels, {@code >= 0}
     * @param seed the shifts' seed
     * @return the transform
     * @throws IllegalArgumentException if {@code maxShift < 0}
     */
    static BatchTransform randomShift(int maxShift, long seed) {
        return new RandomShift(maxShift, seed);
    }
}
