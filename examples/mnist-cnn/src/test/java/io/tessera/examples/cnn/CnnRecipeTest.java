package io.tessera.examples.cnn;

import io.tessera.examples.cli.UsageException;
import io.tessera.examples.mnist.PredictCommand;
import io.tessera.examples.report.RunReport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code mnist-cnn} command on real MNIST, on the {@code cpu} backend. The full bars (98 % after one epoch, 99.3 %
 * within five) take minutes per epoch on CI's two cores; they are measured with the command in docs/benchmarks.md.
 * CI checks a third of an epoch instead: see {@link #BAR}.
 */
class CnnRecipeTest {
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

    private static RunReport train(ByteArrayOutputStream log, String... args) throws Exception {
        CnnCommand command = new CnnCommand();
        List<String> all = new ArrayList<>(List.of("--data", data.toString(), "--device", "cpu"));
        all.addAll(List.of(args));
        RunReport report = command.train(command.options().parse(all.toArray(String[]::new)),
                new PrintStream(log, true, StandardCharsets.UTF_8), false);
        System.out.print(log.toString(StandardCharsets.UTF_8));
        return report;
    }

    /**
     * PyTorch's examples net with Adam (lr 1e-3, batch 64) after its first 300 batches (19,200 images, a third of an
     * epoch: about a minute on CI's two cores, where a full epoch takes several). PyTorch 1.13 on the same recipe and
     * data ({@code cnn_example.py --optimizer adam --max-batches 300}, seeds 1, 2, 3) reached 97.73 %, 97.79 % and
     * 97.18 % test accuracy; Tessera 97.7-97.8 % (seed 1). The bar is PyTorch's worst seed less its seed-to-seed
     * spread (0.6 points), so a correct implementation passes whatever the seed, while a wrong gradient, a missing
     * dropout rescale or a broken Adam leaves the net several points lower at this stage.
     */
    static final double BAR = 0.965;

    @Test
    void examplesNetAfter300Batches() throws Exception {
        RunReport r = train(new ByteArrayOutputStream(), "--model", "examples", "--epochs", "1", "--max-batches", "300");
        assertEquals(1, r.history().size());
        assertTrue(r.test().accuracy() >= BAR, "test accuracy " + r.test().accuracy() + " < " + BAR + " after 300 batches");
    }

    @Test
    void batchNormNetSavesACheckpointThatPredictReads() throws Exception {
        Path model = dir.resolve("cnn.tsr");
        Path json = dir.resolve("run.json");
        Path plot = dir.resolve("run.png");
        RunReport r = train(new ByteArrayOutputStream(), "--model", "bn", "--epochs", "2", "--max-batches", "40",
                "--save", model.toString(), "--json", json.toString(), "--plot", plot.toString());
        assertEquals(2, r.history().size());
        assertEquals(2e-3, r.history().get(0).learningRate(), 1e-12);
        assertEquals(1e-3, r.history().get(1).learningRate(), 1e-12, "the rate halves after the first epoch");
        assertTrue(r.test().accuracy() > 0.8, "80 batches of the bn recipe reach 80 %, got " + r.test().accuracy());
        String report = Files.readString(json);
        assertTrue(report.contains("\"model\": \"cnn-bn\"") || report.contains("\"model\":\"cnn-bn\""), report);
        assertTrue(ImageIO.read(plot.toFile()).getWidth() > 0);

        BufferedImage one = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 4; y < 24; y++) {
            one.getRaster().setSample(14, y, 0, 255);
            one.getRaster().setSample(15, y, 0, 255);
        }
        Path image = dir.resolve("one.png");
        ImageIO.write(one, "png", image.toFile());
        PredictCommand predict = new PredictCommand();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        predict.run(predict.options().parse("--model", model.toString(), "--image", image.toString(), "--device", "cpu"),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Prediction: 1 "), "a vertical stroke is a 1:\n" + text);
    }

    @Test
    void helpListsTheModelsAndBadFlagsAreRefused() {
        CnnCommand command = new CnnCommand();
        String usage = command.options().usage();
        for (String id : CnnRecipe.ids()) {
            assertTrue(usage.contains(id), usage);
        }
        UsageException e = assertThrows(UsageException.class,
                () -> command.train(command.options().parse("--model", "resnet"), System.out, false));
        assertTrue(e.getMessage().contains("examples"), e.getMessage());
        assertThrows(UsageException.class, () -> command.train(command.options().parse("--epochs", "-1"), System.out, false));
    }
}
