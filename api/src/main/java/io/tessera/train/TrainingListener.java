package io.tessera.train;

import java.nio.file.Path;

/** Observes a {@link Trainer}: progress output, checkpoints. Called on the training thread; keep it cheap. */
public interface TrainingListener {

    /** Before epoch {@code epoch} (zero-based) of {@code epochs} in this fit call. */
    default void onEpochStart(int epoch, int epochs) {
    }

    /** After each training batch; {@code batch} is zero-based. Must not read device tensors (that would synchronise). */
    default void onBatchEnd(int epoch, int batch) {
    }

    default void onEpochEnd(EpochResult result) {
    }

    /** Once, before the first epoch, when {@link Trainer#fit} resumes from a checkpoint (or found none it could read). */
    default void onResume(Resumed resumed) {
    }

    /** After a training checkpoint has been written to {@code file}. */
    default void onCheckpoint(Path file) {
    }
}
