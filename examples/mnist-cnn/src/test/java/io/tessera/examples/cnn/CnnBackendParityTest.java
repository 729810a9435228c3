package io.tessera.examples.cnn;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.data.BatchTransform;
import io.tessera.data.DataLoader;
import io.tessera.data.DeviceBatch;
import io.tessera.data.DeviceDataLoader;
import io.tessera.data.IdxReader;
import io.tessera.data.InMemoryDataset;
import io.tessera.nn.CrossEntropyLoss;
import io.tessera.nn.Sequential;
import io.tessera.optim.Adam;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CNN parity on real MNIST: each recipe's network, same seed (weights and dropout masks), the first {@value #STEPS}
 * Adam steps at batch {@value #BATCH} on {@code cpu} and on every other device; the per-step losses must agree within
 * {@code ABS + REL * loss}. Both sides compute in float32 and differ only in summation order; Adam divides by the
 * root of tiny second moments early on, which lets such rounding differences grow over the run more than SGD does,
 * hence a looser bound than the MLP's. A wrong kernel (a transposed weight, a lost padding row, a different dropout
 * mask) moves the curve by more than 0.05 within a few steps.
 */
class CnnBackendParityTest {
    static final int STEPS = 100;
    static final int BATCH = 16;
    static final double ABS = 5e-3;
    static final double REL = 1e-2;
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

    static float[] losses(CnnRecipe recipe, Device device) {
        DataLoader loader = DataLoader.builder(train, BATCH).shuffle(7)
                .transform(BatchTransform.normalize(0.1307, 0.3081)).build();
        float[] losses = new float[STEPS];
        try (Sequential model = recipe.model(device, 7);
             Adam adam = new Adam(model.parameters(), 1e-3);
             CrossEntropyLoss loss = new CrossEntropyLoss();
             DeviceDataLoader batches = new DeviceDataLoader(loader, device)) {
            model.train();
            int step = 0;
            for (DeviceBatch b : batches) {
                if (step == STEPS) {
                    break;
                }
                losses[step++] = loss.forward(model.forward(b.features()), b.labels()).item();
                model.backward(loss.backward(), false);
                adam.step();
            }
        }
        return losses;
    }

    static List<String> cases() {
        return otherDevices().stream().flatMap(id -> CnnRecipe.ids().stream().map(model -> model + " on " + id)).toList();
    }

    @ParameterizedTest(name = "{0} vs cpu")
    @MethodSource("cases")
    void lossCurveMatchesTheCpu(String testCase) {
        String[] parts = testCase.split(" on ");
        CnnRecipe recipe = CnnRecipe.byId(parts[0]);
        String id = parts[1];
        float[] cpu = losses(recipe, Devices.get("cpu"));
        float[] other = losses(recipe, Devices.get(id));
        double worst = 0;
        for (int i = 0; i < STEPS; i++) {
            double diff = Math.abs(cpu[i] - other[i]);
            worst = Math.max(worst, diff);
            int step = i;
            assertTrue(diff <= ABS + REL * Math.abs(cpu[i]), () -> recipe.id() + " on " + id + ": loss at step " + step + " is "
                    + other[step] + ", cpu has " + cpu[step]);
        }
        assertTrue(cpu[STEPS - 1] < cpu[0] * 0.5, "the network learns: loss " + cpu[0] + " -> " + cpu[STEPS - 1]);
        System.out.printf("CNN parity %s on %s vs cpu: worst step difference %.2e over %d steps (loss %.3f -> %.3f)%n",
                recipe.id(), id, worst, STEPS, cpu[0], cpu[STEPS - 1]);
    }
}
