package io.tessera.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints the tutorial's line after each epoch, {@code Epoch [n], val_loss: x, val_acc: y}, with the training loss,
 * rate, time and samples/s; on a terminal also a progress bar within the epoch. Epochs are numbered from 1 through
 * the whole run; figures are rounded to a fixed precision. When the evaluation after each epoch is on the test set,
 * its figures read {@code test_loss}, {@code test_acc}.
 */
public final class ProgressPrinter implements TrainingListener {
    private final PrintStream out;
    private final int batchesPerEpoch;
    private final boolean bar;
    private final String evaluatedOn;
    private int lastDrawn = -1;

    /**
     * @param batchesPerEpoch the number of training batches per epoch, for the bar (0 if unknown)
     * @param bar             whether to draw a progress bar (use {@code System.console() != null})
     * @param out where the lines go; not closed
     */
    public ProgressPrinter(PrintStream out, int batchesPerEpoch, boolean bar) {
        this(out, batchesPerEpoch, bar, VALIDATION);
    }

    /**
     * A printer naming its evaluation figures {@code evaluatedOn}.
     *
     * @param out             where the lines go; not closed
     * @param batchesPerEpoch the number of training batches per epoch, for the bar (0 if unknown)
     * @param bar             whether to draw a progress bar (use {@code System.console() != null})
     * @param evaluatedOn what the evaluation after each epoch runs on, the prefix of its figures: {@link #VALIDATION}
     *                    or {@link #TEST}
     */
    public ProgressPrinter(PrintStream out, int batchesPerEpoch, boolean bar, String evaluatedOn) {
        this.out = out;
        this.batchesPerEpoch = batchesPerEpoch;
        this.bar = bar && batchesPerEpoch > 0;
        this.evaluatedOn = evaluatedOn;
    }

    /** The prefix of figures from a validation set held out of the training data. */
    public static final String VALIDATION = "val";
    /** The prefix of figures from the test set. */
    public static final String TEST = "test";

    @Override
    public void onBatchEnd(int epoch, int batch) {
        if (!bar) {
            return;
        }
        int done = batch + 1;
        int width = 30;
        int filled = (int) ((long) done * width / batchesPerEpoch);
        if (filled == lastDrawn && done != batchesPerEpoch) {
            return;
        }
        lastDrawn = filled;
        out.print("\rEpoch [" + (epoch + 1) + "] [" + "=".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + batchesPerEpoch);
        out.flush();
    }

    @Override
    public void onEpochEnd(EpochResult r) {
        if (bar) {
            out.print("\r" + " ".repeat(60) + "\r");
            lastDrawn = -1;
        }
        out.println(line(r, evaluatedOn));
    }

    @Override
    public void onResume(Resumed r) {
        for (String skipped : r.skipped()) {
            out.println("Skipped the unreadable checkpoint " + skipped);
        }
        if (r.file() == null) {
            out.println("No readable checkpoint: training starts from the beginning");
        } else {
            out.println("Resumed from " + r.file() + ": " + r.history().size() + " epoch" + (r.history().size() == 1 ? "" : "s") + " done"
                    + (r.batch() > 0 ? ", and " + r.batch() + " batch" + (r.batch() == 1 ? "" : "es") + " of epoch " + (r.epoch() + 1) : ""));
        }
    }

    /**
     * Says where checkpoints go, and when resuming from an empty folder, that training starts from the beginning.
     *
     * @param out where the lines go
     * @param checkpoints the settings announced
     */
    public static void announceCheckpoints(PrintStream out, TrainingCheckpoints checkpoints) {
        out.println("Checkpoints: " + checkpoints.dir() + " (after every epoch"
                + checkpoints.interval().map(d -> String.format(Locale.ROOT, " and every %.3g min", d.toMillis() / 60_000.0)).orElse("")
                + ", newest " + checkpoints.keep() + " kept)");
        if (checkpoints.resumes()) {
            boolean none;
            try {
                none = checkpoints.list().isEmpty();
            } catch (java.io.IOException e) {
                none = false;
            }
            if (none) {
                out.println("No checkpoint in " + checkpoints.dir() + " yet: training starts from the beginning");
            }
        }
    }

    /**
     * {@link #line(EpochResult, String)} of a validation set.
     *
     * @param r the epoch
     * @return the line, without a line break; numbers in {@link Locale#ROOT}
     */
    public static String line(EpochResult r) {
        return line(r, VALIDATION);
    }

    /**
     * The epoch line, numbered from 1, e.g.
     * {@code Epoch [1], val_loss: 0.2300, val_acc: 0.9332 (train_loss 0.4100, lr 0.0002401, 0.28 s, 178,571 samples/s)}.
     *
     * @param r           the epoch
     * @param evaluatedOn the prefix of the evaluation figures, {@link #VALIDATION} or {@link #TEST}
     * @return the line, without a line break; numbers in {@link Locale#ROOT}
     */
    public static String line(EpochResult r, String evaluatedOn) {
        return String.format(Locale.ROOT, "Epoch [%d], %s_loss: %.4f, %s_acc: %.4f (train_loss %.4f, lr %.4g, %.2f s, %,.0f samples/s)",
                r.epoch() + 1, evaluatedOn, r.valLoss(), evaluatedOn, r.valAccuracy(), r.trainLoss(), r.learningRate(), r.trainSeconds(),
                r.samplesPerSecond());
    }
}
