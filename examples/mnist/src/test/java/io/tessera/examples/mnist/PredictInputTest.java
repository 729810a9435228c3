package io.tessera.examples.mnist;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.examples.cli.UsageException;
import io.tessera.nn.Checkpoint;
import io.tessera.nn.CheckpointException;
import io.tessera.nn.Flatten;
import io.tessera.nn.Linear;
import io.tessera.nn.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tessera predict} refuses bad images and bad models with errors that name the file, before allocating; it
 * prints the class once, and a warning where the top probability is below {@code --min-confidence}.
 */
class PredictInputTest {
    private final Device cpu = Devices.get("cpu");

    @TempDir
    Path dir;

    private Path model(Map<String, String> meta, float poison) throws IOException {
        Path file = dir.resolve("model-" + meta.hashCode() + "-" + poison + ".tsr");
        try (Sequential m = Sequential.of(new Flatten(), new Linear(784, 10, cpu, new SplittableRandom(1)))) {
            if (!Float.isFinite(poison)) {
                float[] w = m.parameters().get(0).value().toFloatArray();
                w[3] = poison;
                m.parameters().get(0).load(w);
            }
            Checkpoint.save(m, meta, file);
        }
        return file;
    }

    /** A linear model that ignores its input: its output is {@code bias}, so its probabilities are softmax(bias). */
    private Path constantModel(Map<String, String> meta, float... bias) throws IOException {
        Path file = dir.resolve("constant-" + meta.hashCode() + "-" + Arrays.hashCode(bias) + ".tsr");
        try (Sequential m = Sequential.of(new Flatten(), new Linear(784, 10, cpu, new SplittableRandom(1)))) {
            m.parameters().get(0).load(new float[784 * 10]);
            m.parameters().get(1).load(bias);
            Checkpoint.save(m, meta, file);
        }
        return file;
    }

