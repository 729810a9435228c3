package io.tessera.opencl.jocl.tck;

import io.tessera.BackendStatus;
import io.tessera.Device;
import io.tessera.DeviceRegistry;
import io.tessera.opencl.jocl.JoclBackendProvider;
import io.tessera.opencl.jocl.OpenClRequirement;

import java.util.List;

/** opencl-jocl:0 for the conformance kit, loaded once through a registry as users get it. */
final class TckDevice {
    private static final BackendStatus STATUS = DeviceRegistry.of(List.of(new JoclBackendProvider())).backends().get(0);

    static {
        if (!STATUS.isAvailable()) {
            System.out.println("[opencl-jocl TCK] skipped: backend " + STATUS.state() + ": " + STATUS.details());
        }
    }

    private TckDevice() {
    }

    /** Skips (or under TESSERA_REQUIRE_OPENCL=1 fails) the calling test class, printing why, where the backend did not load. */
    static void require() {
        OpenClRequirement.require(STATUS.isAvailable(), STATUS.state() + ": " + STATUS.details());
    }

    static Device get() {
        require();
        return STATUS.devices().get(0);
    }
}
