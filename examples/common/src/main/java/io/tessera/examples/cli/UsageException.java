package io.tessera.examples.cli;

/** A bad command line: the launcher prints the message and the usage, then exits with code 2. */
public class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
