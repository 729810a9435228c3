package io.tessera.examples.mnist;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Turns an image file into a model's input: greyscale in [0, 1], light ink on a dark background, framed as the
 * model's dataset framed its own images ({@link Framing}): a digit anywhere in a photo of white paper is inverted,
 * cropped, scaled to 20 pixels and centred by its mass in 28x28 like MNIST's. Transparency counts as white. A blank
 * image is an error, not a prediction.
 */
final class ImageInput {
    private ImageInput() {
    }

    /** The most pixels an image may declare: 16384 x 16384, 1 GiB as the 4-byte pixels Java decodes into. */
    static final long MAX_PIXELS = 16384L * 16384L;

    static float[] read(Path file, int height, int width, Framing framing) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("image " + file + " not found");
        }
        GreyImage grey = GreyImage.of(decode(file));
        return framing.frame(grey, height, width, file.toString());
    }

    /** Reads the declared size first and refuses what would not fit, then decodes; a damaged file is an IOException. */
    private static BufferedImage decode(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IOException("image " + file + " is not a PNG, JPEG, GIF or BMP that Java can read");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                long pixels = w * h;
                long budget = Math.min(MAX_PIXELS, Runtime.getRuntime().maxMemory() / 8);
                if (w < 1 || h < 1 || pixels > budget) {
                    throw new IOException("image " + file + " declares " + w + "x" + h + " pixels (" + pixels + "); predict reads images of"
                            + " at most " + budget + " pixels (" + (w < 1 || h < 1 ? "and at least one" : "the limit") + ")");
                }
                return reader.read(0);
            } catch (IIOException | RuntimeException e) {
                throw new IOException("image " + file + " is damaged or not a " + reader.getFormatName() + " Java can decode: " + e.getMessage(), e);
            } finally {
                reader.dispose();
            }
        }
    }
}
