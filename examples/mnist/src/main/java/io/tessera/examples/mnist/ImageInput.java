package io.tessera.examples.mnist;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Turns an image file into MNIST's input: 28x28 greyscale in [0, 1], a light digit on a dark background. Other
 * sizes are scaled; transparency counts as white; a dark-on-light image (mean above one half) is inverted, as a
 * drawing on white paper would be. A blank image is an error, not a prediction.
 */
final class ImageInput {
    private ImageInput() {
    }

    /** The most pixels an image may declare: 16384 x 16384, 1 GiB as the 4-byte pixels Java decodes into. */
    static final long MAX_PIXELS = 16384L * 16384L;

    static float[] read(Path file, int height, int width) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("image " + file + " not found");
        }
        BufferedImage image = decode(file);
        BufferedImage grey = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = grey.createGraphics();
        try {
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        float[] pixels = new float[height * width];
        double sum = 0;
        float min = 1f;
        float max = 0f;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float v = (grey.getRaster().getSample(x, y, 0) & 0xff) / 255f;
                pixels[y * width + x] = v;
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (max - min < 0.05f) {
            throw new IOException("image " + file + " is blank (every pixel is about " + Math.round(255 * max)
                    + " of 255 at " + width + "x" + height + "); draw a digit on a plain background");
        }
        if (sum / pixels.length > 0.5) {
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = 1f - pixels[i];
            }
        }
        return pixels;
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
