package io.tessera.examples.launcher;

import io.tessera.examples.data.SyntheticMnist;
import io.tessera.spi.SharedLibraryProbe;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tessera mnist} in a child JVM, set up as the launcher script sets it up, prints no line from a backend that
 * was not chosen: on a machine without OpenCL (the library search pointed at an empty folder) and, where OpenCL is
 * installed, with {@code --device cpu} and with the default device. The one line naming the chosen device stays, also
 * when Aparapi, whose start-up changes the console's log level, is the chosen backend.
 */
class QuietStartUpTest {
    private static final List<String> BACKEND_WORDS = List.of("aparapi", "jocl", "opencl", "codegen native library");

    @TempDir
    static Path dir;
    private static Path data;

    @BeforeAll
    static void syntheticMnist() throws IOException {
        data = SyntheticMnist.write(dir.resolve("data").resolve("mnist"), 10_240, 100).getParent();
    }

    @Test
    void withoutOpenClNoBackendSpeaksAndTheDeviceLineStays() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("no-libraries"));
        String out = run(List.of("-D" + SharedLibraryProbe.SEARCH_PATH_PROPERTY + "=" + empty), "mnist", "--epochs", "1");
        assertDeviceLine(out, "cpu");
        assertQuiet(out);
        assertTrue(out.contains("libOpenCL.so.1 is not installed"), "the device line says why OpenCL was skipped:\n" + out);
    }

    @Test
    void withOpenClAndDeviceCpuNoBackendSpeaks() throws Exception {
        requireOpenCl();
        String out = run(List.of(), "mnist", "--epochs", "1", "--device", "cpu");
        assertDeviceLine(out, "cpu");
        assertQuiet(out);
    }

    @Test
    void withOpenClAndTheDefaultDeviceNoBackendSpeaks() throws Exception {
        requireOpenCl();
        String out = run(List.of(), "mnist", "--epochs", "1");
        assertDeviceLine(out, "");
        assertQuiet(out);
    }

    @Test
    void aparapiChosenKeepsTheDeviceLine() throws Exception {
        requireOpenCl();
        String out = run(List.of(), "mnist", "--epochs", "1", "--device", "opencl-aparapi:0", "--verbose");
        assertDeviceLine(out, "opencl-aparapi:0");
    }

    private static void assertDeviceLine(String out, String device) {
        long lines = out.lines().filter(l -> l.startsWith("INFO: Tessera device: " + device)).count();
        assertEquals(1, lines, "one line naming the chosen device " + device + ":\n" + out);
    }

    /** Only the device line may name a backend; the JVM's own incubator-module warning is not a backend's. */
    private static void assertQuiet(String out) {
        for (String line : out.lines().toList()) {
            String lower = line.toLowerCase(Locale.ROOT);
            boolean namesBackend = BACKEND_WORDS.stream().anyMatch(lower::contains);
            if (namesBackend && !line.startsWith("INFO: Tessera device: ")) {
                Assertions.fail("a line from a backend that was not chosen: '" + line + "' in\n" + out);
            }
            assertTrue(!line.startsWith("SEVERE") && !line.startsWith("Could not load"), "unexpected line '" + line + "' in\n" + out);
        }
    }

    private static void requireOpenCl() {
        SharedLibraryProbe.Result library = SharedLibraryProbe.find("libOpenCL.so.1", "libOpenCL.so");
        if (library.absent()) {
            String message = "no OpenCL library here (searched " + library.searched() + ")";
            System.out.println("[quiet start-up tests] " + message);
            if ("1".equals(System.getenv("TESSERA_REQUIRE_OPENCL"))) {
                Assertions.fail(message + " (TESSERA_REQUIRE_OPENCL=1, so OpenCL must be present)");
            }
            Assumptions.abort(message);
        }
    }

    private static String run(List<String> jvmFlags, String... args) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx1g", "--add-modules", "jdk.incubator.vector",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-Djava.util.logging.SimpleFormatter.format=%4$s: %5$s%6$s%n"));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.tessera.examples.cli.Main"));
        command.addAll(List.of(args));
        command.addAll(List.of("--data", data.toString()));
        Path output = Files.createTempFile(dir, "child", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            Assertions.fail("timed out after 180 s:\n" + Files.readString(output));
        }
        String out = Files.readString(output);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