    private Path digit() throws IOException {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 8; y < 20; y++) {
            img.getRaster().setSample(14, y, 0, 255);
        }
        Path png = dir.resolve("digit.png");
        ImageIO.write(img, "png", png.toFile());
        return png;
    }

    private static String predict(String... args) throws Exception {
        PredictCommand predict = new PredictCommand();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, predict.run(predict.options().parse(args), new PrintStream(out, true, StandardCharsets.UTF_8)));
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A PNG whose header declares {@code width x height} greyscale pixels and which holds no pixel data. */
    private static byte[] pngHeader(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(4 + 13).put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        return ByteBuffer.allocate(8 + 4 + 17 + 4).put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}).putInt(13)
                .put(ihdr.array()).putInt((int) crc.getValue()).array();
    }

    @Test
    void anImageDeclaringGigapixelsIsRefusedBeforeDecoding() throws Exception {
        Path model = model(Map.of("input", "1x28x28"), 0);
        Path huge = dir.resolve("huge.png");
        Files.write(huge, pngHeader(100_000, 100_000));
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        IOException e = assertThrows(IOException.class, () -> predict("--model", model.toString(), "--image", huge.toString(), "--device", "cpu"));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(e.getMessage().contains(huge.toString()) && e.getMessage().contains("100000x100000")
                && e.getMessage().contains(Long.toString(ImageInput.MAX_PIXELS)), e.getMessage());
        assertTrue(allocated < 64L << 20, "allocated " + allocated + " bytes");
    }

    @Test
    void damagedAndForeignImagesAreRefusedNamingTheFile() throws Exception {
        Path model = model(Map.of("input", "1x28x28"), 0);
        byte[] good = Files.readAllBytes(digit());
        Path truncated = dir.resolve("truncated.png");
        Files.write(truncated, Arrays.copyOf(good, good.length / 2));
        Path empty = dir.resolve("header-only.png");
        Files.write(empty, pngHeader(28, 28));
        Path text = dir.resolve("notes.png");
        Files.writeString(text, "not an image");
        for (Path bad : new Path[] {truncated, empty, text}) {
            IOException e = assertThrows(IOException.class, () -> predict("--model", model.toString(), "--image", bad.toString(), "--device", "cpu"));
            assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        }
    }

    @Test
    void aModelWithNonFiniteWeightsIsRefusedUnlessAllowed() throws Exception {
        Path png = digit();
        Path nan = model(Map.of("input", "1x28x28"), Float.NaN);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> predict("--model", nan.toString(), "--image", png.toString(), "--device", "cpu"));
        assertTrue(e.getMessage().contains(nan.toString()) && e.getMessage().contains("Linear") && e.getMessage().contains("weight")
                && e.getMessage().contains("--allow-non-finite"), e.getMessage());
        String out = predict("--model", nan.toString(), "--image", png.toString(), "--device", "cpu", "--allow-non-finite");
        assertTrue(out.startsWith("Prediction: "), out);
    }

    @Test
    void aModelWhoseInputShapeIsNotAnImageShapeIsNamed() throws Exception {
        Path png = digit();
        for (String input : new String[] {"1x28xabc", "784", "1x99999x99999", ""}) {
            Path model = model(Map.of("input", input.isEmpty() ? "x" : input), 0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> predict("--model", model.toString(), "--image", png.toString(), "--device", "cpu"));
            assertTrue(e.getMessage().contains(model.toString()) && e.getMessage().contains("input="), e.getMessage());
        }
    }

    private static final Map<String, String> DIGITS = Map.of("input", "1x28x28", "dataset", "mnist", "classes", "0,1,2,3,4,5,6,7,8,9");

    @Test
    void aNearUniformOutputIsWarnedAboutAndAClearOneIsNot() throws Exception {
        String png = digit().toString();
        Path unsure = constantModel(DIGITS, new float[10]);
        String out = predict("--model", unsure.toString(), "--image", png, "--device", "cpu");
        assertTrue(out.startsWith("Prediction: 0 (confidence 0.100)\n"), out);
        assertTrue(out.contains("Warning: low confidence 0.100 (below --min-confidence 0.5)") && out.contains(png), out);
        assertTrue(!predict("--model", unsure.toString(), "--image", png, "--device", "cpu", "--min-confidence", "0.05").contains("Warning"),
                "0.1 is above --min-confidence 0.05");

        float[] bias = new float[10];
        bias[7] = 8;
        Path sure = constantModel(DIGITS, bias);
        out = predict("--model", sure.toString(), "--image", png, "--device", "cpu");
        assertTrue(out.startsWith("Prediction: 7 (confidence 0.997)\n"), out);
        assertTrue(!out.contains("Warning"), out);
        assertTrue(predict("--model", sure.toString(), "--image", png, "--device", "cpu", "--min-confidence", "1").contains("Warning"),
                "0.997 is below --min-confidence 1");
    }

    @Test
    void theClassIsPrintedOnceAndANameOnlyWhereItSaysMore() throws Exception {
        String png = digit().toString();
        float[] bias = new float[10];
        bias[9] = 3;
        String out = predict("--model", constantModel(DIGITS, bias).toString(), "--image", png, "--device", "cpu");
        assertTrue(out.startsWith("Prediction: 9 (confidence 0.691)\n"), out);
        assertTrue(out.contains("\n  9              0.691\n") && out.contains("\n  0              0.034\n"), out);
        Map<String, String> fashion = Map.of("input", "1x28x28", "dataset", "fashion-mnist",
                "classes", "T-shirt/top,Trouser,Pullover,Dress,Coat,Sandal,Shirt,Sneaker,Bag,Ankle boot");
        out = predict("--model", constantModel(fashion, bias).toString(), "--image", png, "--device", "cpu");
        assertTrue(out.startsWith("Prediction: 9 Ankle boot (confidence 0.691)\n") && out.contains("\n  0 T-shirt/top  0.034\n"), out);
    }

    @Test
    void classNamesFromTheModelFileArePrintedEscaped() throws Exception {
        float[] bias = new float[10];
        bias[9] = 3;
        Map<String, String> hostile = Map.of("input", "1x28x28", "dataset", "mnist",
                "classes", "a,b,c,d,e,f,g,h,i,\u001b[2J\u001b[31mnine");
        String out = predict("--model", constantModel(hostile, bias).toString(), "--image", digit().toString(), "--device", "cpu");
        assertTrue(!out.contains("\u001b"), "no raw escape character reaches the console: " + out);
        assertTrue(out.startsWith("Prediction: 9 \\x1b[2J\\x1b[31mnine (confidence 0.691)\n"), out);
    }

    @Test
    void minConfidenceIsAProbabilityAndHelpListsIt() throws Exception {
        String png = digit().toString();
        String model = constantModel(DIGITS, new float[10]).toString();
        for (String bad : new String[] {"-0.1", "1.5", "half", "NaN"}) {
            UsageException e = assertThrows(UsageException.class,
                    () -> predict("--model", model, "--image", png, "--device", "cpu", "--min-confidence", bad));
            assertTrue(e.getMessage().contains("--min-confidence"), e.getMessage());
        }
        String usage = new PredictCommand().options().usage();
        assertTrue(usage.contains("--min-confidence P") && usage.contains("(default: 0.5)"), usage);
    }

    @Test
    void aBlankImageIsRefusedNamingTheFile() throws Exception {
        Path model = model(Map.of("input", "1x28x28"), 0);
        BufferedImage white = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = white.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, 640, 480);
        g.dispose();
        Path blank = dir.resolve("white.png");
        ImageIO.write(white, "png", blank.toFile());
        IOException e = assertThrows(IOException.class, () -> predict("--model", model.toString(), "--image", blank.toString(), "--device", "cpu"));
        assertTrue(e.getMessage().contains(blank.toString()) && e.getMessage().contains("blank"), e.getMessage());
    }
}
