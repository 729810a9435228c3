package io.tessera.examples.custom;

import io.tessera.optim.LearningRateSchedule;
import io.tessera.train.TrainingCheckpoints;

import java.nio.file.Path;

/**
 * The settings of one {@code tessera mnist-custom} run.
 *
 * @param epochs      epochs to train
 * @param lr          Adam's learning rate in the first epoch
 * @param lrGamma     the factor applied to the rate after every epoch (1: constant)
 * @param seed        seeds the weights and the shuffles
 * @param save        checkpoint to write, or null
 * @param plot        PNG of the curves to write, or null
 * @param json        JSON report to write, or null
 * @param checkpoints where training checkpoints go, or null for none
 */
public record CustomConfig(int epochs, double lr, double lrGamma, long seed, Path save, Path plot, Path json,
                           TrainingCheckpoints checkpoints) {

    /** PyTorch's {@code StepLR(step_size=1, gamma=lrGamma)}, or a constant rate. */
    public LearningRateSchedule schedule() {
        return lrGamma == 1 ? LearningRateSchedule.constant() : LearningRateSchedule.stepDecay(1, lrGamma);
    }
}
