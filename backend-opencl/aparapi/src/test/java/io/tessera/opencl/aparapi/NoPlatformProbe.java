package io.tessera.opencl.aparapi;

import io.tessera.BackendStatus;
import io.tessera.Devices;
import io.tessera.spi.BackendUnavailableException;

/**
 * Run in a child JVM by {@link NoPlatformTest}: loads the provider directly and through {@link Devices}, and prints
 * one line per outcome for the parent to check.
 */
public final class NoPlatformProbe {
    private NoPlatformProbe() {
    }

    public static void main(String[] args) {
        try {
            new AparapiBackendProvider().load();
            System.out.println("LOADED");
        } catch (BackendUnavailableException e) {
            System.out.println("UNAVAILABLE " + e.getMessage());
        }
        for (BackendStatus s : Devices.all()) {
            System.out.println("STATUS " + s.name() + " " + s.state());
        }
        System.out.println("DEFAULT " + Devices.defaultDevice().id());
    }
}
