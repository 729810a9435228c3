package io.tessera;

/** A failure inside Tessera or a backend, e.g. a native error turned into a Java exception; the message names the device. */
public class TesseraException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An error with a message.
     *
     * @param message the message
     */
    public TesseraException(String message) {
        super(message);
    }

    /**
     * An error with a message and its cause.
     *
     * @param message the message
     * @param cause the cause
     */
    public TesseraException(String message, Throwable cause) {
        super(message, cause);
    }
}
