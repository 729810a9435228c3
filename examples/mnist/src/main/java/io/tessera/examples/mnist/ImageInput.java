package io.tessera.examples.mnist;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns an image file into MNIST's input: 28x28 greyscale in [0, 1], a light digit on a dark background. Other
 * sizes are scaled; a dark-on-light image (mean above one half) is inverted, as a drawing on white paper would be.
 */
final class ImageInput {
    private ImageInput() {
    }

    static float[] read(Path file, int height, int width) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("image " + file + " not found");
        }
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            throw new IOException("image " + file + " is not a PNG, JPEG, GIF or BMP that Java can read");
        }
        BufferedImage grey = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = grey.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        float[] pixels = new float[height * width];
        double sum = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float v = (grey.getRaster().getSample(x, y, 0) & 0xff) / 255f;
                pixels[y * width + x] = v;
                sum += v;
            }
        }
        if (sum / pixels.length > 0.5) {
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = 1f - pixels[i];
            }
        }
        return pixels;
    }
}
