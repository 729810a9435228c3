package io.tessera.train;

import io.tessera.TesseraException;

import java.util.Locale;

/**
 * {@link Trainer#fit} stopped because the loss became NaN or infinite: the weights have diverged and further epochs,
 * checkpoints or a saved model would hold garbage. Thrown before anything of the diverged epoch is written, so an
 * earlier checkpoint or model file is left as it was. The usual cause is a learning rate that is too high.
 */
public class TrainingDivergedException extends TesseraException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int batches;
    private final double loss;
    private final double learningRate;

    /**
     * @param epoch        the zero-based epoch in which the loss was found not finite (the message numbers epochs
     *                     from 1, as the epoch lines do)
     * @param batches      the batches of that epoch trained when it was found, or -1 if unknown
     * @param what         which loss, e.g. {@code "training loss"} or {@code "validation loss"}
     * @param loss         the loss value found (NaN or infinite)
     * @param learningRate the rate of that epoch
     */
    public TrainingDivergedException(int epoch, int batches, String what, double loss, double learningRate) {
        super(String.format(Locale.ROOT, "training diverged in epoch %d: the %s is %s%s at learning rate %.4g;"
                        + " nothing of this epoch was saved. Lower the learning rate (--lr) and train again", epoch + 1, what, loss,
                batches < 0 ? "" : " after " + batches + " batch" + (batches == 1 ? "" : "es"), learningRate));
        this.epoch = epoch;
        this.batches = batches;
        this.loss = loss;
        this.learningRate = learningRate;
    }

    /**
     * Throws when {@code result}'s training or validation loss is NaN or infinite; for trainers that learn the loss only
     * with the epoch's result (data-parallel ones). Call it before the result is reported or saved.
     *
     * @param result the epoch's result
     * @throws TrainingDivergedException if its training or validation loss is NaN or infinite
     */
    public static void requireFinite(EpochResult result) {
        requireFinite(result.epoch(), -1, "training loss", result.trainLoss(), result.learningRate());
        requireFinite(result.epoch(), -1, "validation loss", result.valLoss(), result.learningRate());
    }

    /** Throws, with these figures, when {@code loss} is NaN or infinite. */
    static void requireFinite(int epoch, int batches, String what, double loss, double learningRate) {
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException(epoch, batches, what, loss, learningRate);
        }
    }

    /**
     * The epoch in which the loss was found not finite.
     *
     * @return the epoch, counted from 0
     */
    public int epoch() {
        return epoch;
    }

    /**
     * How far that epoch had come.
     *
     * @return the batches of that epoch trained when the loss was found not finite, or -1 if unknown
     */
    public int batches() {
        return batches;
    }

    /**
     * The loss found.
     *
     * @return NaN or an infinity
     */
    public double loss() {
        return loss;
    }

    /**
     * The learning rate of that epoch.
     *
     * @return the rate the optimizer used
     */
    public double learningRate() {
        return learningRate;
    }
}
