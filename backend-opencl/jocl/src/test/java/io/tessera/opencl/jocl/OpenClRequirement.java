package io.tessera.opencl.jocl;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What an OpenCL test does where the backend did not load: skip with the reason, or, where the environment variable
 * {@value #ENV} is {@code 1} (CI sets it), fail with the reason, so a broken OpenCL install is never passed silently.
 */
public final class OpenClRequirement {
    /** Set to {@code 1} to make a missing OpenCL platform fail the OpenCL tests instead of skipping them. */
    public static final String ENV = "TESSERA_REQUIRE_OPENCL";

    private OpenClRequirement() {
    }

    /** Skips (or fails, under {@value #ENV}=1) the calling test when {@code available} is false. */
    public static void require(boolean available, String reason) {
        if (available) {
            return;
        }
        String message = "OpenCL backend opencl-jocl is not available: " + reason;
        if ("1".equals(System.getenv(ENV))) {
            Assertions.fail(message + " (" + ENV + "=1, so this fails instead of skipping)");
        }
        Assumptions.abort(message);
    }
}
