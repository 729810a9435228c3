package io.tessera.opencl.jocl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A machine whose OpenCL loader finds no driver: the provider reports UNAVAILABLE with the fix, and nothing crashes. */
class UnavailableTest {
    @Test
    void noPlatformIsUnavailableNotACrash(@TempDir Path tmp) throws IOException, InterruptedException {
        Path vendors = Files.createDirectory(tmp.resolve("empty-vendors"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + new File(System.getProperty("java.io.tmpdir")).getAbsolutePath(),
                UnavailableProbe.class.getName()));
        pb.environment().put("OCL_ICD_VENDORS", vendors.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe did not finish");
        System.out.println("[opencl-jocl tests] probe with OCL_ICD_VENDORS=" + vendors + ":\n" + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("STATE UNAVAILABLE"), out);
        assertTrue(out.contains("pocl-opencl-icd"), out);
        assertTrue(out.contains("no OpenCL") || out.contains("JOCL's native library"), out);
        assertTrue(out.contains("CAUSE io.tessera.spi.BackendUnavailableException") || out.contains("CAUSE io.tessera.opencl"), out);
    }
}
