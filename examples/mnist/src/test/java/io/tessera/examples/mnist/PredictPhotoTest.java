package io.tessera.examples.mnist;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.data.IdxReader;
import io.tessera.data.InMemoryDataset;
import io.tessera.nn.Checkpoint;
import io.tessera.nn.Sequential;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Image;
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
 * Real MNIST test digits drawn small (28 or 56 pixels), dark on white, somewhere in a 400x300 photo: {@code predict}
 * finds, frames and classifies them with a model trained here (the tutorial's MLP, one epoch), where resizing the
 * whole photo fails. Skipped, saying why, where MNIST is not found.
 */
class PredictPhotoTest {
    private static final Device CPU = Devices.get("cpu");

    @TempDir
    static Path dir;

    static InMemoryDataset test;
    static Path modelFile;
    static Sequential model;

    @BeforeAll
    static void trainOnMnist() throws Exception {
        String root = System.getProperty("tessera.data", "");
        Path mnist = root.isBlank() ? null : Path.of(root, "mnist");
        if (mnist == null || !Files.isDirectory(mnist)) {
            String why = "MNIST not found" + (mnist == null ? "" : " in " + mnist)
                    + ": set TESSERA_DATA to the folder holding mnist/ (CI sets it to ../shared/datasets)";
            System.out.println("PredictPhotoTest skipped: " + why);
            Assumptions.abort(why);
        }
        modelFile = dir.resolve("mlp.tsr");
        MnistCommand command = new MnistCommand();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        command.train(command.options().parse("--data", mnist.toString(), "--device", "cpu", "--epochs", "1", "--hidden", "64",
                "--save", modelFile.toString()), new PrintStream(log, true, StandardCharsets.UTF_8), false);
        System.out.print(log.toString(StandardCharsets.UTF_8));
        test = IdxReader.readDataset(mnist.resolve("t10k-images-idx3-ubyte.gz"), mnist.resolve("t10k-labels-idx1-ubyte.gz"), 10);
        model = Checkpoint.load(modelFile, CPU, Checkpoint.factories(), Checkpoint.ValueCheck.FINITE).model();
    }

    @AfterAll
    static void closeModel() {
        if (model != null) {
            model.close();
        }
    }

    /** Test digit {@code index} scaled by {@code scale} (28 or 56 pixels), dark on white, at ({@code left}, {@code top}) of a 400x300 white photo. */
    private static BufferedImage photo(int index, int scale, int left, int top) {
        BufferedImage img = new BufferedImage(400, 300, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 400; x++) {
                int dx = (x - left) / scale;
                int dy = (y - top) / scale;
                boolean inside = x >= left && y >= top && dx < 28 && dy < 28;
                img.getRaster().setSample(x, y, 0, 255 - (inside ? test.rawFeature(index, dy * 28 + dx) : 0));
            }
        }
        return img;
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            best = p[i] > p[best] ? i : best;
        }
        return best;
    }

    /** What predict did before framing: the whole photo area-averaged to 28x28, inverted where its mean is light. */
    private static float[] plainResize(BufferedImage photo) {
        BufferedImage small = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = small.createGraphics();
        g.drawImage(photo.getScaledInstance(28, 28, Image.SCALE_AREA_AVERAGING), 0, 0, null);
        g.dispose();
        float[] pixels = new float[784];
        double sum = 0;
        for (int i = 0; i < 784; i++) {
            pixels[i] = small.getRaster().getSample(i % 28, i / 28, 0) / 255f;
            sum += pixels[i];
        }
        for (int i = 0; sum > 392 && i < 784; i++) {
            pixels[i] = 1 - pixels[i];
        }
        return pixels;
    }

    @Test
    void smallSevensInALargeWhitePhotoArePredictedAsSeven() throws Exception {
        List<Integer> sevens = new ArrayList<>();
        for (int i = 0; sevens.size() < 5; i++) {
            if (test.label(i) == 7) {
                sevens.add(i);
            }
        }
        int plainRight = 0;
        for (int k = 0; k < sevens.size(); k++) {
            BufferedImage photo = photo(sevens.get(k), k % 2 == 0 ? 2 : 1, 20 + 61 * k, 200 - 37 * k);
            Path png = dir.resolve("seven-" + k + ".png");
            ImageIO.write(photo, "png", png.toFile());
            PredictCommand predict = new PredictCommand();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(0, predict.run(predict.options().parse("--model", modelFile.toString(), "--image", png.toString(), "--device", "cpu"),
                    new PrintStream(out, true, StandardCharsets.UTF_8)));
            String text = out.toString(StandardCharsets.UTF_8);
            System.out.print("test image " + sevens.get(k) + " at " + (20 + 61 * k) + "," + (200 - 37 * k) + ": " + text);
            assertTrue(text.startsWith("Prediction: 7 (confidence "), "test image " + sevens.get(k) + ":\n" + text);
            assertTrue(!text.contains("Warning"), "a clear seven draws no low-confidence warning:\n" + text);
            plainRight += argmax(PredictCommand.probabilities(model, CPU, io.tessera.Shape.of(1, 28, 28), plainResize(photo))) == 7 ? 1 : 0;
        }
        System.out.println(plainRight + " of 5 sevens predicted right from the whole photo resized to 28x28");
        assertTrue(plainRight <= 1, plainRight + " of 5 sevens predicted right from the whole photo resized: the photo does not test the framing");
    }

    @Test
    void mnistsOwnDigitsClassifyAsWithoutFraming() throws Exception {
        int n = 300;
        int agree = 0;
        int rightFramed = 0;
        int rightRaw = 0;
        for (int index = 0; index < n; index++) {
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            float[] raw = new float[784];
            for (int p = 0; p < 784; p++) {
                img.getRaster().setSample(p % 28, p / 28, 0, test.rawFeature(index, p));
                raw[p] = test.rawFeature(index, p) / 255f;
            }
            Path png = dir.resolve("digit-" + index + ".png");
            ImageIO.write(img, "png", png.toFile());
            io.tessera.Shape shape = io.tessera.Shape.of(1, 28, 28);
            int framed = argmax(PredictCommand.probabilities(model, CPU, shape, ImageInput.read(png, 28, 28, Framing.MNIST)));
            int plain = argmax(PredictCommand.probabilities(model, CPU, shape, raw));
            agree += framed == plain ? 1 : 0;
            rightFramed += framed == test.label(index) ? 1 : 0;
            rightRaw += plain == test.label(index) ? 1 : 0;
        }
        System.out.printf("first %d test digits: framed %d right, unframed %d right, %d predictions agree%n", n, rightFramed, rightRaw, agree);
        assertTrue(agree >= n * 97 / 100, agree + " of " + n + " predictions agree with and without framing");
        assertTrue(rightFramed >= rightRaw - n / 100, "framed " + rightFramed + " right, unframed " + rightRaw);
    }
}
