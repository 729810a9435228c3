package io.tessera.examples.mnist;

import java.io.IOException;

/**
 * How a picture becomes a model's input the way its dataset's own images were made: light ink on a dark
 * background, faint noise removed, cropped to the ink, scaled (area averaging) and placed in the field.
 *
 * <p>The background is the median of the outermost ring of pixels: if it is light, the picture is inverted. Ink
 * is what stands above that background level by at least a fifth of the brightest pixel's height above it, and by
 * more than the border's own 90th percentile (noise, shading); fainter pixels next to ink (a stroke's anti-aliased
 * edge) count if they stand above that percentile. The rest becomes 0; the ink keeps its level, scaled so the
 * brightest pixel is 1. An image framed already (MNIST's own) comes out as it went in.
 */
enum Framing {
    /** MNIST: the ink's bounding box scaled so its larger side is 20 of 28 pixels, its centre of mass at (14, 14). */
    MNIST(20.0 / 28, true),
    /** Fashion-MNIST: the item's bounding box scaled so its larger side fills the field, the box centred. */
    FASHION_MNIST(1.0, false);

    /** The least height of the brightest ink above the background, in grey levels, for an image not to be blank. */
    static final int MIN_CONTRAST = 13;

    /** Ink stands above the background by at least this fraction of the brightest pixel's height above it. */
    static final double INK_FRACTION = 0.2;

    private final double boxFraction;
    private final boolean centreOfMass;

    Framing(double boxFraction, boolean centreOfMass) {
        this.boxFraction = boxFraction;
        this.centreOfMass = centreOfMass;
    }

    /** The framing of the dataset a checkpoint names in its {@code dataset} metadata; MNIST's when it names none. */
    static Framing forDataset(String dataset) {
        return "fashion-mnist".equals(dataset) ? FASHION_MNIST : MNIST;
    }

    /**
     * Frames {@code image} into {@code height x width} values in [0, 1], row by row.
     *
     * @param name the image's name for the error message, e.g. its file
     * @throws IOException if the image holds no ink: nothing stands out of its background
     */
    float[] frame(GreyImage image, int height, int width, String name) throws IOException {
        int[] border = borderHistogram(image);
        int median = percentile(border, 0.5);
        boolean light = median > 127;
        int[] all = new int[256];
        for (byte b : image.levels()) {
            all[b & 0xff]++;
        }
        int background = light ? 255 - median : median;
        int brightest = 0;
        for (int level = 0; level < 256; level++) {
            if (all[level] > 0) {
                brightest = Math.max(brightest, light ? 255 - level : level);
            }
        }
        int range = brightest - background;
        if (range < MIN_CONTRAST) {
            throw new IOException("image " + name + " is blank: no pixel of its " + image.width() + "x" + image.height()
                    + " stands out of the " + (light ? "light" : "dark") + " background (grey level " + median
                    + " of 255) by " + MIN_CONTRAST + " levels or more; predict needs a digit drawn on a plain background");
        }
        int noise = (light ? 255 - percentile(border, 0.1) : percentile(border, 0.9)) - background;
        int threshold = Math.min(range, Math.max((int) Math.ceil(INK_FRACTION * range), noise + 1));
        Ink ink = new Ink(image, light, background, range, threshold, noise + 1);
        int[] box = boundingBox(image, ink);
        int cropW = box[2] - box[0];
        int cropH = box[3] - box[1];
        double side = Math.max(1, Math.round(boxFraction * Math.min(height, width)));
        double scale = side / Math.max(cropW, cropH);
        int w = (int) Math.max(1, Math.min(width, Math.round(cropW * scale)));
        int h = (int) Math.max(1, Math.min(height, Math.round(cropH * scale)));
        float[] scaled = Resampling.areaAverage(ink, box, w, h);
        int left;
        int top;
        if (centreOfMass) {
            double mass = 0;
            double mx = 0;
            double my = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = scaled[y * w + x];
                    mass += v;
                    mx += x * v;
                    my += y * v;
                }
            }
            left = clamp(Math.round(width / 2.0 - mx / mass), width - w);
            top = clamp(Math.round(height / 2.0 - my / mass), height - h);
        } else {
            left = (width - w) / 2;
            top = (height - h) / 2;
        }
        float[] field = new float[height * width];
        for (int y = 0; y < h; y++) {
            System.arraycopy(scaled, y * w, field, (top + y) * width + left, w);
        }
        return field;
    }

    private static int clamp(long offset, int max) {
        return (int) Math.max(0, Math.min(max, offset));
    }

    /** The levels of the outermost ring of pixels. */
    private static int[] borderHistogram(GreyImage image) {
        int[] histogram = new int[256];
        int w = image.width();
        int h = image.height();
        for (int x = 0; x < w; x++) {
            histogram[image.level(x, 0)]++;
            if (h > 1) {
                histogram[image.level(x, h - 1)]++;
            }
        }
        for (int y = 1; y < h - 1; y++) {
            histogram[image.level(0, y)]++;
            if (w > 1) {
                histogram[image.level(w - 1, y)]++;
            }
        }
        return histogram;
    }

    /** The least level with at least {@code fraction} of the counts at or below it. */
    private static int percentile(int[] histogram, double fraction) {
        long total = 0;
        for (int count : histogram) {
            total += count;
        }
        long wanted = Math.max(1, (long) Math.ceil(fraction * total));
        long seen = 0;
        for (int level = 0; level < 256; level++) {
            seen += histogram[level];
            if (seen >= wanted) {
                return level;
            }
        }
        return 255;
    }

    /** {x0, y0, x1, y1} (ends exclusive) of the pixels whose ink is above 0. */
    private static int[] boundingBox(GreyImage image, Ink ink) {
        int x0 = image.width();
        int y0 = image.height();
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                if (ink.at(x, y) > 0) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return new int[] {x0, y0, x1 + 1, y1 + 1};
    }

    /** The ink of each pixel, 0 for background: the thresholds above, applied on the fly. */
    static final class Ink {
        private final GreyImage image;
        private final float[] strong = new float[256];
        private final float[] faint = new float[256];

        Ink(GreyImage image, boolean light, int background, int range, int threshold, int floor) {
            this.image = image;
            for (int level = 0; level < 256; level++) {
                int above = (light ? 255 - level : level) - background;
                float value = Math.min(1f, above / (float) range);
                strong[level] = above >= threshold ? value : 0f;
                faint[level] = above >= floor ? value : 0f;
            }
        }

        /** The ink at (x, y), in [0, 1]. */
        float at(int x, int y) {
            int level = image.level(x, y);
            if (strong[level] > 0 || faint[level] == 0) {
                return strong[level];
            }
            for (int ny = Math.max(0, y - 1); ny <= Math.min(image.height() - 1, y + 1); ny++) {
                for (int nx = Math.max(0, x - 1); nx <= Math.min(image.width() - 1, x + 1); nx++) {
                    if (strong[image.level(nx, ny)] > 0) {
                        return faint[level];
                    }
                }
            }
            return 0f;
        }
    }
}
