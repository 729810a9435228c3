package io.tessera.opencl.aparapi;

import io.tessera.DType;
import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.nn.CrossEntropyLoss;
import io.tessera.nn.Flatten;
import io.tessera.nn.Linear;
import io.tessera.nn.ReLU;
import io.tessera.nn.Sequential;
import io.tessera.optim.SGD;
import io.tessera.spi.Window2d;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/**
 * Timings for the module README, not a test: direct conv2d forward at the MNIST CNN's second layer (alone with
 * {@code --conv2d} as the first argument), GEMM GFLOP/s at two sizes and one tutorial epoch (469 steps of 128)
 * per device. Run from the module folder after {@code verify}, with the test class path; arguments are device ids
 * (default {@code opencl-aparapi:0 cpu}). Best of several runs after a warm-up; the machine's other load counts.
 */
public final class AparapiBench {
    private AparapiBench() {
    }

    public static void main(String[] args) throws IOException {
        boolean convOnly = args.length > 0 && args[0].equals("--conv2d");
        if (convOnly) {
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        }
        String[] ids = args.length > 0 ? args : new String[] {"opencl-aparapi:0", "cpu"};
        ParityTest.Data data = convOnly ? null : ParityTest.Data.load();
        for (String id : ids) {
            Device device = Devices.get(id);
            System.out.printf("%s (%s)%n", id, device.name());
            conv2d(device, 64, 32, 64, 26, 26, 3);
            if (!convOnly) {
                gemm(device, 1024, 1024, 1024, false, false);
                gemm(device, 128, 128, 784, false, true);
                epoch(device, data);
            }
        }
    }

    /** Direct conv2d forward, stride 1, no padding (the MNIST CNN's second convolution: 64, 32 to 64, 26x26, 3x3). */
    private static void conv2d(Device device, int n, int c, int o, int h, int w, int k) {
        SplittableRandom r = new SplittableRandom(2);
        Window2d window = Window2d.square(k, 1, 0);
        float[] x = new float[n * c * h * w];
        float[] wt = new float[o * c * k * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        for (int i = 0; i < wt.length; i++) {
            wt[i] = (float) r.nextDouble(-1, 1);
        }
        int oh = window.outHeight(h);
        int ow = window.outWidth(w);
        try (Tensor tx = device.of(x, Shape.of(n, c, h, w)); Tensor tw = device.of(wt, Shape.of(o, c, k, k)); Tensor tb = device.zeros(Shape.of(o));
             Tensor y = device.empty(Shape.of(n, o, oh, ow), DType.FLOAT32)) {
            try {
                device.kernels().conv2d(tx, tw, tb, y, window);
            } catch (UnsupportedOperationException e) {
                System.out.printf("  conv2d: not implemented by %s%n", device.id());
                return;
            }
            double best = Double.MAX_VALUE;
            for (int rep = 0; rep < 5; rep++) {
                long t0 = System.nanoTime();
                device.kernels().conv2d(tx, tw, tb, y, window);
                device.synchronize();
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            y.toFloatArray();
            double flops = 2.0 * n * o * oh * ow * c * k * k;
            System.out.printf("  conv2d N=%d %d->%d %dx%d %dx%d: %.1f ms, %.2f GFLOP/s%n", n, c, o, h, w, k, k, best * 1e3, flops / best / 1e9);
            try (Tensor gx = device.empty(Shape.of(n, c, h, w), DType.FLOAT32); Tensor gw = device.empty(Shape.of(o, c, k, k), DType.FLOAT32);
                 Tensor gb = device.empty(Shape.of(o), DType.FLOAT32)) {
                double bestInput = Double.MAX_VALUE;
                double bestWeight = Double.MAX_VALUE;
                for (int rep = 0; rep < 4; rep++) {
                    long t0 = System.nanoTime();
                    device.kernels().conv2dBackwardInput(y, tw, gx, window);
                    device.synchronize();
                    long t1 = System.nanoTime();
                    device.kernels().conv2dBackwardWeight(tx, y, gw, gb, window);
                    device.synchronize();
                    long t2 = System.nanoTime();
                    if (rep > 0) {
                        bestInput = Math.min(bestInput, (t1 - t0) / 1e9);
                        bestWeight = Math.min(bestWeight, (t2 - t1) / 1e9);
                    }
                }
                gw.toFloatArray();
                System.out.printf("  conv2dBackwardInput: %.1f ms, %.2f GFLOP/s; conv2dBackwardWeight (+bias): %.1f ms, %.2f GFLOP/s%n",
                        bestInput * 1e3, flops / bestInput / 1e9, bestWeight * 1e3, flops / bestWeight / 1e9);
            }
        }
    }

    private static void gemm(Device device, int m, int n, int k, boolean transA, boolean transB) {
        SplittableRandom r = new SplittableRandom(1);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextDouble(-1, 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextDouble(-1, 1);
        }
        try (Tensor ta = device.of(a, transA ? Shape.of(k, m) : Shape.of(m, k)); Tensor tb = device.of(b, transB ? Shape.of(n, k) : Shape.of(k, n));
             Tensor c = device.empty(Shape.of(m, n), DType.FLOAT32)) {
            device.kernels().gemm(transA, transB, 1f, ta, tb, 0f, c);
            double best = Double.MAX_VALUE;
            int reps = (long) m * n * k > 100_000_000L ? 5 : 50;
            for (int rep = 0; rep < reps; rep++) {
                long t0 = System.nanoTime();
                device.kernels().gemm(transA, transB, 1f, ta, tb, 0f, c);
                device.synchronize();
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            c.toFloatArray();
            System.out.printf("  gemm %dx%d * %dx%d%s: %.2f ms, %.2f GFLOP/s%n", m, k, k, n, transB ? " (B transposed)" : "", best * 1e3,
                    2.0 * m * n * k / best / 1e9);
        }
    }

    private static void epoch(Device device, ParityTest.Data data) {
        int batch = ParityTest.BATCH;
        int steps = 60_000 / batch;
        SplittableRandom random = new SplittableRandom(ParityTest.SEED);
        try (Sequential model = Sequential.of(new Flatten(), new Linear(784, 32, device, random), new ReLU(), new Linear(32, 10, device, random));
             CrossEntropyLoss loss = new CrossEntropyLoss();
             SGD sgd = new SGD(model.parameters(), ParityTest.LR);
             Tensor x = device.zeros(Shape.of(batch, 1, 28, 28));
             Tensor y = device.zeros(Shape.of(batch), DType.INT32);
             Tensor sum = device.zeros(Shape.of(1))) {
            FloatBuffer features = FloatBuffer.allocate(batch * 784);
            int[] labels = new int[batch];
            for (int warm = 0; warm < 2; warm++) {
                long t0 = System.nanoTime();
                long dataNanos = 0;
                for (int s = 0; s < steps; s++) {
                    long d0 = System.nanoTime();
                    data.batch(s, features, labels);
                    dataNanos += System.nanoTime() - d0;
                    device.kernels().copyFromBuffer(features.flip(), x, 0);
                    device.kernels().copyFromHost(labels, 0, y, 0, batch);
                    Tensor logits = model.forward(x);
                    device.kernels().axpy(1f, loss.forward(logits, y), sum);
                    model.backward(loss.backward());
                    sgd.step();
                }
                float mean = sum.item() / steps;
                device.kernels().fill(sum, 0f);
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf("  epoch %d (%s): %d steps of %d in %.2f s (%.2f s of it gathering batches on the host), mean loss %.4f%n",
                        warm, data.source, steps, batch, seconds, dataNanos / 1e9, mean);
            }
        }
    }
}
