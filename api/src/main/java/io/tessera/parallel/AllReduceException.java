package io.tessera.parallel;

import io.tessera.TesseraException;

/** An {@link AllReduce} could not complete: a member failed or left, the group was aborted, or a wait timed out. */
public final class AllReduceException extends TesseraException {
    private static final long serialVersionUID = 1L;

    /**
     * An error with a message.
     *
     * @param message the message
     */
    public AllReduceException(String message) {
        super(message);
    }

    /**
     * An error with a message and its cause.
     *
     * @param message the message
     * @param cause the cause, e.g. the failing member's exception or an {@link java.io.IOException}
     */
    public AllReduceException(String message, Throwable cause) {
        super(message, cause);
    }
}
