package io.tessera.opencl.aparapi;

import com.aparapi.device.OpenCLDevice;
import io.tessera.Backend;
import io.tessera.spi.BackendProvider;
import io.tessera.spi.BackendUnavailableException;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Provider {@code opencl-aparapi} (priority 150): every OpenCL device Aparapi finds, GPUs first, as
 * {@code opencl-aparapi:0}, {@code opencl-aparapi:1}, ... Kernels are Java classes translated to OpenCL by Aparapi;
 * a kernel that cannot run on its OpenCL device fails with a {@link io.tessera.TesseraException} rather than falling
 * back to Aparapi's Java thread pool. Without an OpenCL platform, {@link #load()} throws
 * {@link BackendUnavailableException} with the reason and what to install.
 *
 * <p>The constructor, {@link #name()} and {@link #priority()} touch no Aparapi class; native code is loaded only in
 * {@link #load()}.
 */
public final class AparapiBackendProvider implements BackendProvider {
    /** The backend's name, the prefix of its device ids. */
    public static final String NAME = "opencl-aparapi";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 150;
    }

    /** Aparapi and JOCL list the same OpenCL devices, and JOCL's rank higher. */
    @Override
    public Set<String> coveredBy() {
        return Set.of("opencl-jocl");
    }

    @Override
    public Backend load() throws BackendUnavailableException {
        Discovery.requireLibrary();
        AparapiLog log;
        List<OpenCLDevice> found;
        try {
            log = AparapiLog.install();
        } catch (LinkageError | RuntimeException e) {
            throw new BackendUnavailableException("Aparapi's classes could not be initialised (" + e + "); is com.aparapi:aparapi on the class path? "
                    + "Platform: " + BackendUnavailableException.platform(), e);
        }
        found = Discovery.devices(log);
        return new AparapiBackend(found, new LinkedHashSet<>(found), log);
    }
}
