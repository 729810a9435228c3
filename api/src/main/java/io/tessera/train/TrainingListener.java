package io.tessera.train;

import java.nio.file.Path;

/** Observes a {@link Trainer}: progress output, checkpoints. Called on the training thread; keep it cheap. */
public interface TrainingListener {

    /**
     * Before epoch {@code epoch} (zero-based) of {@code epochs} in this fit call.
     *
     * @param epoch the epoch about to start, from 0
     * @param epochs the epochs of the fit call
     */
    default void onEpochStart(int epoch, int epochs) {
    }

    /**
     * After each training batch; {@code batch} is zero-based. Must not read device tensors (that would synchronise).
     *
     * @param epoch the current epoch, from 0
     * @param batch the batch just trained, from 0
     */
    default void onBatchEnd(int epoch, int batch) {
    }

    /**
     * After each epoch's training and validation passes, before its epoch-end checkpoint (if any) is written.
     *
     * @param result the epoch's result
     */
    default void onEpochEnd(EpochResult result) {
    }

    /**
     * Once, before the first epoch, when {@link Trainer#fit} resumes from a checkpoint (or found none it could read).
     *
     * @param resumed where training continues; its file is null when no checkpoint could be read
     */
    default void onResume(Resumed resumed) {
    }

    /**
     * After a training checkpoint has been written to {@code file}.
     *
     * @param file the checkpoint written
     */
    default void onCheckpoint(Path file) {
    }
}
