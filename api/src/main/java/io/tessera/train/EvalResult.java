package io.tessera.train;

/**
 * A pass over a validation or test set: mean loss and accuracy weighted by samples (exact, unlike the tutorial's
 * mean of per-batch means), the sample count and the wall time in seconds.
 */
public record EvalResult(double loss, double accuracy, long samples, double seconds) {
}
