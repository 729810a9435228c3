package io.tessera.opencl.aparapi;

import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.opencl.OpenCLLoader;
import io.tessera.spi.BackendUnavailableException;
import io.tessera.spi.SharedLibraryProbe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the OpenCL devices Aparapi can use, GPUs first, then accelerators, then CPUs (each in Aparapi's order).
 * This is where Aparapi's native code is first touched: its class initialisation unpacks its JNI library into
 * {@code java.io.tmpdir} and loads it, which loads the OpenCL ICD loader; the folders earlier, killed runs left there
 * are removed first ({@link NativeFolders}). Every failure becomes a
 * {@link BackendUnavailableException} saying what was tried and what to install.
 */
final class Discovery {
    private static final String INSTALL = "install the OpenCL ICD loader (Debian/Ubuntu: ocl-icd-libopencl1) and a driver: pocl-opencl-icd"
            + " for OpenCL on the CPU, or the GPU vendor's OpenCL runtime";

    private Discovery() {
    }

    /** Fails without touching any Aparapi class when the OpenCL ICD loader is certainly not installed. */
    static void requireLibrary() throws BackendUnavailableException {
        SharedLibraryProbe.require("OpenCL library", INSTALL, "libOpenCL.so.1", "libOpenCL.so");
    }

    static List<OpenCLDevice> devices(AparapiLog log) throws BackendUnavailableException {
        long mark = log.mark();
        boolean loaded;
        List<OpenCLDevice> found;
        // PoCL lets LLVM replace the JVM's SIGSEGV handler while it initialises; see SignalGuard.
        NativeFolders.removeStale();
        SignalGuard.install();
        try {
            loaded = OpenCLLoader.isOpenCLAvailable();
            found = loaded ? new ArrayList<>(OpenCLDevice.listDevices(null)) : List.of();
        } catch (LinkageError | RuntimeException e) {
            throw new BackendUnavailableException("Aparapi's native library could not be loaded (" + e + "); " + INSTALL + ". "
                    + where(), e);
        } finally {
            SignalGuard.restore();
        }
        if (!loaded) {
            String said = log.since(mark);
            throw new BackendUnavailableException("Aparapi could not load its JNI library or the OpenCL ICD loader libOpenCL.so.1"
                    + (said.isEmpty() ? "" : " (Aparapi: " + said + ")") + "; " + INSTALL + ". " + where());
        }
        if (found.isEmpty()) {
            throw new BackendUnavailableException("no OpenCL platform: the OpenCL ICD loader found no driver (" + icdFiles() + "); " + INSTALL
                    + ". " + where());
        }
        found.sort(Comparator.comparingInt(Discovery::rank));
        return found;
    }

    private static int rank(OpenCLDevice d) {
        com.aparapi.device.Device.TYPE type = d.getType();
        if (type == com.aparapi.device.Device.TYPE.GPU) {
            return 0;
        }
        return type == com.aparapi.device.Device.TYPE.ACC ? 1 : 2;
    }

    private static String where() {
        return "Platform: " + BackendUnavailableException.platform() + "; native library unpacked under java.io.tmpdir="
                + System.getProperty("java.io.tmpdir");
    }

    /** Where the ICD loader looks for drivers and what it finds there. */
    static String icdFiles() {
        String override = System.getenv("OCL_ICD_VENDORS");
        Path folder = Path.of(override != null && !override.isBlank() ? override : "/etc/OpenCL/vendors");
        String source = override != null && !override.isBlank() ? "OCL_ICD_VENDORS=" + override : folder.toString();
        if (!Files.isDirectory(folder)) {
            return source + " is not a folder";
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<String> icds = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".icd")).sorted().toList();
            return source + (icds.isEmpty() ? " holds no .icd file" : " lists " + String.join(", ", icds));
        } catch (IOException e) {
            return source + " cannot be read: " + e.getMessage();
        }
    }
}
