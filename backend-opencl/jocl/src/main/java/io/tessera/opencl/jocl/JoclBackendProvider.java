package io.tessera.opencl.jocl;

import io.tessera.Backend;
import io.tessera.spi.BackendProvider;
import io.tessera.spi.BackendUnavailableException;
import io.tessera.spi.SharedLibraryProbe;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code opencl-jocl} backend provider (priority 200): OpenCL through JOCL, kernels in OpenCL C.
 *
 * <p>Construction, {@link #name()} and {@link #priority()} touch no native code. {@link #load()} loads JOCL's
 * native library and the system's OpenCL ICD loader, lists every platform and device and opens one context and queue
 * per device; it never crashes the caller: a missing {@code libOpenCL.so}, a loader without platforms or platforms
 * without devices become a {@link BackendUnavailableException} that says what to install, with the cause chained.
 * When {@link SharedLibraryProbe} finds no {@code libOpenCL.so.1}, no native code is loaded at all, so JOCL's loader
 * prints nothing.
 */
public final class JoclBackendProvider implements BackendProvider {
    /** The provider name, prefix of every device id. */
    public static final String NAME = "opencl-jocl";

    /**
     * System property choosing the SGEMM kernel of every device: {@code auto} (the default: by device type),
     * {@code cpu} or {@code gpu}. For diagnosing a driver, and for testing one variant on the other kind of device.
     */
    public static final String GEMM_PROPERTY = "tessera.opencl.jocl.gemm";

    static final String FIX = "Install pocl-opencl-icd (OpenCL on the CPU) or your GPU vendor's OpenCL driver, "
            + "and the ICD loader ocl-icd-libopencl1";

    /** JOCL's native library can be initialised once per process; a failure makes later uses throw a bare NoClassDefFoundError. */
    private static final AtomicReference<LinkageError> FIRST_LINK_FAILURE = new AtomicReference<>();

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public JoclBackendProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 200;
    }

    @Override
    public Backend load() throws BackendUnavailableException {
        SharedLibraryProbe.require("OpenCL library", FIX, "libOpenCL.so.1", "libOpenCL.so");
        ClDiscovery.Result scan;
        try {
            scan = ClDiscovery.scan();
        } catch (LinkageError e) {
            FIRST_LINK_FAILURE.compareAndSet(null, e);
            throw linkFailure(e, FIRST_LINK_FAILURE.get());
        } catch (ClException e) {
            throw noPlatform(e);
        }
        if (scan.devices().isEmpty()) {
            throw new BackendUnavailableException("no OpenCL device: the OpenCL platforms found have no usable device"
                    + notes(scan.notes()) + ". " + FIX + ". Platform: " + BackendUnavailableException.platform());
        }
        List<String> notes = new ArrayList<>(scan.notes());
        List<JoclDevice> devices = new ArrayList<>();
        try {
            for (ClDeviceInfo info : scan.devices()) {
                String id = NAME + ":" + devices.size();
                try {
                    ClContext ctx = ClContext.open(info, id);
                    devices.add(new JoclDevice(id, ctx, gemmFor(info)));
                } catch (ClException e) {
                    notes.add("device '" + info.name() + "' skipped: " + e.getMessage());
                }
            }
        } catch (LinkageError e) {
            devices.forEach(d -> d.context().close());
            throw linkFailure(e, e);
        }
        if (devices.isEmpty()) {
            throw new BackendUnavailableException("no OpenCL device could be opened" + notes(notes) + ". " + FIX
                    + ". Platform: " + BackendUnavailableException.platform());
        }
        return new JoclBackend(devices, details(devices, notes));
    }

    private static GemmVariant gemmFor(ClDeviceInfo info) {
        String forced = System.getProperty(GEMM_PROPERTY, "auto").strip().toLowerCase(java.util.Locale.ROOT);
        if (forced.equals("cpu")) {
            return GemmVariant.CPU;
        }
        if (forced.equals("gpu")) {
            return GemmVariant.GPU;
        }
        GemmVariant v = GemmVariant.forKind(info.kind());
        boolean fitsTiles = info.maxWorkGroup() >= 256 && info.localMemBytes() >= 8 * 1024;
        return v == GemmVariant.GPU && !fitsTiles ? GemmVariant.CPU : v;
    }

    static BackendUnavailableException linkFailure(LinkageError e, LinkageError first) {
        String what = first.getClass().getSimpleName() + (first.getMessage() == null ? "" : ": " + firstLine(first.getMessage()));
        String message;
        if (first instanceof NoClassDefFoundError && first.getMessage() != null && first.getMessage().startsWith("org/jocl")) {
            message = "JOCL (org.jocl:jocl) is not on the class path (" + what + "); add it next to tessera-backend-opencl-jocl";
        } else if (first.getMessage() != null && first.getMessage().contains("Could not initialize native OpenCL library")) {
            message = "no OpenCL library: libOpenCL.so.1 could not be loaded (" + what + "). " + FIX;
        } else {
            message = "JOCL's native library could not be loaded (" + what + "); JOCL unpacks it into java.io.tmpdir ("
                    + System.getProperty("java.io.tmpdir") + "), which must be an absolute, writable folder on a file system "
                    + "that allows executables. Otherwise: " + FIX;
        }
        BackendUnavailableException ex = new BackendUnavailableException(message + ". Platform: "
                + BackendUnavailableException.platform(), first);
        if (e != first) {
            ex.addSuppressed(e);
        }
        return ex;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static BackendUnavailableException noPlatform(ClException e) {
        String reason = e.code() == -1001
                ? "no OpenCL platform: the OpenCL ICD loader found no vendor driver (CL_PLATFORM_NOT_FOUND_KHR; it reads "
                        + "/etc/OpenCL/vendors, or the folder named by OCL_ICD_VENDORS)"
                : "listing OpenCL platforms failed: " + e.getMessage();
        return new BackendUnavailableException(reason + ". " + FIX + ". Platform: " + BackendUnavailableException.platform(), e);
    }

    private static String notes(List<String> notes) {
        return notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")";
    }

    private static String details(List<JoclDevice> devices, List<String> notes) {
        StringBuilder b = new StringBuilder("JOCL ").append(joclVersion());
        for (JoclDevice d : devices) {
            ClDeviceInfo info = d.context().info();
            b.append("; ").append(d.id()).append(": ").append(info.platformName()).append(", ").append(info.version())
                    .append(", gemm ").append(d.gemmVariant().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (!notes.isEmpty()) {
            b.append("; skipped: ").append(String.join("; ", notes));
        }
        return b.toString();
    }

    private static String joclVersion() {
        try (InputStream in = JoclBackendProvider.class.getResourceAsStream("/META-INF/maven/org.jocl/jocl/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "?");
            }
        } catch (IOException e) {
            return "?";
        }
        return "?";
    }
}
