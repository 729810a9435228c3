package io.tessera.examples.guice;

import com.google.inject.ProvisionException;

import java.io.UncheckedIOException;

/** What the example commands share around Guice. */
public final class Provisioning {
    private Provisioning() {
    }

    /**
     * The failure a user should see when a provider threw (a missing dataset, an unknown device): Guice's wrappers
     * and {@link UncheckedIOException} peeled off.
     */
    public static Exception unwrap(ProvisionException e) {
        Throwable t = e;
        while (t instanceof ProvisionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof UncheckedIOException u) {
            return u.getCause();
        }
        return t instanceof Exception ex ? ex : e;
    }
}
