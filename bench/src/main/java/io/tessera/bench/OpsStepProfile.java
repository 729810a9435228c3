package io.tessera.bench;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.autograd.Module;
import io.tessera.examples.mnist.MlpModelModule;
import io.tessera.examples.mnist.OpsMlp;
import io.tessera.nn.CrossEntropyLoss;
import io.tessera.nn.Layer;
import io.tessera.optim.SGD;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The tutorial MLP's training step (batch 128, SGD, first layer's input gradient skipped as {@code Trainer} does)
 * built from the fused layers and from autograd ops, side by side: rounds of steps alternate between the two, and
 * the median step time, the host bytes allocated per step (this thread) and the device allocations made after the
 * first step are printed for each. Random data, so no data pipeline.
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar io.tessera.bench.OpsStepProfile [ROUNDS] [DEVICE]
 * </pre>
 */
public final class OpsStepProfile {
    private static final int BATCH = 128;
    private static final int STEPS_PER_ROUND = 200;

    private OpsStepProfile() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("usage: OpsStepProfile [ROUNDS (default 7)] [DEVICE (default cpu)]");
            return;
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Device device = Devices.get(args.length > 1 ? args[1] : "cpu");
        SplittableRandom random = new SplittableRandom(3);
        float[] x = new float[BATCH * 784];
        int[] y = new int[BATCH];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = random.nextInt(10);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Tensor features = device.of(x, Shape.of(BATCH, 1, 28, 28));
             Tensor labels = device.ofInts(y, Shape.of(BATCH));
             Layer layers = MlpModelModule.mnistModel(784, 32, 10, 42, device);
             Layer ops = new OpsMlp(784, 32, 10, 42, device);
             SGD layersSgd = new SGD(layers.parameters(), 0.05);
             SGD opsSgd = new SGD(ops.parameters(), 0.05);
             CrossEntropyLoss loss = new CrossEntropyLoss()) {
            Layer[] models = {layers, ops};
            SGD[] sgds = {layersSgd, opsSgd};
            double[][] ms = new double[2][rounds];
            long[] bytes = new long[2];
            long[] deviceAllocations = new long[2];
            for (int m = 0; m < 2; m++) {
                step(models[m], sgds[m], loss, features, labels, 50);
            }
            for (int r = 0; r < rounds; r++) {
                for (int m = 0; m < 2; m++) {
                    long live = device.liveAllocations();
                    long allocated = threads.getCurrentThreadAllocatedBytes();
                    long start = System.nanoTime();
                    step(models[m], sgds[m], loss, features, labels, STEPS_PER_ROUND);
                    device.synchronize();
                    ms[m][r] = (System.nanoTime() - start) / 1e6 / STEPS_PER_ROUND;
                    bytes[m] += threads.getCurrentThreadAllocatedBytes() - allocated;
                    deviceAllocations[m] += device.liveAllocations() - live;
                }
            }
            String[] names = {"layers", "ops"};
            double[] median = new double[2];
            for (int m = 0; m < 2; m++) {
                double[] sorted = ms[m].clone();
                Arrays.sort(sorted);
                median[m] = sorted[rounds / 2];
                System.out.printf(Locale.ROOT, "%-6s on %s: median %.4f ms/step (min %.4f) over %d rounds of %d steps; %,d host bytes/step;"
                        + " %d device allocations after warm-up%s%n", names[m], device.id(), median[m], sorted[0], rounds,
                        STEPS_PER_ROUND, bytes[m] / ((long) rounds * STEPS_PER_ROUND), deviceAllocations[m],
                        models[m] instanceof Module mod ? "; graph pool " + mod.graph().allocations() + " buffers, "
                                + mod.graph().pooledBytes() + " bytes" : "");
            }
            System.out.printf(Locale.ROOT, "ops/layers step time: %.3f%n", median[1] / median[0]);
        }
    }

    private static void step(Layer model, SGD sgd, CrossEntropyLoss loss, Tensor x, Tensor y, int steps) {
        for (int i = 0; i < steps; i++) {
            loss.forward(model.forward(x), y);
            model.backward(loss.backward(), false);
            sgd.step();
        }
    }
}
