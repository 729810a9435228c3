package io.tessera.train;

/**
 * One training epoch.
 *
 * @param epoch            zero-based within its {@code fit} call, as the tutorial prints it
 * @param learningRate     the rate the optimizer used in this epoch (after the learning-rate schedule)
 * @param trainLoss        the mean training loss over the epoch's samples
 * @param validation       the validation pass after the epoch
 * @param trainSeconds     wall time of the training pass, without validation
 * @param samplesPerSecond training samples per second of {@code trainSeconds}
 */
public record EpochResult(int epoch, double learningRate, double trainLoss, EvalResult validation, double trainSeconds,
                          double samplesPerSecond) {

    public double valLoss() {
        return validation.loss();
    }

    public double valAccuracy() {
        return validation.accuracy();
    }
}
