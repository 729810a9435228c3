package io.tessera.spi;

import io.tessera.Backend;

import java.util.Set;

/**
 * The backend SPI: one implementation per backend, listed in
 * {@code META-INF/services/io.tessera.spi.BackendProvider} (and {@code provides io.tessera.spi.BackendProvider with ...}
 * in a module descriptor). {@link io.tessera.Devices} finds providers through {@link java.util.ServiceLoader}.
 *
 * <p>Contract: the public no-argument constructor, {@link #name()} and {@link #priority()} are cheap and touch no
 * native code; everything that may fail on a given machine (loading native libraries, enumerating drivers) happens
 * in {@link #load()}, which each {@link io.tessera.DeviceRegistry} calls at most once (the process-wide
 * {@link io.tessera.Devices} registry: once per process). A backend whose native library can be set up only once
 * per process must tolerate a second registry's {@code load()}. Anything a provider throws is caught
 * and reported as that backend's error; it never stops other backends from loading.
 *
 * <p>A registry loads a provider only when it may need its devices: when a device id names it, when the default
 * device is chosen (unless it is {@linkplain #coveredBy() covered}), or when every backend is listed.
 *
 * <p>A backend keeps its libraries' own console output (log records, native messages it can catch) off the console
 * unless the system property {@value #VERBOSE_PROPERTY} is {@code true}; its reasons go into
 * {@link BackendUnavailableException} and {@link io.tessera.BackendStatus#details()} instead.
 */
public interface BackendProvider {
    /** System property: {@code true} lets backends' libraries print their own messages ({@code tessera --verbose}). */
    String VERBOSE_PROPERTY = "tessera.verbose";

    /**
     * The backend's name, the prefix of its device ids: lower-case letters, digits and dashes, e.g. {@code cpu} or
     * {@code opencl-jocl}. Unique among installed providers. Never null.
     *
     * @return the name
     */
    String name();

    /**
     * Preference among devices of the same {@link io.tessera.DeviceKind}: higher wins. Tessera's own backends use
     * 300 (cpu), 200 (opencl-jocl) and 150 (opencl-aparapi): GPUs always come first by kind, and among CPU devices
     * the native CPU backend wins over OpenCL CPU drivers such as PoCL, which a user picks by id.
     *
     * <p>The kind is compared first: {@link io.tessera.DeviceRegistry#devices()} and the default device rank every
     * GPU before every accelerator before every CPU, whatever the priorities, so priority only orders devices of one
     * kind. It also sets the order in which {@link io.tessera.DeviceRegistry#defaultDevice} loads providers (highest
     * first), which is what makes {@link #coveredBy()} work. Equal priorities fall back to the order in which the
     * providers were listed (the class path's), so do not reuse a built-in's value.
     *
     * <p>Choosing one for a third-party backend: above 300 to win over every built-in backend on devices of the same
     * kind (a faster CPU backend must exceed {@code cpu}'s 300); between 200 and 300 for a GPU backend that should
     * win over {@code opencl-jocl} on the same GPUs while leaving CPUs to {@code cpu} (a GPU wins over any CPU
     * anyway); below 150 for a backend that should be chosen only when named by id or when it alone offers the best
     * kind. Any {@code int} is accepted, negative values included.
     *
     * @return the priority; a constant
     */
    int priority();

    /**
     * Loads the backend: native libraries, drivers, device enumeration.
     *
     * @return the loaded backend with at least one device; never null
     * @throws BackendUnavailableException when the backend cannot run here, with the reason and the fix
     */
    Backend load() throws BackendUnavailableException;

    /**
     * The backends, by name, that offer every device this one offers, with a higher {@link #priority()}: the OpenCL
     * backends see the same platforms, so {@code opencl-aparapi} is covered by {@code opencl-jocl}. When one of them
     * loaded, choosing the default device does not load this provider: none of its devices could win, and loading
     * costs start-up time and, for some native libraries, console output. It is still loaded when a device id names it
     * and when every backend is listed. Cheap, no native code, never null; by default empty.
     *
     * @return the names; only names of providers with a higher priority have an effect
     */
    default Set<String> coveredBy() {
        return Set.of();
    }
}
