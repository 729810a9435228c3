package io.tessera.slide;

import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;

/** Exact top-1 over every neuron, with the device's GEMM: {@code argmax(hidden W^T + b)}, in chunks of rows. */
final class ExactScorer {
    /** The most logits held at once (256 MiB of floats). */
    private static final long MAX_LOGITS = 1L << 26;

    private ExactScorer() {
    }

    /** {@code weight: [classes, width]}, {@code bias: [classes]} on {@code device}; lowest index among ties. */
    static void top1(Device device, Tensor weight, Tensor bias, float[] hidden, int n, int[] top1) {
        int classes = weight.shape().dim(0);
        int width = weight.shape().dim(1);
        int chunk = (int) Math.max(1, Math.min(n, MAX_LOGITS / classes));
        float[] logits = new float[chunk * classes];
        try (Tensor h = device.empty(Shape.of(chunk, width), io.tessera.DType.FLOAT32);
             Tensor z = device.empty(Shape.of(chunk, classes), io.tessera.DType.FLOAT32)) {
            for (int from = 0; from < n; from += chunk) {
                int rows = Math.min(chunk, n - from);
                Tensor hv = rows == chunk ? h : h.rows(rows);
                Tensor zv = rows == chunk ? z : z.rows(rows);
                device.kernels().copyFromHost(hidden, from * width, hv, 0, rows * width);
                device.kernels().gemm(false, true, 1f, hv, weight, 0f, zv);
                device.kernels().addBias(zv, bias, zv);
                device.kernels().copyToHost(zv, 0, logits, 0, rows * classes);
                for (int r = 0; r < rows; r++) {
                    int base = r * classes;
                    int best = 0;
                    float max = logits[base];
                    for (int c = 1; c < classes; c++) {
                        if (logits[base + c] > max) {
                            max = logits[base + c];
                            best = c;
                        }
                    }
                    top1[from + r] = best;
                }
                if (hv != h) {
                    hv.close();
                    zv.close();
                }
            }
        }
    }
}
