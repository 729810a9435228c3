package io.tessera.datasets;

import java.io.IOException;
import java.util.List;

/** No mirror delivered a file intact; {@link #failures()} says what went wrong at each, in the order tried. */
public class DownloadException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final List<String> failures;

    public DownloadException(String file, List<String> failures) {
        super("could not download " + file + " from any mirror:" + System.lineSeparator() + "  " + String.join(System.lineSeparator() + "  ",
                failures.isEmpty() ? List.of("no mirror is configured") : failures));
        this.file = file;
        this.failures = List.copyOf(failures);
    }

    /** The file name asked for, e.g. {@code train-images-idx3-ubyte.gz}. */
    public String file() {
        return file;
    }

    /** One line per mirror: its URL, a colon and what failed. */
    public List<String> failures() {
        return failures;
    }
}
