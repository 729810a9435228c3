package io.tessera.examples.custom;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.data.BatchTransform;
import io.tessera.data.DataLoader;
import io.tessera.data.DeviceDataLoader;
import io.tessera.data.IdxReader;
import io.tessera.data.InMemoryDataset;
import io.tessera.examples.cli.UsageException;
import io.tessera.examples.report.RunReport;
import io.tessera.nn.Checkpoint;
import io.tessera.nn.Layer;
import io.tessera.train.Trainer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code mnist-custom} command on real MNIST: the accuracy bar on cpu, its outputs, and the OpenCL backends. */
class CustomRecipeTest {
    static Path data;

    @TempDir
    Path dir;

    @BeforeAll
    static void findData() {
        String root = System.getProperty("tessera.data", "");
        Path mnist = root.isBlank() ? null : Path.of(root, "mnist");
        Assumptions.assumeTrue(mnist != null && Files.isDirectory(mnist),
                "MNIST not found: set TESSERA_DATA to the folder holding mnist/ (CI sets it to ../shared/datasets)");
        data = mnist;
    }

    private static RunReport train(String device, String... args) throws Exception {
        CustomCommand command = new CustomCommand();
        List<String> all = new ArrayList<>(List.of("--data", data.toString(), "--device", device));
        all.addAll(List.of(args));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RunReport report = command.train(command.options().parse(all.toArray(String[]::new)),
                new PrintStream(log, true, StandardCharsets.UTF_8), false);
        System.out.print(log.toString(StandardCharsets.UTF_8));
        return report;
    }

    /**
     * The issue's bar: 97.8 % test accuracy after the 5 epochs of the recipe (Adam 1e-3, StepLR(1, 0.7), batch 128).
     * Seeds 1 and 2 gave 98.23 % and 98.29 % on cpu; a wrong gradient anywhere in the graph leaves the net points lower.
     */
    @Test
    void theRecipeReachesTheBarOnCpu() throws Exception {
        RunReport r = train("cpu");
        assertEquals(5, r.history().size());
        assertTrue(r.test().accuracy() >= 0.978, "test accuracy " + r.test().accuracy() + " < 0.978 after 5 epochs");
    }

    static Stream<String> openClDevices() {
        return Devices.available().stream().map(Device::id).filter(id -> id.startsWith("opencl-"));
    }

    /**
     * A short run (100 batches) on each OpenCL device gives the cpu's accuracy within 0.3 points; skipped with the
     * reason where the device is missing, failed instead under {@code TESSERA_REQUIRE_OPENCL=1} (CI).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"opencl-jocl:0", "opencl-aparapi:0"})
    void openClMatchesTheCpu(String id) throws Exception {
        if (openClDevices().noneMatch(id::equals)) {
            String why = id + " is not available: " + Devices.registry().inventory();
            if ("1".equals(System.getenv("TESSERA_REQUIRE_OPENCL"))) {
                org.junit.jupiter.api.Assertions.fail(why + " (TESSERA_REQUIRE_OPENCL=1, so OpenCL must be present)");
            }
            Assumptions.abort(why);
        }
        double cpu = train("cpu", "--epochs", "1", "--max-batches", "100").test().accuracy();
        double other = train(id, "--epochs", "1", "--max-batches", "100").test().accuracy();
        assertEquals(cpu, other, 0.003, "test accuracy on " + id + " vs cpu after 100 batches");
    }

    @Test
    void writesTheReportAndACheckpointThatLoadsBack() throws Exception {
        Path json = dir.resolve("run.json");
        Path model = dir.resolve("custom.tsr");
        RunReport r = train("cpu", "--epochs", "1", "--max-batches", "30", "--json", json.toString(), "--save", model.toString());
        String report = Files.readString(json).replaceAll("\\s", "");
        for (String key : List.of("\"framework\":\"tessera\"", "\"model\":\"residual-mlp\"", "\"history\"", "\"train_seconds\"",
                "\"test_acc\"", "\"device\":\"cpu\"", "\"lr_gamma\"",
                "\"layer_sizes\":[784,256,256,256,256,256,10]")) {
            assertTrue(report.contains(key), key + " missing from " + report);
        }
        assertTrue(r.test().accuracy() > 0.8, "30 batches reach 80 %, got " + r.test().accuracy());
        Device cpu = Devices.get("cpu");
        try (ResidualMlp restored = ResidualMlp.mnist(99, cpu); var loaded = Checkpoint.load(model, cpu).model()) {
            Checkpoint.restore(model, restored);
            assertEquals(r.test().accuracy(), testAccuracy(restored, cpu), "the restored module scores the trained one's test accuracy");
            assertInstanceOf(ResidualMlp.class, loaded.layers().get(0), "the factory rebuilds the module");
            assertEquals(r.test().accuracy(), testAccuracy(loaded, cpu), "the module loaded through its factory scores the same");
        }
    }

    /** Accuracy on the 10,000 test images, batched and normalised as the command evaluates. */
    private static double testAccuracy(Layer model, Device device) throws IOException {
        InMemoryDataset test = IdxReader.readDataset(data.resolve("t10k-images-idx3-ubyte.gz"), data.resolve("t10k-labels-idx1-ubyte.gz"), 10);
        DataLoader loader = DataLoader.builder(test, 1000).transform(BatchTransform.normalize(0.1307, 0.3081)).build();
        try (DeviceDataLoader batches = new DeviceDataLoader(loader, device); Trainer trainer = new Trainer(device)) {
            return trainer.evaluate(model, batches).accuracy();
        }
    }

    @Test
    void helpListsTheFlagsAndBadFlagsAreRefused() {
        CustomCommand command = new CustomCommand();
        String usage = command.options().usage();
        for (String flag : List.of("--device", "--epochs", "--lr", "--lr-gamma", "--batch-size", "--max-batches",
                "--seed", "--data", "--save", "--json", "--plot", "--checkpoint-dir", "--resume")) {
            assertTrue(usage.contains(flag), flag + " missing from\n" + usage);
        }
        assertThrows(UsageException.class, () -> command.train(command.options().parse("--lr-gamma", "0"), System.out, false));
        assertThrows(UsageException.class, () -> command.train(command.options().parse("--epochs", "-1"), System.out, false));
    }

    private static final java.util.regex.Pattern BACKWARD_CALL = java.util.regex.Pattern.compile("\\bbackward\\s*\\(");

    /** The issue: the example's source contains no backward method; its gradients come from autograd. */
    @Test
    void theSourceHasNoBackward() throws IOException {
        Path sources = Path.of("src/main/java");
        assertTrue(Files.isDirectory(sources), "run from the module folder: " + Path.of("").toAbsolutePath());
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                assertFalse(BACKWARD_CALL.matcher(Files.readString(f)).find(), f + " defines or calls a backward method");
            }
        }
    }
}
