package io.tessera.nn;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint that cannot be read: not a checkpoint, a newer format, truncated, corrupt, or an unknown layer type. */
public class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * An error whose message is {@code "checkpoint FILE: PROBLEM"}.
     *
     * @param file the checkpoint
     * @param problem what is wrong with it
     */
    public CheckpointException(Path file, String problem) {
        super("checkpoint " + file + ": " + problem);
    }
}
