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

    public DatasetFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public DatasetFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }
}
