package io.tessera.examples.mnist;

import io.tessera.examples.spark.SparkRecipe;
import io.tessera.optim.LearningRateSchedule;
import io.tessera.train.TrainingCheckpoints;

import java.nio.file.Path;

/**
 * The settings of one {@code tessera mnist} run.
 *
 * @param epochs the total epochs: the first half (rounded up) at {@code lr}, the rest at {@code lr / 5}, as the
 *               tutorial's {@code fit(5, 0.5); fit(5, 0.1)}
 * @param checkpoints where training checkpoints go, or null for none
 * @param spark       train data-parallel on Spark with these settings, or null for one device
 */
public record TutorialConfig(int epochs, double lr, int hidden, long seed, Path save, Path plot, Path json,
                             TrainingCheckpoints checkpoints, SparkRecipe spark) {

    /**
     * The tutorial's two phases as one schedule over the whole run: {@code lr} for the first half of the epochs,
     * {@code lr / 5} after, so that epochs are numbered on through both phases and a checkpoint names one position.
     */
    public LearningRateSchedule schedule() {
        int first = firstPhaseEpochs();
        return (epoch, base) -> epoch < first ? base : base / 5;
    }

    public int firstPhaseEpochs() {
        return (epochs + 1) / 2;
    }
}
