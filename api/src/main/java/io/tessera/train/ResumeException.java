package io.tessera.train;

import io.tessera.TesseraException;

/**
 * A training run cannot resume from its checkpoint folder: the checkpoint was written by a run with other settings, a
 * model or optimizer of another shape, or data in another order; or the folder holds another run's checkpoints and
 * resuming was not asked for. The message names the file and the difference.
 */
public class ResumeException extends TesseraException {
    private static final long serialVersionUID = 1L;

    /**
     * An error with a message naming the file and the difference.
     *
     * @param message the message
     */
    public ResumeException(String message) {
        super(message);
    }

    /**
     * An error with a message and its cause.
     *
     * @param message the message
     * @param cause the underlying failure, e.g. the checkpoint's {@link java.io.IOException}
     */
    public ResumeException(String message, Throwable cause) {
        super(message, cause);
    }
}
