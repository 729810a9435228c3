package io.tessera;

import io.tessera.spi.BackendProvider;
import io.tessera.spi.BackendUnavailableException;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Discovers backends and chooses devices. {@link Devices} holds the process-wide instance over
 * {@link ServiceLoader}; tests and embedders may build their own from any list of providers.
 *
 * <p>Providers are listed once, on first use (their constructor, {@code name()}, {@code priority()} and
 * {@code coveredBy()}), and each is loaded at most once, only when needed: {@link #get} loads the one backend its id
 * names, {@link #defaultDevice} skips a backend {@linkplain BackendProvider#coveredBy() covered} by one that loaded,
 * and {@link #backends}, {@link #devices} and {@link #inventory} load them all. So a command that names its device, or
 * takes the default, loads no backend it cannot choose, and such a backend's native library prints nothing.
 *
 * <p>A provider that throws anything at all (in {@code ServiceLoader} iteration, in listing or in {@code load()},
 * errors such as {@link LinkageError} included) is recorded as errored with its cause, and discovery goes on.
 * Thread-safe.
 */
public final class DeviceRegistry {
    /** The system property that overrides the default device, e.g. {@code -Dtessera.device=cpu}. */
    public static final String DEVICE_PROPERTY = "tessera.device";
    /** The environment variable that overrides the default device, e.g. {@code TESSERA_DEVICE=opencl-jocl:0}. */
    public static final String DEVICE_ENV = "TESSERA_DEVICE";

    private static final System.Logger LOG = System.getLogger("io.tessera.devices");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    /** ServiceLoader only tries to recover after a failure; give up on an iterator that keeps failing. */
    static final int MAX_CONSECUTIVE_FAILURES = 32;

    private final Supplier<Iterator<BackendProvider>> providers;
    private volatile List<Entry> entries;
    private volatile List<BackendStatus> statuses;

    /**
     * A registry over the given providers, iterated once on first use.
     *
     * @param providers called once, on first use, for the providers to list
     */
    public DeviceRegistry(Supplier<Iterator<BackendProvider>> providers) {
        this.providers = providers;
    }

    /**
     * A registry over the providers that {@link ServiceLoader} finds with the given class loader.
     *
     * @param loader the class loader searched
     * @return the registry; nothing is loaded yet
     */
    public static DeviceRegistry fromServiceLoader(ClassLoader loader) {
        return new DeviceRegistry(() -> ServiceLoader.load(BackendProvider.class, loader).iterator());
    }

    /**
     * A registry over a fixed list of providers.
     *
     * @param list the providers; copied
     * @return the registry; nothing is loaded yet
     */
    public static DeviceRegistry of(List<? extends BackendProvider> list) {
        List<BackendProvider> copy = List.copyOf(list);
        return new DeviceRegistry(copy::iterator);
    }

    /**
     * Every installed backend, each loaded now if it was not yet: devices of those that loaded, the reason for the
     * others.
     *
     * @return one status per listed provider, in listing order; unmodifiable
     */
    public List<BackendStatus> backends() {
        List<BackendStatus> s = statuses;
        if (s == null) {
            synchronized (this) {
                s = statuses;
                if (s == null) {
                    List<BackendStatus> all = new ArrayList<>();
                    for (Entry e : entries()) {
                        all.add(loaded(e));
                    }
                    s = List.copyOf(all);
                    statuses = s;
                }
            }
        }
        return s;
    }

    /**
     * The devices of every backend, best first: ordered by {@link DeviceKind#preference()} (GPUs, accelerators,
     * CPUs), then by higher {@link BackendProvider#priority()} among devices of the same kind, then by the backend's
     * own order of its devices. Backends of equal priority keep the order in which their providers were listed (the
     * class path's, for {@link ServiceLoader}), so a third-party provider should not reuse a built-in's priority.
     *
     * @return the devices, a new unmodifiable list; loads every backend
     */
    public List<Device> devices() {
        return ranked(backends());
    }

    private static List<Device> ranked(List<BackendStatus> backends) {
        List<Ranked> ranked = new ArrayList<>();
        for (BackendStatus b : backends) {
            int order = 0;
            for (Device d : b.devices()) {
                ranked.add(new Ranked(d, b.priority(), order++));
            }
        }
        ranked.sort(Comparator.comparingInt((Ranked r) -> r.device.kind().preference())
                .thenComparing(Comparator.comparingInt((Ranked r) -> r.priority).reversed())
                .thenComparingInt(r -> r.order));
        return ranked.stream().map(r -> r.device).toList();
    }

    private record Ranked(Device device, int priority, int order) {
    }

    /**
     * The device with the given id. Loads only the backend the id names (the part before {@code ':'}).
     *
     * @param id a device id, e.g. {@code opencl-jocl:0}
     * @return the device
     * @throws IllegalArgumentException if none has it; the message lists the devices that exist and every backend
     *                                  that did not load, with its reason
     */
    public Device get(String id) {
        int colon = id.indexOf(':');
        String backend = colon < 0 ? id : id.substring(0, colon);
        for (Entry e : entries()) {
            if (e.name.equals(backend)) {
                for (Device d : loaded(e).devices()) {
                    if (d.id().equals(id)) {
                        return d;
                    }
                }
            }
        }
        throw new IllegalArgumentException("no device '" + id + "'. " + inventory());
    }

    /**
     * The device named by {@code override} when it is non-blank, else the best available device. Logs one line: the
     * chosen device, and every other device and backend passed over, with the reason. Loads only the backends it
     * needs: the named one; or, for the best device, every backend not {@linkplain BackendProvider#coveredBy()
     * covered} by one of higher priority that loaded.
     *
     * @param override a device id, or null or blank for the best available device
     * @return the device
     * @throws IllegalArgumentException if {@code override} names no device
     * @throws IllegalStateException if no backend could run on this machine
     */
    public Device defaultDevice(String override) {
        Device chosen;
        String why;
        Map<String, String> covered = new LinkedHashMap<>();
        if (override != null && !override.isBlank()) {
            chosen = get(override.strip());
            why = "requested";
        } else {
            List<BackendStatus> considered = new ArrayList<>();
            List<Entry> byPriority = new ArrayList<>(entries());
            byPriority.sort(Comparator.comparingInt((Entry e) -> e.priority).reversed());
            for (Entry e : byPriority) {
                String cover = e.coveredBy.stream().filter(c -> considered.stream()
                        .anyMatch(s -> s.name().equals(c) && s.isAvailable())).findFirst().orElse(null);
                if (cover != null) {
                    covered.put(e.name, cover);
                } else {
                    considered.add(loaded(e));
                }
            }
            List<Device> all = ranked(considered);
            if (all.isEmpty()) {
                throw new IllegalStateException("no backend could run on this machine. " + inventory()
                        + ". Add tessera-backend-cpu to the class path.");
            }
            chosen = all.get(0);
            why = "best available";
        }
        LOG.log(Level.INFO, () -> selectionLine(chosen, why, covered));
        return chosen;
    }

    /** The selection line over what is loaded so far. */
    String selectionLine(Device chosen, String why) {
        return selectionLine(chosen, why, Map.of());
    }

    private String selectionLine(Device chosen, String why, Map<String, String> covered) {
        StringBuilder b = new StringBuilder("Tessera device: ").append(chosen.id()).append(" (").append(chosen.kind())
                .append(", ").append(chosen.name()).append("; ").append(why).append(")");
        List<String> skipped = new ArrayList<>();
        for (Entry e : entries()) {
            BackendStatus s = e.status;
            if (s == null) {
                if (covered.containsKey(e.name)) {
                    skipped.add(e.name + " not loaded: its devices are " + covered.get(e.name) + "'s");
                }
            } else if (!s.isAvailable()) {
                skipped.add(s.name() + " " + s.state().name().toLowerCase(java.util.Locale.ROOT) + ": " + s.details());
            } else {
                for (Device d : s.devices()) {
                    if (d != chosen) {
                        skipped.add(d.id() + " (" + d.kind() + ", " + d.name() + ") ranked lower");
                    }
                }
            }
        }
        if (!skipped.isEmpty()) {
            b.append("; skipped: ").append(String.join("; ", skipped));
        }
        return b.toString();
    }

    /**
     * A sentence listing the device ids that exist and the backends that did not load (loading every backend).
     *
     * @return the sentence
     */
    public String inventory() {
        List<String> ids = devices().stream().map(Device::id).toList();
        StringBuilder b = new StringBuilder("Devices: ").append(ids.isEmpty() ? "none" : String.join(", ", ids));
        for (BackendStatus s : backends()) {
            if (!s.isAvailable()) {
                b.append("; backend ").append(s.name()).append(" is ").append(s.state().name().toLowerCase(java.util.Locale.ROOT))
                        .append(": ").append(s.details());
            }
        }
        return b.toString();
    }

    /** One listed provider; {@code status} is set once, when it is loaded (or at once, when listing it failed). */
    private static final class Entry {
        final BackendProvider provider;
        final String name;
        final int priority;
        final Set<String> coveredBy;
        volatile BackendStatus status;

        Entry(BackendProvider provider, String name, int priority, Set<String> coveredBy) {
            this.provider = provider;
            this.name = name;
            this.priority = priority;
            this.coveredBy = coveredBy;
        }

        static Entry failed(BackendStatus status) {
            Entry e = new Entry(null, status.name(), status.priority(), Set.of());
            e.status = status;
            return e;
        }
    }

    private BackendStatus loaded(Entry e) {
        BackendStatus s = e.status;
        if (s == null) {
            synchronized (this) {
                s = e.status;
                if (s == null) {
                    s = load(e);
                    e.status = s;
                }
            }
        }
        return s;
    }

    private List<Entry> entries() {
        List<Entry> list = entries;
        if (list == null) {
            synchronized (this) {
                list = entries;
                if (list == null) {
                    list = discover();
                    entries = list;
                }
            }
        }
        return list;
    }

    private List<Entry> discover() {
        List<Entry> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Iterator<BackendProvider> it;
        try {
            it = providers.get();
        } catch (Throwable t) {
            rethrowIfFatal(t);
            out.add(Entry.failed(errored("<service loader>", 0, "listing backend providers failed: " + t, t)));
            return List.copyOf(out);
        }
        int failures = 0;
        while (true) {
            BackendProvider provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
                failures = 0;
            } catch (Throwable t) {
                rethrowIfFatal(t);
                out.add(Entry.failed(errored("<unloadable provider>", 0, "a backend provider could not be instantiated: " + t, t)));
                LOG.log(Level.WARNING, "A backend provider could not be instantiated", t);
                if (++failures == MAX_CONSECUTIVE_FAILURES) {
                    out.add(Entry.failed(errored("<service loader>", 0, "gave up listing backend providers after " + failures
                            + " failures in a row", null)));
                    break;
                }
                continue;
            }
            out.add(list(provider, names));
        }
        return List.copyOf(out);
    }

    private static Entry list(BackendProvider provider, Set<String> names) {
        String label = provider.getClass().getName();
        int priority = 0;
        try {
            String name = provider.name();
            priority = provider.priority();
            if (name == null || !NAME.matcher(name).matches()) {
                return Entry.failed(errored(label, priority, "provider " + label + " has an invalid name '" + name
                        + "' (lower-case letters, digits and dashes)", null));
            }
            label = name;
            if (!names.add(name)) {
                return Entry.failed(errored(name, priority, "a second provider named '" + name + "' (" + provider.getClass().getName()
                        + ") was ignored; backend names must be unique", null));
            }
            Set<String> coveredBy = provider.coveredBy();
            return new Entry(provider, name, priority, coveredBy == null ? Set.of() : Set.copyOf(coveredBy));
        } catch (Throwable t) {
            rethrowIfFatal(t);
            LOG.log(Level.WARNING, "Backend provider " + label + " failed to describe itself", t);
            return Entry.failed(errored(label, priority, t.getClass().getName() + ": " + t.getMessage(), t));
        }
    }

    private static BackendStatus load(Entry entry) {
        BackendProvider provider = entry.provider;
        String name = entry.name;
        int priority = entry.priority;
        try {
            Backend backend = provider.load();
            if (backend == null) {
                return errored(name, priority, "provider " + provider.getClass().getName() + " loaded no backend", null);
            }
            if (backend.devices() == null || backend.devices().isEmpty()) {
                closeQuietly(backend);
                return errored(name, priority, "provider " + provider.getClass().getName() + " loaded no devices", null);
            }
            for (Device d : backend.devices()) {
                if (!d.id().equals(name) && !d.id().startsWith(name + ":")) {
                    closeQuietly(backend);
                    return errored(name, priority, "device id '" + d.id() + "' does not start with the backend name '" + name + "'", null);
                }
            }
            return new BackendStatus(name, priority, BackendStatus.State.AVAILABLE, backend.devices(), backend.details(), null);
        } catch (BackendUnavailableException e) {
            return new BackendStatus(name, priority, BackendStatus.State.UNAVAILABLE, List.of(), e.getMessage(), e);
        } catch (Throwable t) {
            rethrowIfFatal(t);
            LOG.log(Level.WARNING, "Backend " + name + " failed to load", t);
            return errored(name, priority, t.getClass().getName() + ": " + t.getMessage(), t);
        }
    }

    private static BackendStatus errored(String name, int priority, String details, Throwable cause) {
        return new BackendStatus(name, priority, BackendStatus.State.ERRORED, List.of(), details, cause);
    }

    private static void closeQuietly(Backend backend) {
        try {
            backend.close();
        } catch (Throwable t) {
            rethrowIfFatal(t);
            LOG.log(Level.WARNING, "Closing a rejected backend failed", t);
        }
    }

    private static void rethrowIfFatal(Throwable t) {
        if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
            throw (VirtualMachineError) t;
        }
    }
}
