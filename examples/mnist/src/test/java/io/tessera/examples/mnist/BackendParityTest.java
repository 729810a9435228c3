package io.tessera.examples.mnist;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.data.DataLoader;
import io.tessera.data.Datasets;
import io.tessera.data.DeviceBatch;
import io.tessera.data.DeviceDataLoader;
import io.tessera.data.IdxReader;
import io.tessera.data.InMemoryDataset;
import io.tessera.nn.CrossEntropyLoss;
import io.tessera.nn.Sequential;
import io.tessera.optim.SGD;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Parity on real MNIST: the tutorial's model, same seed, the first {@value #STEPS} training steps (batch 128,
 * lr 0.5) on {@code cpu} and on every other device; the per-step losses must agree within {@value #TOLERANCE}.
 * Both sides compute in float32 and differ only in summation order (about 1e-6 relative per operation); measured
 * differences stay below 1e-4 over the run, while any wrong kernel shifts the curve by more than 1e-2.
 */
class BackendParityTest {
    static final int STEPS = 200;
    static final double TOLERANCE = 2e-3;
    static InMemoryDataset train;

    @BeforeAll
    static void load() throws Exception {
        String root = System.getProperty("tessera.data", "");
        Path mnist = root.isBlank() ? null : Path.of(root, "mnist");
        Assumptions.assumeTrue(mnist != null && Files.isDirectory(mnist),
                "MNIST not found: set TESSERA_DATA to the folder holding mnist/ (CI sets it to ../shared/datasets)");
        Assumptions.assumeFalse(otherDevices().isEmpty(), "no device besides cpu to compare: " + Devices.registry().inventory());
        train = IdxReader.readDataset(mnist.resolve("train-images-idx3-ubyte.gz"), mnist.resolve("train-labels-idx1-ubyte.gz"), 10);
    }

    static List<String> otherDevices() {
        return Devices.available().stream().map(Device::id).filter(id -> !id.equals("cpu")).toList();
    }

    private static float[] losses(Device device) {
        var parts = Datasets.randomSplit(train, 42, 50_000, 10_000);
        DataLoader loader = DataLoader.builder(parts.get(0), 128).shuffle(42).build();
        float[] losses = new float[STEPS];
        try (Sequential model = MlpModelModule.mnistModel(784, 32, 10, 42, device);
             SGD sgd = new SGD(model.parameters(), 0.5);
             CrossEntropyLoss loss = new CrossEntropyLoss();
             DeviceDataLoader batches = new DeviceDataLoader(loader, device)) {
            int step = 0;
            for (DeviceBatch b : batches) {
                if (step == STEPS) {
                    break;
                }
                losses[step++] = loss.forward(model.forward(b.features()), b.labels()).item();
                model.backward(loss.backward());
                sgd.step();
            }
        }
        return losses;
    }

    @ParameterizedTest(name = "{0} vs cpu")
    @MethodSource("otherDevices")
    void lossCurveMatchesTheCpu(String id) {
        float[] cpu = losses(Devices.get("cpu"));
        float[] other = losses(Devices.get(id));
        double worst = 0;
        for (int i = 0; i < STEPS; i++) {
            worst = Math.max(worst, Math.abs(cpu[i] - other[i]));
            int step = i;
            assertEquals(cpu[i], other[i], TOLERANCE, () -> "loss at step " + step + " on " + id + " vs cpu");
        }
        System.out.printf("parity %s vs cpu on MNIST: worst step difference %.2e over %d steps (loss %.3f -> %.3f)%n",
                id, worst, STEPS, cpu[0], cpu[STEPS - 1]);
    }
}
