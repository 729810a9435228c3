package io.tessera.opencl.jocl;

import io.tessera.BackendStatus;
import io.tessera.DeviceRegistry;

import java.util.List;

/** Run in a child JVM by {@link UnavailableTest}: prints the backend's state and details on one line each. */
public final class UnavailableProbe {
    private UnavailableProbe() {
    }

    public static void main(String[] args) {
        BackendStatus status = DeviceRegistry.of(List.of(new JoclBackendProvider())).backends().get(0);
        System.out.println("STATE " + status.state());
        System.out.println("DETAILS " + status.details().replace('\n', ' '));
        System.out.println("CAUSE " + (status.cause() == null ? "none" : status.cause().getClass().getName()));
    }
}
