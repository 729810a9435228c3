package io.tessera.examples.mnist;

/**
 * Area-averaging (box filter) resampling: each output pixel is the mean of the source area it covers, partly
 * covered source pixels weighted by the part. Anti-aliased when shrinking; when enlarging, a pixel's edges blend.
 */
final class Resampling {
    private Resampling() {
    }

    /**
     * Resamples the {@code box} ({x0, y0, x1, y1}, ends exclusive) of an image's {@code ink} to {@code w x h}
     * values, row by row. One pass along the rows, then one along the columns.
     */
    static float[] areaAverage(Framing.Ink ink, int[] box, int w, int h) {
        int srcW = box[2] - box[0];
        int srcH = box[3] - box[1];
        Weights across = new Weights(srcW, w);
        Weights down = new Weights(srcH, h);
        float[] rows = new float[srcH * w];
        for (int y = 0; y < srcH; y++) {
            for (int i = 0; i < w; i++) {
                double sum = 0;
                for (int k = across.start[i]; k < across.start[i] + across.weight[i].length; k++) {
                    sum += across.weight[i][k - across.start[i]] * ink.at(box[0] + k, box[1] + y);
                }
                rows[y * w + i] = (float) sum;
            }
        }
        float[] out = new float[w * h];
        for (int j = 0; j < h; j++) {
            for (int k = down.start[j]; k < down.start[j] + down.weight[j].length; k++) {
                double wk = down.weight[j][k - down.start[j]];
                for (int i = 0; i < w; i++) {
                    out[j * w + i] += (float) (wk * rows[k * w + i]);
                }
            }
        }
        return out;
    }

    /** For each of {@code n} output pixels along one axis of {@code m} source pixels: the first source pixel and the weights (summing to 1). */
    private static final class Weights {
        final int[] start;
        final double[][] weight;

        Weights(int m, int n) {
            start = new int[n];
            weight = new double[n][];
            double step = (double) m / n;
            for (int i = 0; i < n; i++) {
                double from = i * step;
                double to = Math.min(m, (i + 1) * step);
                int first = (int) Math.floor(from);
                int last = Math.min(m - 1, (int) Math.ceil(to) - 1);
                start[i] = first;
                weight[i] = new double[last - first + 1];
                for (int k = first; k <= last; k++) {
                    weight[i][k - first] = (Math.min(to, k + 1) - Math.max(from, k)) / step;
                }
            }
        }
    }
}
