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

    /**
     * The validation loss, {@code validation().loss()}.
     *
     * @return the mean validation loss
     */
    public double valLoss() {
        return validation.loss();
    }

    /**
     * The validation accuracy, {@code validation().accuracy()}.
     *
     * @return the fraction correct, in {@code [0, 1]}
     */
    public double valAccuracy() {
        return validation.accuracy();
    }
}
