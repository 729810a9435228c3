package io.tessera.examples.mnist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code predict}'s preprocessing frames a picture as MNIST framed its digits: inverted, cleaned, cropped, scaled and centred. */
class ImageInputTest {
    @TempDir
    Path dir;

    /** A {@code w x h} image of {@code background} with a right triangle of {@code ink}: legs 60 across, 100 down, at (x, y). */
    private static GreyImage triangle(int w, int h, int background, int ink, int left, int top) {
        byte[] levels = new byte[w * h];
        java.util.Arrays.fill(levels, (byte) background);
        for (int y = 0; y < 100; y++) {
            int across = 1 + y * 59 / 99;
            for (int x = 0; x < across; x++) {
                levels[(top + y) * w + left + x] = (byte) ink;
            }
        }
        return new GreyImage(w, h, levels);
    }

    /** {x0, y0, x1, y1} (ends exclusive) of the values above 0 in a 28x28 field. */
    private static int[] box(float[] field) {
        int[] b = {28, 28, -1, -1};
        for (int i = 0; i < field.length; i++) {
            if (field[i] > 0) {
                b[0] = Math.min(b[0], i % 28);
                b[1] = Math.min(b[1], i / 28);
                b[2] = Math.max(b[2], i % 28 + 1);
                b[3] = Math.max(b[3], i / 28 + 1);
            }
        }
        return b;
    }

    /** The centre of mass {x, y} in pixel indices. */
    private static double[] centreOfMass(float[] field) {
        double mass = 0;
        double x = 0;
        double y = 0;
        for (int i = 0; i < field.length; i++) {
            mass += field[i];
            x += field[i] * (i % 28);
            y += field[i] * (i / 28);
        }
        return new double[] {x / mass, y / mass};
    }

    private static void assertFramedLikeMnist(float[] field) {
        int[] b = box(field);
        assertEquals(20, Math.max(b[2] - b[0], b[3] - b[1]), "the larger side of the bounding box, box " + java.util.Arrays.toString(b));
        assertEquals(12, Math.min(b[2] - b[0], b[3] - b[1]), "the aspect ratio is kept (60:100), box " + java.util.Arrays.toString(b));
        double[] c = centreOfMass(field);
        assertEquals(14, c[0], 0.5, "centre of mass x");
        assertEquals(14, c[1], 0.5, "centre of mass y");
        assertTrue(Math.abs((b[0] + b[2]) / 2.0 - 14) > 1, "the box is placed by the mass, not by its own centre: box "
                + java.util.Arrays.toString(b));
    }

    @Test
    void anOffCentreShapeInALargeImageEndsCentredByItsMassAndTwentyPixelsHigh() throws IOException {
        float[] field = Framing.MNIST.frame(triangle(400, 300, 0, 255, 290, 170), 28, 28, "triangle");
        assertFramedLikeMnist(field);
        float max = 0;
        for (float v : field) {
            assertTrue(v >= 0 && v <= 1, "value " + v);
            max = Math.max(max, v);
        }
        assertEquals(1f, max, 1e-6f, "the solid inside keeps full ink");
        int partial = 0;
        for (float v : field) {
            partial += v > 0.05f && v < 0.95f ? 1 : 0;
        }
        assertTrue(partial >= 10, "area averaging leaves grey edges along the slope, not nearest-neighbour steps: " + partial);
    }

    @Test
    void aLightBackgroundIsInvertedToTheSameInput() throws IOException {
        float[] dark = Framing.MNIST.frame(triangle(400, 300, 0, 255, 30, 40), 28, 28, "dark");
        float[] light = Framing.MNIST.frame(triangle(400, 300, 255, 0, 30, 40), 28, 28, "light");
        assertArrayEquals(dark, light, 1e-6f);
        assertEquals(0f, light[0], "the white paper becomes MNIST's black");
        assertFramedLikeMnist(light);
    }

    @Test
    void faintNoiseAndShadingAreThresholdedAway() throws IOException {
        GreyImage clean = triangle(400, 300, 210, 40, 200, 30);
        byte[] noisy = clean.levels().clone();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < noisy.length; i++) {
            int level = noisy[i] & 0xff;
            if (level > 100) {
                noisy[i] = (byte) (level - random.nextInt(26) - (i % 400) / 25);
            }
        }
        float[] field = Framing.MNIST.frame(new GreyImage(400, 300, noisy), 28, 28, "noisy");
        assertFramedLikeMnist(field);
        float[] reference = Framing.MNIST.frame(clean, 28, 28, "clean");
        for (int i = 0; i < field.length; i++) {
            assertEquals(reference[i], field[i], 0.05f, "pixel " + i);
        }
    }

    @Test
    void aBlankImageIsAnErrorNamingTheFile() throws IOException {
        BufferedImage white = new BufferedImage(400, 300, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = white.createGraphics();
        g.setColor(new Color(240, 240, 240));
        g.fillRect(0, 0, 400, 300);
        g.setColor(new Color(236, 236, 236));
        g.fillRect(100, 100, 50, 50);
        g.dispose();
        Path png = dir.resolve("paper.png");
        ImageIO.write(white, "png", png.toFile());
        IOException e = assertThrows(IOException.class, () -> ImageInput.read(png, 28, 28, Framing.MNIST));
        assertTrue(e.getMessage().contains(png.toString()) && e.getMessage().contains("blank")
                && e.getMessage().contains("400x300"), e.getMessage());
    }

    @Test
    void anImageFramedAlreadyIsKept() throws IOException {
        float[] once = Framing.MNIST.frame(triangle(400, 300, 0, 255, 10, 10), 28, 28, "triangle");
        byte[] levels = new byte[784];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = (byte) Math.round(255 * once[i]);
        }
        float[] twice = Framing.MNIST.frame(new GreyImage(28, 28, levels), 28, 28, "framed");
        for (int i = 0; i < once.length; i++) {
            assertEquals(once[i], twice[i], 0.02f, "pixel " + i);
        }
    }

    @Test
    void fashionItemsFillTheFieldAndAreCentredByTheirBox() throws IOException {
        float[] field = Framing.FASHION_MNIST.frame(triangle(400, 300, 255, 0, 300, 10), 28, 28, "dress");
        int[] b = box(field);
        assertArrayEquals(new int[] {5, 0, 22, 28}, b, java.util.Arrays.toString(b));
        assertEquals(Framing.FASHION_MNIST, Framing.forDataset("fashion-mnist"));
        assertEquals(Framing.MNIST, Framing.forDataset("mnist"));
        assertEquals(Framing.MNIST, Framing.forDataset(null));
    }

    @Test
    void transparencyIsWhiteAndGreySamplesAreTakenAsTheyAre() throws IOException {
        BufferedImage argb = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00000000);
        argb.setRGB(1, 0, 0xff000000);
        argb.setRGB(2, 0, 0x80ff0000);
        GreyImage a = GreyImage.of(argb);
        assertEquals(255, a.level(0, 0), "transparent black is white paper");
        assertEquals(0, a.level(1, 0));
        assertEquals(Math.round(0.502 * 0.299 * 255 + 0.498 * 255), a.level(2, 0), 1);
        BufferedImage grey = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 100);
        Path png = dir.resolve("grey.png");
        ImageIO.write(grey, "png", png.toFile());
        assertEquals(100, GreyImage.of(ImageIO.read(png.toFile())).level(0, 0), "no linear-grey gamma conversion");
    }
}
