package io.tessera.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A dataset file that cannot be used as it is: wrong magic number, truncated, inconsistent sizes, labels out of range.
 * The message starts with the file and says what is wrong.
 */
public class DatasetFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * An error whose message is {@code "FILE: PROBLEM"}.
     *
     * @param file the file at fault
     * @param problem what is wrong with it
     */
    public DatasetFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /**
     * An error whose message is {@code "FILE: PROBLEM"}, with its cause.
     *
     * @param file the file at fault
     * @param problem what is wrong with it
     * @param cause the underlying failure, e.g. a corrupt gzip stream
     */
    public DatasetFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /**
     * The file at fault.
     *
     * @return the file, as given
     */
    public Path file() {
        return file;
    }
}
