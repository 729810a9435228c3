package io.tessera.opencl.aparapi;

import com.aparapi.device.OpenCLDevice;
import io.tessera.Backend;
import io.tessera.Device;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;

/**
 * The loaded {@code opencl-aparapi} backend: one {@link AparapiDevice} per OpenCL device. Thread-safe.
 *
 * <p>System property {@value #COPY_BUFFERS}{@code =true} makes Aparapi give every device buffers of its own
 * ({@code CL_MEM_COPY_HOST_PTR}) even where the device shares host memory, as on a discrete GPU; the tests use it to
 * run the discrete-GPU transfer path on PoCL.
 */
final class AparapiBackend implements Backend {
    /** The system property that forces separate device buffers. */
    static final String COPY_BUFFERS = "tessera.opencl-aparapi.copyBuffers";

    private final List<Device> devices;
    private final String details;

    AparapiBackend(List<OpenCLDevice> found, LinkedHashSet<com.aparapi.device.Device> all, AparapiLog log) {
        boolean copyBuffers = Boolean.getBoolean(COPY_BUFFERS);
        List<Device> made = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            if (copyBuffers) {
                found.get(i).setSharedMemory(false);
            }
            try {
                made.add(new AparapiDevice(found.get(i), i, all, log));
            } catch (io.tessera.TesseraException e) {
                skipped.add(e.getMessage());
            }
        }
        if (made.isEmpty()) {
            throw new io.tessera.TesseraException("no OpenCL device can run Tessera's Aparapi kernels: " + String.join("; ", skipped));
        }
        this.devices = List.copyOf(made);
        OpenCLDevice first = found.get(0);
        this.details = "Aparapi " + aparapiVersion() + ", kernels in Java translated to OpenCL C at first use, explicit buffers"
                + (copyBuffers ? " (forced copies)" : "") + "; platform "
                + first.getOpenCLPlatform().getName().strip() + " " + first.getOpenCLPlatform().getVersion().strip() + "; " + SignalGuard.describe()
                + (skipped.isEmpty() ? "" : "; skipped: " + String.join("; ", skipped));
    }

    private static String aparapiVersion() {
        try (InputStream in = OpenCLDevice.class.getResourceAsStream("/META-INF/maven/com.aparapi/aparapi/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "(unknown version)");
            }
        } catch (IOException e) {
            return "(unknown version)";
        }
        return "(unknown version)";
    }

    @Override
    public String name() {
        return AparapiBackendProvider.NAME;
    }

    @Override
    public List<Device> devices() {
        return devices;
    }

    @Override
    public String details() {
        return details;
    }

    @Override
    public void close() {
        for (Device d : devices) {
            ((AparapiDevice) d).close();
        }
    }
}
