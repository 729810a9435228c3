package io.tessera.examples.report;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Draws the tutorial's two plots side by side as one PNG: validation (or test) accuracy per epoch, and training and
 * validation (or test) loss per epoch. Headless (Java2D only).
 */
public final class TrainingPlot {
    private static final int W = 1000;
    private static final int H = 420;

    private TrainingPlot() {
    }

    /**
     * @param accuracy  validation accuracy per point (point 0 may be before training)
     * @param valLoss   validation loss per point
     * @param trainLoss training loss per point (NaN where there is none, e.g. before training)
     */
    public static void write(Path file, String title, List<Double> accuracy, List<Double> valLoss, List<Double> trainLoss) throws IOException {
        write(file, title, accuracy, valLoss, trainLoss, "validation", 0);
    }

    /**
     * {@link #write(Path, String, List, List, List)} with the evaluated set's name in the legends ({@code validation}
     * or {@code test}) and the epoch number of point 0 on the x axis (0 for an evaluation before training, else 1).
     */
    public static void write(Path file, String title, List<Double> accuracy, List<Double> valLoss, List<Double> trainLoss,
                             String evaluated, int firstEpoch) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, W, H);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, 20, 24);
            panel(g, 0, "Accuracy vs. No. of epochs", "accuracy", List.of(accuracy), List.of(new Color(31, 119, 180)), List.of(evaluated), firstEpoch);
            panel(g, W / 2, "Loss vs. No. of epochs", "loss", List.of(trainLoss, valLoss),
                    List.of(new Color(31, 119, 180), new Color(214, 39, 40)), List.of("training", evaluated), firstEpoch);
        } finally {
            g.dispose();
        }
        AtomicFile.write(file, tmp -> {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    private static void panel(Graphics2D g, int x0, String title, String yLabel, List<List<Double>> series, List<Color> colors,
                              List<String> names, int firstEpoch) {
        int left = x0 + 70;
        int right = x0 + W / 2 - 20;
        int top = 60;
        int bottom = H - 50;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int points = 0;
        for (List<Double> s : series) {
            points = Math.max(points, s.size());
            for (double v : s) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (!Double.isFinite(min)) {
            min = 0;
            max = 1;
        }
        if (max - min < 1e-9) {
            max = min + 1e-3;
        }
        double pad = (max - min) * 0.05;
        min -= pad;
        max += pad;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setColor(Color.BLACK);
        g.drawString(title, left, top - 30);
        g.drawRect(left, top, right - left, bottom - top);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i <= 4; i++) {
            double v = min + (max - min) * i / 4;
            int y = bottom - (int) ((bottom - top) * i / 4.0);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(left + 1, y, right - 1, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.3f", v), left - 48, y + 4);
        }
        int last = Math.max(points - 1, 1);
        for (int i = 0; i < points; i++) {
            int x = left + (int) ((right - left) * (double) i / last);
            g.drawString(Integer.toString(i + firstEpoch), x - 3, bottom + 16);
        }
        g.drawString("epoch", (left + right) / 2 - 15, bottom + 34);
        g.drawString(yLabel, x0 + 8, top - 4);
        g.setStroke(new BasicStroke(2f));
        for (int s = 0; s < series.size(); s++) {
            List<Double> data = series.get(s);
            g.setColor(colors.get(s));
            int px = -1;
            int py = -1;
            for (int i = 0; i < data.size(); i++) {
                double v = data.get(i);
                if (!Double.isFinite(v)) {
                    px = -1;
                    continue;
                }
                int x = left + (int) ((right - left) * (double) i / last);
                int y = bottom - (int) ((bottom - top) * (v - min) / (max - min));
                g.fillOval(x - 3, y - 3, 6, 6);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.drawString(names.get(s), right - 85 * (series.size() - s), top - 14);
        }
    }
}
