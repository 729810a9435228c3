package io.tessera.datasets;

import java.io.IOException;

/**
 * A dataset was neither found nor downloaded. The message lists where it was looked for, what each mirror answered,
 * and where to put the files by hand.
 */
public class DatasetUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    public DatasetUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
