package io.tessera.optim;

/**
 * The learning rate of each epoch, from the base rate given to {@code Trainer.fit}; the trainer sets the optimizer's
 * rate from it before each epoch. Implementations are pure functions.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /**
     * The rate for {@code epoch} (counted from 0) given {@code baseRate}; must be {@code >= 0} and finite.
     *
     * @param epoch the epoch, from 0
     * @param baseRate the rate given to {@code fit}
     * @return the rate
     */
    double rate(int epoch, double baseRate);

    /**
     * The base rate for every epoch.
     *
     * @return the schedule
     */
    static LearningRateSchedule constant() {
        return (epoch, baseRate) -> baseRate;
    }

    /**
     * PyTorch's {@code StepLR}: {@code baseRate * gamma^(epoch / stepSize)} (integer division), i.e. the rate is
     * multiplied by {@code gamma} every {@code stepSize} epochs.
     *
     * @param stepSize epochs between decays, {@code >= 1}
     * @param gamma the factor, finite and {@code >= 0}
     * @return the schedule
     * @throws IllegalArgumentException if {@code stepSize < 1} or {@code gamma} is negative or not finite
     */
    static LearningRateSchedule stepDecay(int stepSize, double gamma) {
        if (stepSize < 1) {
            throw new IllegalArgumentException("stepDecay: step size must be >= 1, got " + stepSize);
        }
        if (!(gamma >= 0) || !Double.isFinite(gamma)) {
            throw new IllegalArgumentException("stepDecay: gamma must be >= 0 and finite, got " + gamma);
        }
        return (epoch, baseRate) -> baseRate * Math.pow(gamma, epoch / stepSize);
    }
}
