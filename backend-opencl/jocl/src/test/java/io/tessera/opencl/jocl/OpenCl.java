package io.tessera.opencl.jocl;

import io.tessera.Backend;
import io.tessera.spi.BackendUnavailableException;

/**
 * The backend loaded once for the whole test run. Tests that need OpenCL call {@link #device()}, which skips them
 * (with the reason printed) where no OpenCL platform exists, or fails them under {@code TESSERA_REQUIRE_OPENCL=1}.
 */
final class OpenCl {
    private static final Backend BACKEND;
    private static final String REASON;

    static {
        Backend backend = null;
        String reason = null;
        try {
            backend = new JoclBackendProvider().load();
        } catch (BackendUnavailableException e) {
            reason = e.getMessage();
            System.out.println("[opencl-jocl tests] OpenCL unavailable, OpenCL tests are skipped: " + reason);
        }
        BACKEND = backend;
        REASON = reason;
    }

    private OpenCl() {
    }

    static boolean available() {
        return BACKEND != null;
    }

    static String reason() {
        return REASON;
    }

    /** opencl-jocl:0, or the calling test is skipped. */
    static JoclDevice device() {
        OpenClRequirement.require(BACKEND != null, REASON);
        return (JoclDevice) BACKEND.devices().get(0);
    }

    static Backend backend() {
        OpenClRequirement.require(BACKEND != null, REASON);
        return BACKEND;
    }
}
