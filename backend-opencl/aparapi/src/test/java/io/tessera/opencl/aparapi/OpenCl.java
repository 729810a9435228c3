package io.tessera.opencl.aparapi;

import io.tessera.BackendStatus;
import io.tessera.Device;
import io.tessera.Devices;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The {@code opencl-aparapi} backend as the tests find it, through {@link Devices} like a user. Where it did not load,
 * {@link #require()} skips the calling tests with the reason printed, or fails them when the environment variable
 * {@code TESSERA_REQUIRE_OPENCL=1} says OpenCL must be there (CI sets it).
 */
final class OpenCl {
    static final String DEVICE_ID = AparapiBackendProvider.NAME + ":0";
    private static final BackendStatus STATUS = Devices.all().stream().filter(s -> s.name().equals(AparapiBackendProvider.NAME))
            .findFirst().orElse(null);

    private OpenCl() {
    }

    static boolean required() {
        return "1".equals(System.getenv("TESSERA_REQUIRE_OPENCL"));
    }

    static String reason() {
        if (STATUS == null) {
            return "provider " + AparapiBackendProvider.NAME + " was not found by ServiceLoader";
        }
        return STATUS.isAvailable() ? "available" : STATUS.state() + ": " + STATUS.details();
    }

    /** Skips (or, with TESSERA_REQUIRE_OPENCL=1, fails) the caller unless the backend loaded; prints why. */
    static void require() {
        boolean available = STATUS != null && STATUS.isAvailable();
        if (!available) {
            String message = "opencl-aparapi is not available here: " + reason();
            System.out.println("[opencl-aparapi tests] " + message);
            if (required()) {
                Assertions.fail(message + " (TESSERA_REQUIRE_OPENCL=1, so OpenCL must be present)", STATUS != null ? STATUS.cause() : null);
            }
            Assumptions.abort(message);
        }
    }

    /** {@code opencl-aparapi:0}; call {@link #require()} first. */
    static Device device() {
        return Devices.get(DEVICE_ID);
    }
}
