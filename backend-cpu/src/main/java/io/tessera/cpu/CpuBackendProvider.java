package io.tessera.cpu;

import io.tessera.Backend;
import io.tessera.Device;
import io.tessera.spi.BackendProvider;

import java.util.List;

/**
 * Provider {@code cpu}: the CPU backend, always available. GEMM runs on the JDK Vector API ({@link VectorGemm}) when
 * the {@code jdk.incubator.vector} module is in the boot layer ({@code --add-modules jdk.incubator.vector}) and on
 * EJML otherwise; {@link io.tessera.Backend#details()} says which. System properties: {@code tessera.cpu.vector=false}
 * forces EJML; {@code tessera.cpu.threads=false} keeps GEMM and the CNN kernels on one thread, a number sets their threads (default: the
 * available processors).
 */
public final class CpuBackendProvider implements BackendProvider {
    private static final System.Logger LOG = System.getLogger(CpuBackendProvider.class.getName());
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_GEMM = "io.tessera.cpu.VectorGemm";
    private static final String VECTOR_ROWS = "io.tessera.cpu.VectorRowKernels";
    private static final String NO_VECTOR_MODULE = "run with --add-modules " + VECTOR_MODULE + " for the Vector API GEMM";

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
        CpuThreads threads = new CpuThreads(threads());
        String[] why = new String[1];
        Gemm gemm = vectorGemm(threads, why);
        RowKernels rows = gemm == null ? RowKernels.SCALAR : vectorRows();
        if (gemm == null) {
            gemm = new EjmlGemm(threads.parallel());
            if (NO_VECTOR_MODULE.equals(why[0])) {
                gemm = new EjmlGemmNotice(gemm, message -> LOG.log(System.Logger.Level.WARNING, message));
            }
        }
        CpuDevice device = new CpuDevice(cpuName(), gemm, rows, threads);
        String note = why[0] == null ? "" : " (" + why[0] + ")";
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
                return "GEMM: " + device.gemmName() + note + "; " + Runtime.getRuntime().availableProcessors() + " cores";
            }

            @Override
            public void close() {
                threads.close();
            }
        };
    }

    private static int threads() {
        int cores = Runtime.getRuntime().availableProcessors();
        String value = System.getProperty("tessera.cpu.threads", "").strip();
        if (value.isEmpty() || "true".equalsIgnoreCase(value)) {
            return cores;
        }
        if ("false".equalsIgnoreCase(value)) {
            return 1;
        }
        try {
            return Math.max(1, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            LOG.log(System.Logger.Level.WARNING, "tessera.cpu.threads=" + value + " is neither true, false nor a number; using " + cores);
            return cores;
        }
    }

    /** The Vector API GEMM, or null with the reason in {@code why[0]}; the class is loaded only when its module is present. */
    private static Gemm vectorGemm(CpuThreads threads, String[] why) {
        if ("false".equalsIgnoreCase(System.getProperty("tessera.cpu.vector"))) {
            why[0] = "tessera.cpu.vector=false";
            return null;
        }
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            why[0] = NO_VECTOR_MODULE;
            return null;
        }
        try {
            return Class.forName(VECTOR_GEMM).asSubclass(Gemm.class).getDeclaredConstructor(CpuThreads.class).newInstance(threads);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            why[0] = "the Vector API GEMM is unavailable: " + cause;
            LOG.log(System.Logger.Level.WARNING, "cpu backend: " + why[0] + "; using EJML", e);
            return null;
        }
    }

    /** The Vector API row loops, loaded like {@link #vectorGemm} and only after it loaded. */
    private static RowKernels vectorRows() {
        try {
            return Class.forName(VECTOR_ROWS).asSubclass(RowKernels.class).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cpu backend: the Vector API row loops are unavailable; using plain loops", e);
            return RowKernels.SCALAR;
        }
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
