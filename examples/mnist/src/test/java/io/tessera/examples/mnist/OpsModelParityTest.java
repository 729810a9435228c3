package io.tessera.examples.mnist;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.data.DataLoader;
import io.tessera.data.Datasets;
import io.tessera.data.DeviceBatch;
import io.tessera.data.DeviceDataLoader;
import io.tessera.data.IdxReader;
import io.tessera.data.InMemoryDataset;
import io.tessera.nn.Checkpoint;
import io.tessera.nn.CrossEntropyLoss;
import io.tessera.nn.Layer;
import io.tessera.optim.SGD;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The tutorial's MLP written with autograd ops ({@link OpsMlp}) trains as the fused-layer model: same seed, same
 * data, the first {@value #STEPS} SGD steps give the same losses on every device (float32 summation order only), and
 * a saved OpsMlp loads back through its LayerFactory.
 */
class OpsModelParityTest {
    static final int STEPS = 100;
    static InMemoryDataset train;

    @BeforeAll
    static void load() throws Exception {
        String root = System.getProperty("tessera.data", "");
        Path mnist = root.isBlank() ? null : Path.of(root, "mnist");
        Assumptions.assumeTrue(mnist != null && Files.isDirectory(mnist),
                "MNIST not found: set TESSERA_DATA to the folder holding mnist/ (CI sets it to ../shared/datasets)");
        train = IdxReader.readDataset(mnist.resolve("train-images-idx3-ubyte.gz"), mnist.resolve("train-labels-idx1-ubyte.gz"), 10);
    }

    static List<String> devices() {
        return Devices.available().stream().map(Device::id).toList();
    }

    private static float[] losses(Layer model, Device device) {
        var parts = Datasets.randomSplit(train, 42, 50_000, 10_000);
        DataLoader loader = DataLoader.builder(parts.get(0), 128).shuffle(42).build();
        float[] losses = new float[STEPS];
        try (model; SGD sgd = new SGD(model.parameters(), 0.5);
             CrossEntropyLoss loss = new CrossEntropyLoss();
             DeviceDataLoader batches = new DeviceDataLoader(loader, device)) {
            int step = 0;
            for (DeviceBatch b : batches) {
                if (step == STEPS) {
                    break;
                }
                losses[step++] = loss.forward(model.forward(b.features()), b.labels()).item();
                model.backward(loss.backward(), false);
                sgd.step();
            }
        }
        return losses;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("devices")
    void opsModelTrainsAsTheLayerModel(String id) {
        Device device = Devices.get(id);
        float[] layers = losses(MlpModelModule.mnistModel(784, 32, 10, 42, device), device);
        float[] ops = losses(new OpsMlp(784, 32, 10, 42, device), device);
        for (int i = 0; i < STEPS; i++) {
            int step = i;
            assertEquals(layers[i], ops[i], 1e-3, () -> "loss at step " + step + " on " + id + ": layers vs ops");
        }
        assertEquals(layers[0], ops[0], 1e-6, "the same initial weights give the same first loss");
    }

    @Test
    void savedOpsModelLoadsThroughItsFactory(@TempDir Path dir) throws Exception {
        Device cpu = Devices.get("cpu");
        Path file = dir.resolve("ops.tsr");
        try (OpsMlp model = new OpsMlp(784, 16, 10, 7, cpu)) {
            Checkpoint.save(model, Map.of("input", "1x28x28"), file);
            try (var loaded = Checkpoint.load(file, cpu).model()) {
                Layer only = loaded.layers().get(0);
                assertInstanceOf(OpsMlp.class, only);
                for (int i = 0; i < model.parameters().size(); i++) {
                    assertArrayEquals(model.parameters().get(i).value().toFloatArray(),
                            only.parameters().get(i).value().toFloatArray(), "parameter " + i);
                }
            }
            try (OpsMlp fresh = new OpsMlp(784, 16, 10, 99, cpu)) {
                Checkpoint.restore(file, fresh);
                assertArrayEquals(model.parameters().get(2).value().toFloatArray(), fresh.parameters().get(2).value().toFloatArray());
            }
        }
    }
}
