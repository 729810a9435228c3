package io.tessera.examples.cnn;

import io.tessera.examples.spark.SparkRecipe;
import io.tessera.optim.LearningRateSchedule;
import io.tessera.train.TrainingCheckpoints;

import java.nio.file.Path;

/**
 * The settings of one {@code tessera mnist-cnn} run.
 *
 * @param recipe  the network (and the defaults the other settings came from)
 * @param epochs  epochs to train
 * @param lr      Adam's learning rate in the first epoch
 * @param lrStep  epochs between decays of the rate (0: constant)
 * @param lrGamma the factor of each decay
 * @param seed    seeds the weights, dropout, shuffles and shifts
 * @param save    checkpoint to write, or null
 * @param plot    PNG of the curves to write, or null
 * @param json    JSON report to write, or null
 * @param checkpoints where training checkpoints go, or null for none
 * <p>{@code spark}: train data-parallel on Spark with these settings, or null for one device.
 */
public record CnnConfig(CnnRecipe recipe, int epochs, double lr, int lrStep, double lrGamma, long seed, Path save, Path plot,
                        Path json, TrainingCheckpoints checkpoints, SparkRecipe spark) {

    /** The learning-rate schedule: PyTorch's {@code StepLR(step_size=lrStep, gamma=lrGamma)}, or constant. */
    public LearningRateSchedule schedule() {
        return lrStep == 0 ? LearningRateSchedule.constant() : LearningRateSchedule.stepDecay(lrStep, lrGamma);
    }
}
