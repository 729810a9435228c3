package io.tessera.spark;

import io.tessera.TesseraException;

/** A Spark training run that could not finish: an epoch failed on every attempt. */
public final class SparkTrainingException extends TesseraException {
    private static final long serialVersionUID = 1L;

    public SparkTrainingException(String message, Throwable cause) {
        super(message, cause);
    }
}
