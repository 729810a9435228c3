package io.tessera.train;

/**
 * A pass over a validation or test set: mean loss and accuracy weighted by samples (exact, unlike the tutorial's
 * mean of per-batch means), the sample count and the wall time in seconds.
 *
 * @param loss     the mean loss per sample
 * @param accuracy the fraction of samples whose arg-max is the label, in {@code [0, 1]}
 * @param samples  the number of samples
 * @param seconds  the wall time of the pass, in seconds
 */
public record EvalResult(double loss, double accuracy, long samples, double seconds) {
}
