package io.tessera.parallel;

import io.tessera.TesseraException;

/** An {@link AllReduce} could not complete: a member failed or left, the group was aborted, or a wait timed out. */
public final class AllReduceException extends TesseraException {
    private static final long serialVersionUID = 1L;

    public AllReduceException(String message) {
        super(message);
    }

    public AllReduceException(String message, Throwable cause) {
        super(message, cause);
    }
}
