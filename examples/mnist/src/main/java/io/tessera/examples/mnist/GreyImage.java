package io.tessera.examples.mnist;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * An image as 8-bit grey levels, 0 black to 255 white, row by row: what {@link Framing} works on. One byte a pixel,
 * so the largest image {@code predict} accepts costs a quarter of its decoded size again.
 */
record GreyImage(int width, int height, byte[] levels) {
    GreyImage {
        if (width < 1 || height < 1 || levels.length != (long) width * height) {
            throw new IllegalArgumentException(width + "x" + height + " grey image with " + levels.length + " levels");
        }
    }

    /** The level of pixel (x, y), 0 to 255. */
    int level(int x, int y) {
        return levels[y * width + x] & 0xff;
    }

    /**
     * The luminance (0.299 R + 0.587 G + 0.114 B) of each pixel, with transparency composited over white. A grey
     * image's own samples are taken as they are, not through Java's linear-grey colour conversion.
     */
    static GreyImage of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] levels = new byte[Math.multiplyExact(w, h)];
        Raster raster = image.getRaster();
        boolean grey = !(image.getColorModel() instanceof IndexColorModel)
                && image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY && raster.getNumBands() <= 2;
        if (grey) {
            double greyMax = (1L << raster.getSampleModel().getSampleSize(0)) - 1;
            boolean alpha = raster.getNumBands() == 2;
            double alphaMax = alpha ? (1L << raster.getSampleModel().getSampleSize(1)) - 1 : 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double v = raster.getSample(x, y, 0) / greyMax;
                    double a = alpha ? raster.getSample(x, y, 1) / alphaMax : 1;
                    levels[y * w + x] = (byte) Math.round(255 * (a * v + (1 - a)));
                }
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int p = row[x];
                    double lum = 0.299 * ((p >> 16) & 0xff) + 0.587 * ((p >> 8) & 0xff) + 0.114 * (p & 0xff);
                    double a = (p >>> 24) / 255.0;
                    levels[y * w + x] = (byte) Math.round(a * lum + (1 - a) * 255);
                }
            }
        }
        return new GreyImage(w, h, levels);
    }
}
