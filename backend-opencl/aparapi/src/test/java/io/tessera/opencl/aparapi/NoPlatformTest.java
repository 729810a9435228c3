package io.tessera.opencl.aparapi;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without an OpenCL platform the provider is unavailable with a reason, and nothing crashes: a child JVM runs
 * {@link NoPlatformProbe} with {@code OCL_ICD_VENDORS} pointing at an empty folder, so the ICD loader finds no driver.
 */
class NoPlatformTest {

    @Test
    void unavailableWithAReasonAndTheCpuStillServes() throws IOException, InterruptedException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path empty = Files.createTempDirectory(tmp, "no-icd");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Djava.io.tmpdir=" + tmp.toAbsolutePath(), "-cp", System.getProperty("java.class.path"),
                NoPlatformProbe.class.getName());
        pb.environment().put("OCL_ICD_VENDORS", empty.toAbsolutePath().toString());
        pb.environment().remove("TESSERA_DEVICE");
        pb.redirectErrorStream(true);
        Process child = pb.start();
        byte[] out = child.getInputStream().readAllBytes();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        System.out.println("[no-platform child]\n" + text);
        assertEquals(0, child.exitValue(), "child JVM crashed:\n" + text);
        List<String> lines = text.lines().toList();
        String unavailable = lines.stream().filter(l -> l.startsWith("UNAVAILABLE ")).findFirst().orElse("");
        assertTrue(unavailable.contains("no OpenCL platform"), "expected an unavailable provider naming the missing platform:\n" + text);
        assertTrue(unavailable.contains("OCL_ICD_VENDORS=" + empty.toAbsolutePath()), "the reason should say where the ICD loader looked:\n" + text);
        assertTrue(unavailable.contains("pocl-opencl-icd"), "the reason should say what to install:\n" + text);
        assertTrue(lines.contains("STATUS opencl-aparapi UNAVAILABLE"), text);
        assertTrue(lines.contains("DEFAULT cpu"), text);
    }
}
