package io.tessera;

import io.tessera.spi.BackendProvider;
import io.tessera.spi.BackendUnavailableException;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A backend provider built in a test: it loads the given devices, or throws the given failure. */
final class FakeProvider implements BackendProvider {
    private final String name;
    private final int priority;
    private final List<Device> devices;
    private final Throwable failure;
    final AtomicInteger loads = new AtomicInteger();
    private Set<String> coveredBy = Set.of();
    final AtomicBoolean closed = new AtomicBoolean();

    private FakeProvider(String name, int priority, List<Device> devices, Throwable failure) {
        this.name = name;
        this.priority = priority;
        this.devices = devices;
        this.failure = failure;
    }

    static FakeProvider loading(String name, int priority, Device... devices) {
        return new FakeProvider(name, priority, List.of(devices), null);
    }

    static FakeProvider cpu(String name, int priority) {
        return loading(name, priority, new FakeDevice(name, DeviceKind.CPU));
    }

    static FakeProvider gpu(String name, int priority) {
        return loading(name, priority, new FakeDevice(name + ":0", DeviceKind.GPU));
    }

    static FakeProvider failing(String name, Throwable failure) {
        return new FakeProvider(name, 10, List.of(), failure);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int priority() {
        return priority;
    }

    /** This provider, declaring itself covered by the named backends. */
    FakeProvider coveredBy(String... names) {
        coveredBy = Set.of(names);
        return this;
    }

    @Override
    public Set<String> coveredBy() {
        return coveredBy;
    }

    @Override
    public Backend load() throws BackendUnavailableException {
        loads.incrementAndGet();
        if (failure instanceof BackendUnavailableException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return new Backend() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<Device> devices() {
                return devices;
            }

            @Override
            public String details() {
                return "fake backend " + name;
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
    }
}
