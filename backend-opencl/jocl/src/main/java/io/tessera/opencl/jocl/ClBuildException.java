package io.tessera.opencl.jocl;

/**
 * An OpenCL program that did not compile. The message holds the program name, the device and the compiler's build
 * log; {@link #buildLog()} returns the log alone.
 */
public final class ClBuildException extends ClException {
    private static final long serialVersionUID = 1L;

    private final String buildLog;

    ClBuildException(int code, String message, String buildLog) {
        super(code, message);
        this.buildLog = buildLog;
    }

    /** The OpenCL compiler's output for the failed build; never null, may be empty. */
    public String buildLog() {
        return buildLog;
    }
}
