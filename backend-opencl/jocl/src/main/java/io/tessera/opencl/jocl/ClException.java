package io.tessera.opencl.jocl;

import io.tessera.TesseraException;

/** An OpenCL call that failed; {@link #code()} is the OpenCL status code and the message names it and the device. */
public class ClException extends TesseraException {
    private static final long serialVersionUID = 1L;

    private final int code;

    /** An exception for OpenCL status {@code code} with a complete message. */
    public ClException(int code, String message) {
        super(message);
        this.code = code;
    }

    /** The OpenCL status code, e.g. {@code -5} for {@code CL_OUT_OF_RESOURCES}. */
    public int code() {
        return code;
    }
}
