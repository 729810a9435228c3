package io.tessera.cpu;

import io.tessera.Backend;
import io.tessera.Device;
import io.tessera.spi.BackendProvider;

import java.util.List;

/**
 * Provider {@code cpu}: the CPU backend, always available. System property {@code tessera.cpu.threads=false} keeps
 * GEMM on one thread.
 */
public final class CpuBackendProvider implements BackendProvider {
    /** The backend's name and its only device's id. */
    public static final String NAME = "cpu";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 300;
    }

    @Override
    public Backend load() {
        boolean threaded = !"false".equalsIgnoreCase(System.getProperty("tessera.cpu.threads"));
        Gemm gemm = new EjmlGemm(threaded);
        CpuDevice device = new CpuDevice(cpuName(), gemm);
        return new Backend() {
            @Override
            public String name() {
                return NAME;
            }

            @Override
            public List<Device> devices() {
                return List.of(device);
            }

            @Override
            public String details() {
                return "GEMM: " + device.gemmName() + "; " + Runtime.getRuntime().availableProcessors() + " cores";
            }
        };
    }

    private static String cpuName() {
        String model = null;
        try {
            java.nio.file.Path cpuinfo = java.nio.file.Path.of("/proc/cpuinfo");
            if (java.nio.file.Files.isReadable(cpuinfo)) {
                try (var lines = java.nio.file.Files.lines(cpuinfo)) {
                    model = lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                            .findFirst().orElse(null);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            model = null;
        }
        String arch = System.getProperty("os.arch");
        return (model != null ? model : arch) + " (" + Runtime.getRuntime().availableProcessors() + " cores)";
    }
}
