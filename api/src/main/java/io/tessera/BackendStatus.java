package io.tessera;

import java.util.List;

/**
 * What discovery found for one installed backend provider: its devices when it loaded, otherwise why not.
 *
 * @param name     the provider's name (or its class name where {@code name()} itself failed)
 * @param priority the provider's priority (0 where unknown)
 * @param state    whether it loaded
 * @param devices  its devices; empty unless {@link State#AVAILABLE}
 * @param details  the backend's one-line description, or the reason it is not available
 * @param cause    the exception behind an unavailable or errored backend, else null
 */
public record BackendStatus(String name, int priority, State state, List<Device> devices, String details, Throwable cause) {

    /**
     * Copies {@code devices} into an unmodifiable list.
     *
     * @param name the provider's name
     * @param priority the provider's priority
     * @param state whether it loaded
     * @param devices its devices
     * @param details the description or the reason
     * @param cause the exception, or null
     */
    public BackendStatus {
        devices = List.copyOf(devices);
    }

    /** The outcome of loading a backend. */
    public enum State {
        /** Loaded, with at least one device. */
        AVAILABLE,
        /** The provider reported it cannot run here (a {@link io.tessera.spi.BackendUnavailableException}). */
        UNAVAILABLE,
        /** The provider failed unexpectedly: any other exception or error, in discovery or loading. */
        ERRORED
    }

    /**
     * Whether the backend loaded and has devices.
     *
     * @return true when {@link #state()} is {@link State#AVAILABLE}
     */
    public boolean isAvailable() {
        return state == State.AVAILABLE;
    }
}
