package io.tessera.examples.extreme;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.examples.cli.Options;
import io.tessera.examples.cli.UsageException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtremeCommandTest {
    private static final String[] SMALL = {"--classes", "1500", "--features", "3000", "--nonzeros", "30",
        "--train-samples", "6000", "--test-samples", "500", "--epochs", "2", "--hidden", "32", "--batch-size", "64",
        "--lr", "0.01", "--threads", "2", "--max-active", "128", "--min-active", "64", "--rehash-start", "10"};

    @TempDir
    Path dir;

    private final ExtremeCommand command = new ExtremeCommand();

    private String run(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            assertEquals(0, command.run(command.options().parse(args), out));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String[] with(String... extra) {
        List<String> all = new ArrayList<>(List.of(SMALL));
        all.addAll(List.of(extra));
        return all.toArray(String[]::new);
    }

    @Test
    void helpNamesEveryFlagTheIssueAsksFor() {
        String usage = command.options().usage();
        for (String flag : List.of("--classes", "--features", "--train-samples", "--layer", "--epochs", "--threads",
                "--data", "--json", "--k", "--l", "--bucket-size", "--rehash-growth", "--updates")) {
            assertTrue(usage.contains(flag), "usage lists " + flag + ":\n" + usage);
        }
    }

    @Test
    void slideAndDenseTrainAndReportPerEpoch() throws Exception {
        Path slideJson = dir.resolve("slide.json");
        String out = run(with("--json", slideJson.toString(), "--sampled-eval"));
        assertTrue(out.contains("Epoch [1]"), out);
        String json = Files.readString(slideJson);
        for (String key : List.of("\"train_s\"", "\"test_p_at_1\"", "\"test_p_at_1_sampled\"", "\"mean_active\"",
                "\"peak_heap_bytes\"", "\"live_heap_bytes\"", "\"layer\": \"slide\"", "\"evaluation\"")) {
            assertTrue(json.replace("\":\"", "\": \"").contains(key), key + " in " + json);
        }
        Path denseJson = dir.resolve("dense.json");
        run(with("--layer", "dense", "--json", denseJson.toString()));
        double slide = lastPrecision(Files.readString(slideJson));
        double dense = lastPrecision(Files.readString(denseJson));
        assertTrue(dense > 0.2, "dense precision@1 " + dense);
        assertTrue(slide > dense - 0.1, "slide " + slide + " against dense " + dense);
    }

    private static double lastPrecision(String json) {
        int at = json.lastIndexOf("\"test_p_at_1\"");
        String rest = json.substring(json.indexOf(':', at) + 1).strip();
        int end = 0;
        while (end < rest.length() && "0123456789.eE-".indexOf(rest.charAt(end)) >= 0) {
            end++;
        }
        return Double.parseDouble(rest.substring(0, end));
    }

    @Test
    void writtenDataTrainsThroughTheRepositoryFormat() throws Exception {
        Path data = dir.resolve("sets");
        String wrote = run(with("--write-data", data.toString()));
        assertTrue(wrote.contains("train.txt"), wrote);
        String out = run("--data", data.resolve("train.txt").toString(), "--test-data", data.resolve("test.txt").toString(),
                "--epochs", "1", "--hidden", "16", "--threads", "1", "--max-active", "64", "--min-active", "32");
        assertTrue(out.contains("train.txt + "), out);
        assertTrue(out.contains("6000 samples, 3000 features, 1500 classes"), out);
    }

    @Test
    void badFlagsFailBeforeAnythingIsBuilt() {
        assertTrue(refused("--layer", "sparse").contains("one of slide, dense"));
        assertTrue(refused("--classes", "1").contains("at least 2"));
        assertTrue(refused("--nonzeros", "200", "--features", "100").contains("more than --features"));
        assertTrue(refused("--threads", "0").contains("from 1 to 1,024, got 0"));
        assertTrue(refused("--test-data", dir.resolve("t.txt").toString()).contains("needs --data"));
        assertTrue(refused("--data", dir.resolve("missing.txt").toString()).contains("does not exist"));
        assertTrue(refused("--json", dir.resolve("no/such/folder/r.json").toString()).contains("does not exist"));
        assertTrue(refused("--l", "1000", "--bucket-bits", "20").contains("2^30 slots"));
        assertTrue(refused("--classes", "99999999999").contains("--classes"));
    }

    private String refused(String... args) {
        UsageException e = assertThrows(UsageException.class, () -> ExtremeCommand.Settings.parse(command.options().parse(args)));
        return e.getMessage();
    }

    @Test
    void aDamagedDataFileNamesFileAndLine() throws Exception {
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "2 10 5\n1 2:1\n7 3:1\n");
        Options.Parsed flags = command.options().parse("--data", bad.toString(), "--test-samples", "1");
        Exception e = assertThrows(Exception.class, () -> command.run(flags, new PrintStream(new ByteArrayOutputStream())));
        assertTrue(e.getMessage().contains(bad + ": line 3: label 7 is outside [0, 5)"), e.getMessage());
    }

    @Test
    void openClDevicesRefuseSlideClearlyAndRunTheDenseLayer() throws Exception {
        Device gpu;
        try {
            gpu = Devices.get("opencl-jocl:0");
        } catch (RuntimeException e) {
            String reason = "OpenCL backend opencl-jocl is not available: " + e.getMessage();
            if ("1".equals(System.getenv("TESSERA_REQUIRE_OPENCL"))) {
                Assertions.fail(reason + " (TESSERA_REQUIRE_OPENCL=1, so this fails instead of skipping)");
            }
            Assumptions.abort(reason);
            return;
        }
        UsageException e = assertThrows(UsageException.class, () -> run(with("--device", gpu.id())));
        assertTrue(e.getMessage().contains("CPU only") && e.getMessage().contains(gpu.id()), e.getMessage());
        String out = run("--layer", "dense", "--device", gpu.id(), "--classes", "300", "--features", "1000", "--nonzeros",
                "20", "--train-samples", "2000", "--test-samples", "200", "--epochs", "1", "--hidden", "16", "--threads", "1");
        assertTrue(out.contains("on " + gpu.id()), out);
        assertFalse(out.contains("NaN"), out);
    }
}
