package io.tessera.examples.mnist;

import io.tessera.Devices;
import io.tessera.train.EpochResult;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tutorial's recipe on real MNIST, end to end through the {@code mnist} command, on every available device.
 * Bars from the issue: PyTorch 1.13 reached 96.4 % validation / 96.9 % test on the same recipe here.
 */
class TutorialRecipeTest {
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

    static List<String> devices() {
        return Devices.available().stream().map(d -> d.id()).toList();
    }

    private static TutorialRun.Result train(String... args) throws Exception {
        MnistCommand command = new MnistCommand();
        List<String> all = new ArrayList<>(List.of("--data", data.toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TutorialRun.Result result = command.train(command.options().parse(all.toArray(String[]::new)),
                new PrintStream(log, true, StandardCharsets.UTF_8), false);
        System.out.print(log.toString(StandardCharsets.UTF_8));
        return result;
    }

    @ParameterizedTest(name = "tutorial recipe on {0}")
    @MethodSource("devices")
    void tutorialRecipeReachesItsBars(String device) throws Exception {
        TutorialRun.Result r = train("--device", device);
        EpochResult last = r.history().get(r.history().size() - 1);
        assertEquals(10, r.history().size());
        assertTrue(last.valAccuracy() >= 0.960, "validation accuracy " + last.valAccuracy() + " < 0.960 on " + device);
        assertTrue(r.test().accuracy() >= 0.965, "test accuracy " + r.test().accuracy() + " < 0.965 on " + device);
    }

    /**
     * A 784-512-10 MLP on the tutorial's schedule stretched to 20 epochs reaches 98.2 % (784-256-10 on 10 epochs
     * stops at 97.9 %). Runs on the fastest device here: a GPU, else an OpenCL CPU device, else the cpu backend.
     */
    @Test
    void widerModelPasses98Percent() throws Exception {
        List<io.tessera.Device> all = Devices.available();
        String device = all.stream().filter(d -> d.kind() == io.tessera.DeviceKind.GPU).findFirst()
                .or(() -> all.stream().filter(d -> d.id().startsWith("opencl-")).findFirst())
                .orElse(all.get(0)).id();
        TutorialRun.Result r = train("--device", device, "--hidden", "512", "--epochs", "20");
        assertTrue(r.test().accuracy() >= 0.980, "test accuracy " + r.test().accuracy() + " < 0.980 for 784-512-10 on " + device);
    }

    @Test
    void everyOpenClBackendIsTestedWhereRequired() {
        Assumptions.assumeTrue("1".equals(System.getenv("TESSERA_REQUIRE_OPENCL")),
                "TESSERA_REQUIRE_OPENCL is not 1 (CI sets it): OpenCL devices are tested where present");
        assertTrue(devices().contains("opencl-jocl:0") && devices().contains("opencl-aparapi:0"),
                "CI must test opencl-jocl:0 and opencl-aparapi:0, but the devices are " + devices()
                + "; " + Devices.registry().inventory());
    }

    @Test
    void sameSeedGivesTheIdenticalHistory() throws Exception {
        TutorialRun.Result a = train("--device", "cpu", "--epochs", "2", "--seed", "7");
        TutorialRun.Result b = train("--device", "cpu", "--epochs", "2", "--seed", "7");
        assertEquals(a.initial(), withTime(b.initial(), a.initial().seconds()));
        for (int i = 0; i < a.history().size(); i++) {
            EpochResult x = a.history().get(i);
            EpochResult y = b.history().get(i);
            assertEquals(x.trainLoss(), y.trainLoss(), 0.0, "train loss of epoch " + i);
            assertEquals(x.valLoss(), y.valLoss(), 0.0, "validation loss of epoch " + i);
            assertEquals(x.valAccuracy(), y.valAccuracy(), 0.0, "validation accuracy of epoch " + i);
        }
        assertEquals(a.test().accuracy(), b.test().accuracy(), 0.0);
        TutorialRun.Result c = train("--device", "cpu", "--epochs", "2", "--seed", "8");
        assertTrue(c.history().get(0).trainLoss() != a.history().get(0).trainLoss(), "another seed gives another run");
    }

    private static io.tessera.train.EvalResult withTime(io.tessera.train.EvalResult r, double seconds) {
        return new io.tessera.train.EvalResult(r.loss(), r.accuracy(), r.samples(), seconds);
    }

    @Test
    void savedModelPredictsATestDigit() throws Exception {
        Path model = dir.resolve("mlp.tsr");
        Path json = dir.resolve("run.json");
        Path plot = dir.resolve("curves.png");
        train("--device", "cpu", "--epochs", "2", "--save", model.toString(), "--json", json.toString(), "--plot", plot.toString());
        assertTrue(Files.readString(json).contains("\"test_acc\""), "the JSON report has the test accuracy");
        assertTrue(ImageIO.read(plot.toFile()).getWidth() > 0, "the plot is a readable PNG");

        var test = io.tessera.data.IdxReader.readDataset(data.resolve("t10k-images-idx3-ubyte.gz"),
                data.resolve("t10k-labels-idx1-ubyte.gz"), 10);
        int correct = 0;
        for (int index = 0; index < 5; index++) {
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int p = 0; p < 784; p++) {
                img.getRaster().setSample(p % 28, p / 28, 0, test.rawFeature(index, p));
            }
            Path png = dir.resolve("digit" + index + ".png");
            ImageIO.write(img, "png", png.toFile());
            PredictCommand predict = new PredictCommand();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = predict.run(predict.options().parse("--model", model.toString(), "--image", png.toString(), "--device", "cpu"),
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            assertEquals(0, code);
            String text = out.toString(StandardCharsets.UTF_8);
            assertTrue(text.startsWith("Prediction: "), text);
            if (text.startsWith("Prediction: " + test.label(index) + " ")) {
                correct++;
            }
        }
        assertTrue(correct >= 4, correct + " of the first 5 test digits predicted right");
    }
}
