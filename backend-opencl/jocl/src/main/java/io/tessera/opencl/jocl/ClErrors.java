package io.tessera.opencl.jocl;

import io.tessera.TesseraException;
import org.jocl.CL;

/**
 * Turns OpenCL status codes into {@link TesseraException}s whose message names the code (e.g.
 * {@code CL_OUT_OF_RESOURCES (-5)}), the operation and the device. Stateless and thread-safe; it never enables
 * JOCL's global exception mode, so other users of JOCL in the same process are not affected.
 */
final class ClErrors {
    private ClErrors() {
    }

    /** The symbolic name of an OpenCL status code, e.g. {@code CL_INVALID_VALUE}, or {@code CL error -9999} if unknown. */
    static String name(int code) {
        String s = CL.stringFor_errorCode(code);
        return s == null || s.startsWith("INVALID error code") ? "CL error " + code : s;
    }

    /** {@code name(code) + " (" + code + ")"}. */
    static String describe(int code) {
        return name(code) + " (" + code + ")";
    }

    /**
     * Returns quietly when {@code code} is {@code CL_SUCCESS}.
     *
     * @param code     the status returned by an OpenCL call
     * @param what     the operation, e.g. {@code clEnqueueNDRangeKernel(gemm_cpu)}
     * @param deviceId the Tessera device id, e.g. {@code opencl-jocl:0}
     * @throws TesseraException otherwise, naming the code, the operation and the device
     */
    static void check(int code, String what, String deviceId) {
        if (code != CL.CL_SUCCESS) {
            throw error(code, what, deviceId);
        }
    }

    /** The exception {@link #check} throws for a failed {@code code}. */
    static ClException error(int code, String what, String deviceId) {
        return new ClException(code, what + " failed on " + deviceId + ": " + describe(code));
    }
}
