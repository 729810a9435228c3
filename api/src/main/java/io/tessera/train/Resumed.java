package io.tessera.train;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a resumed {@link Trainer#fit} continues: the checkpoint it restored, the position (the next epoch, and the
 * batches of it already done), the epochs already done, and the newer checkpoints that could not be read.
 *
 * @param file    the checkpoint restored
 * @param epoch   the epoch training continues in, from 0
 * @param batch   the batches of {@code epoch} already trained (0 after an epoch-end checkpoint)
 * @param history the results of the epochs already done
 * @param skipped one line per newer checkpoint passed over: its file and why it could not be read
 */
public record Resumed(Path file, int epoch, int batch, List<EpochResult> history, List<String> skipped) {
    /**
     * Copies the lists into unmodifiable ones.
     *
     * @param file the checkpoint restored, or null when none could be read
     * @param epoch the epoch training continues in
     * @param batch the batches of {@code epoch} already trained
     * @param history the results of the epochs already done
     * @param skipped the newer checkpoints passed over
     */
    public Resumed {
        history = List.copyOf(history);
        skipped = List.copyOf(skipped);
    }
}
