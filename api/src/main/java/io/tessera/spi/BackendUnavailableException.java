package io.tessera.spi;

/**
 * Thrown by {@link BackendProvider#load()} when a backend cannot run on this machine. The message says why in
 * terms a person can act on (what was tried, what is missing, what to install), and the cause is chained.
 */
public class BackendUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * An exception saying why the backend cannot run and what to do.
     *
     * @param message the reason and the fix
     */
    public BackendUnavailableException(String message) {
        super(message);
    }

    /**
     * An exception saying why the backend cannot run, with the failure behind it.
     *
     * @param message the reason and the fix
     * @param cause the underlying failure, e.g. an {@link UnsatisfiedLinkError}
     */
    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The operating system, architecture and Java runtime, for messages about native libraries.
     *
     * @return e.g. {@code Linux amd64, Java 17.0.9}
     */
    public static String platform() {
        return System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version");
    }
}
