package io.tessera.bench;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.nn.Conv2d;
import io.tessera.nn.CrossEntropyLoss;
import io.tessera.nn.Dropout;
import io.tessera.nn.Flatten;
import io.tessera.nn.Layer;
import io.tessera.nn.Linear;
import io.tessera.nn.MaxPool2d;
import io.tessera.nn.ReLU;
import io.tessera.nn.Sequential;
import io.tessera.optim.Adam;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Where a training step of the MNIST examples CNN (batch 64, Adam) spends its time, layer by layer: forward, backward
 * (the first layer's input gradient skipped, as {@code Trainer} does), loss and optimizer, in wall milliseconds per
 * step averaged over the measured steps after a warm-up. Random data, so no data pipeline: the figures are the
 * device's alone.
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar io.tessera.bench.CnnStepProfile [STEPS] [DEVICE]
 * </pre>
 */
public final class CnnStepProfile {
    private static final int BATCH = 64;
    private static final int WARMUP = 30;

    private CnnStepProfile() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("usage: CnnStepProfile [STEPS (default 100)] [DEVICE (default: the default device)]");
            return;
        }
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Device device = args.length > 1 ? Devices.get(args[1]) : Devices.defaultDevice();
        SplittableRandom random = new SplittableRandom(1);
        List<Layer> layers = List.of(new Conv2d(1, 32, 3, 1, 0, device, random), new ReLU(),
                new Conv2d(32, 64, 3, 1, 0, device, random), new ReLU(), new MaxPool2d(2), new Dropout(0.25, 2),
                new Flatten(), new Linear(9216, 128, device, random), new ReLU(), new Dropout(0.5, 3),
                new Linear(128, 10, device, random));
        float[] images = new float[BATCH * 28 * 28];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextDouble();
        }
        int[] labels = random.ints(BATCH, 0, 10).toArray();
        try (Sequential model = new Sequential(layers); CrossEntropyLoss loss = new CrossEntropyLoss();
             Tensor x = device.of(images, Shape.of(BATCH, 1, 28, 28)); Tensor y = device.ofInts(labels, Shape.of(BATCH));
             Adam adam = new Adam(model.parameters(), 1e-3)) {
            int n = layers.size();
            long[] forward = new long[n];
            long[] backward = new long[n];
            long lossNanos = 0;
            long stepNanos = 0;
            long total = 0;
            for (int s = 0; s < WARMUP + steps; s++) {
                if (s == WARMUP) {
                    java.util.Arrays.fill(forward, 0);
                    java.util.Arrays.fill(backward, 0);
                    lossNanos = 0;
                    stepNanos = 0;
                    total = 0;
                }
                long start = System.nanoTime();
                Tensor h = x;
                for (int i = 0; i < n; i++) {
                    long t = System.nanoTime();
                    h = layers.get(i).forward(h);
                    device.synchronize();
                    forward[i] += System.nanoTime() - t;
                }
                long t = System.nanoTime();
                loss.forward(h, y);
                Tensor g = loss.backward();
                device.synchronize();
                lossNanos += System.nanoTime() - t;
                for (int i = n - 1; i >= 0; i--) {
                    t = System.nanoTime();
                    g = layers.get(i).backward(g, i > 0);
                    device.synchronize();
                    backward[i] += System.nanoTime() - t;
                }
                t = System.nanoTime();
                adam.step();
                device.synchronize();
                stepNanos += System.nanoTime() - t;
                total += System.nanoTime() - start;
            }
            System.out.printf(Locale.ROOT, "device %s, batch %d, %d steps after %d warm-up steps%n", device.id(), BATCH, steps, WARMUP);
            System.out.printf(Locale.ROOT, "%-4s %-22s %10s %10s %7s%n", "#", "layer", "fwd ms", "bwd ms", "share");
            for (int i = 0; i < n; i++) {
                System.out.printf(Locale.ROOT, "%-4d %-22s %10.2f %10.2f %6.1f%%%n", i, layers.get(i).spec().type(),
                        forward[i] / 1e6 / steps, backward[i] / 1e6 / steps, 100.0 * (forward[i] + backward[i]) / total);
            }
            System.out.printf(Locale.ROOT, "loss %.2f ms, Adam %.2f ms; step %.2f ms = %.0f samples/s%n", lossNanos / 1e6 / steps,
                    stepNanos / 1e6 / steps, total / 1e6 / steps, BATCH * 1e9 * steps / total);
        }
    }
}
