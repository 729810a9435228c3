package io.tessera.bench;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.data.DataLoader;
import io.tessera.data.Datasets;
import io.tessera.data.DeviceDataLoader;
import io.tessera.data.IdxReader;
import io.tessera.data.InMemoryDataset;
import io.tessera.examples.mnist.MlpModelModule;
import io.tessera.examples.mnist.OpsMlp;
import io.tessera.nn.Layer;
import io.tessera.optim.SGD;
import io.tessera.train.EpochResult;
import io.tessera.train.Trainer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The tutorial's training epoch on real MNIST (50,000 images, batch 128, SGD 0.5, the prefetching device loader and
 * {@code Trainer.fit}) with the fused-layer model and with the same model written with autograd ops, alternating
 * epoch by epoch in one JVM so both see the same machine and the same JIT; prints the median train time of each and
 * the ratio.
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar io.tessera.bench.OpsEpochs MNIST_DIR [ROUNDS] [DEVICE]
 * </pre>
 */
public final class OpsEpochs {
    private OpsEpochs() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help")) {
            System.out.println("usage: OpsEpochs MNIST_DIR [ROUNDS (default 15)] [DEVICE (default cpu)]");
            return;
        }
        Path dir = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        Device device = Devices.get(args.length > 2 ? args[2] : "cpu");
        InMemoryDataset all = IdxReader.readDataset(dir.resolve("train-images-idx3-ubyte.gz"),
                dir.resolve("train-labels-idx1-ubyte.gz"), 10);
        var parts = Datasets.randomSplit(all, 42, 50_000, 10_000);
        Layer[] models = {MlpModelModule.mnistModel(784, 32, 10, 42, device), new OpsMlp(784, 32, 10, 42, device)};
        String[] names = {"layers", "ops"};
        double[][] seconds = new double[2][rounds];
        try (Trainer trainer = new Trainer(device);
             DeviceDataLoader val = new DeviceDataLoader(DataLoader.builder(parts.get(1), 256).build(), device)) {
            DeviceDataLoader[] train = new DeviceDataLoader[2];
            SGD[] sgd = new SGD[2];
            for (int m = 0; m < 2; m++) {
                train[m] = new DeviceDataLoader(DataLoader.builder(parts.get(0), 128).shuffle(42).build(), device);
                sgd[m] = new SGD(models[m].parameters(), 0.5);
                trainer.fit(2, 0.5, models[m], train[m], val, sgd[m]);
            }
            for (int r = 0; r < rounds; r++) {
                for (int m = 0; m < 2; m++) {
                    EpochResult e = trainer.fit(1, 0.1, models[m], train[m], val, sgd[m]).get(0);
                    seconds[m][r] = e.trainSeconds();
                }
            }
            double[] median = new double[2];
            for (int m = 0; m < 2; m++) {
                double[] sorted = seconds[m].clone();
                Arrays.sort(sorted);
                median[m] = sorted[rounds / 2];
                System.out.printf(Locale.ROOT, "%-6s on %s: median epoch %.4f s (min %.4f, max %.4f) over %d epochs after 2 of warm-up%n",
                        names[m], device.id(), median[m], sorted[0], sorted[rounds - 1], rounds);
                train[m].close();
                sgd[m].close();
                models[m].close();
            }
            System.out.printf(Locale.ROOT, "ops/layers epoch time: %.3f%n", median[1] / median[0]);
        }
    }
}
