package io.tessera.examples.mnist;

import java.nio.file.Path;

/**
 * The settings of one {@code tessera mnist} run.
 *
 * @param epochs the total epochs: the first half (rounded up) at {@code lr}, the rest at {@code lr / 5}, as the
 *               tutorial's {@code fit(5, 0.5); fit(5, 0.1)}
 */
public record TutorialConfig(int epochs, double lr, int hidden, long seed, Path save, Path plot, Path json) {

    public int firstPhaseEpochs() {
        return (epochs + 1) / 2;
    }

    public int secondPhaseEpochs() {
        return epochs / 2;
    }

    public double secondPhaseLr() {
        return lr / 5;
    }
}
