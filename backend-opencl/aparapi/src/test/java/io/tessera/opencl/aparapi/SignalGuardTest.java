package io.tessera.opencl.aparapi;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * After the driver has loaded and compiled, the JVM's own signal handlers are back in place ({@link SignalGuard}): a
 * child JVM, started without {@code libjsig} (which would hide the problem), runs {@link SignalGuardProbe}, whose last
 * guard signal must reach the Java handler rather than a one-shot handler LLVM left behind. On PoCL the probe also
 * shows that the guard did consume LLVM's handlers, i.e. that the hazard is real there.
 */
class SignalGuardTest {

    @Test
    void theJvmOwnsItsSignalHandlersAfterLoadingAndCompiling() throws IOException, InterruptedException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Djava.io.tmpdir=" + tmp.toAbsolutePath(), "-cp", System.getProperty("java.class.path"),
                SignalGuardProbe.class.getName());
        pb.environment().remove("LD_PRELOAD");
        pb.redirectErrorStream(true);
        Process child = pb.start();
        byte[] out = child.getInputStream().readAllBytes();
        assertTrue(child.waitFor(300, TimeUnit.SECONDS), "child JVM did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        System.out.println("[signal-guard child]\n" + text);
        assertEquals(0, child.exitValue(), "child JVM crashed:\n" + text);
        List<String> lines = text.lines().toList();
        String skip = lines.stream().filter(l -> l.startsWith("SKIP ")).findFirst().orElse(null);
        if (skip != null) {
            if (OpenCl.required()) {
                fail("opencl-aparapi is not available in the child JVM (TESSERA_REQUIRE_OPENCL=1): " + skip);
            }
            Assumptions.abort(skip);
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("ACTIVE true")), "the guard should be active on this platform:\n" + text);
        assertTrue(lines.contains("REACHED true"), "a foreign one-shot signal handler is still installed after loading and compiling:\n" + text);
        if (text.contains("Portable Computing Language")) {
            String consumed = lines.stream().filter(l -> l.startsWith("CONSUMED ")).findFirst().orElse("CONSUMED 0");
            assertTrue(Long.parseLong(consumed.split(" ")[1]) >= 1, "on PoCL, LLVM's handlers should have been found and removed:\n" + text);
        }
    }
}
