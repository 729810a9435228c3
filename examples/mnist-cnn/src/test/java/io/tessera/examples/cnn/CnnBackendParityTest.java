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
import io.tessera.nn.Parameter;
import io.tessera.nn.Sequential;
import io.tessera.optim.Adam;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CNN parity on real MNIST: each recipe's network, same seed (weights and dropout masks), the first {@value #STEPS}
 * Adam steps at batch {@value #BATCH} on {@code cpu} and on every other device. Unlike the MLP, this training is
 * chaotic at the scale of float rounding: ReLU and max-pool decisions near ties flip, Adam turns the rounding noise
 * of gradients that are zero in exact arithmetic (a bias before batch-norm) into full-size steps, and the
 * differences grow. A fixed tolerance would be either loose or flaky, so the bound is measured: cpu trains a second
 * time with every initial weight moved by one float ulp, and the other backend may differ from cpu, at each step, by
 * at most {@code ABS + SENSITIVITY_FACTOR * e}, where {@code e} is the largest difference the nudge caused up to that
 * step. Measured here: the nudge moves the curves by 2e-2 to 9e-2 within 100 steps; opencl-jocl stays within 4e-6
 * of cpu on the examples net and 2e-2 on the batch-norm net, opencl-aparapi within 6e-3 and 3e-3 by step 4 (Adam
 * turns a one-ulp difference of an activation near zero into a weight step of 1e-5 in the first update). Single
 * steps agree to about 1e-5, and a wrong kernel (a transposed weight, a lost padding row, a different dropout mask)
 * moves the loss by more than 0.1 within the first few steps, where the bound is still about ABS.
 */
class CnnBackendParityTest {
    static final int STEPS = 100;
    static final int BATCH = 16;
    static final double ABS = 5e-3;
    static final double SENSITIVITY_FACTOR = 2;
    static InMemoryDataset train;
    /** cpu's curves per recipe, plain and nudged: computed once, compared with every other device. */
    static final Map<String, float[]> CPU_CURVES = new HashMap<>();

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
        return losses(recipe, device, false);
    }

    /** The per-step losses; {@code nudged}: every initial weight moved up by one float ulp first. */
    static float[] losses(CnnRecipe recipe, Device device, boolean nudged) {
        DataLoader loader = DataLoader.builder(train, BATCH).shuffle(7)
                .transform(BatchTransform.normalize(0.1307, 0.3081)).build();
        float[] losses = new float[STEPS];
        try (Sequential model = recipe.model(device, 7);
             Adam adam = new Adam(model.parameters(), 1e-3);
             CrossEntropyLoss loss = new CrossEntropyLoss();
             DeviceDataLoader batches = new DeviceDataLoader(loader, device)) {
            if (nudged) {
                for (Parameter p : model.parameters()) {
                    float[] v = p.value().toFloatArray();
                    for (int i = 0; i < v.length; i++) {
                        v[i] = Math.nextUp(v[i]);
                    }
                    p.load(v);
                }
            }
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
        float[] cpu = CPU_CURVES.computeIfAbsent(recipe.id(), key -> losses(recipe, Devices.get("cpu")));
        float[] other = losses(recipe, Devices.get(id));
        float[] nudged = CPU_CURVES.computeIfAbsent(recipe.id() + " nudged", key -> losses(recipe, Devices.get("cpu"), true));
        double envelope = 0;
        double worst = 0;
        double worstRatio = 0;
        for (int i = 0; i < STEPS; i++) {
            envelope = Math.max(envelope, Math.abs(cpu[i] - nudged[i]));
            double diff = Math.abs(cpu[i] - other[i]);
            double bound = ABS + SENSITIVITY_FACTOR * envelope;
            worst = Math.max(worst, diff);
            worstRatio = Math.max(worstRatio, diff / bound);
            int step = i;
            double b = bound;
            assertTrue(diff <= bound, () -> recipe.id() + " on " + id + ": loss at step " + step + " is " + other[step]
                    + ", cpu has " + cpu[step] + "; allowed difference " + b);
        }
        assertTrue(cpu[STEPS - 1] < cpu[0] * 0.5, "the network learns: loss " + cpu[0] + " -> " + cpu[STEPS - 1]);
        System.out.printf("CNN parity %s on %s vs cpu: worst step difference %.2e over %d steps (loss %.3f -> %.3f); "
                + "cpu's own sensitivity to a one-ulp nudge %.2e; worst difference/bound %.2f%n",
                recipe.id(), id, worst, STEPS, cpu[0], cpu[STEPS - 1], envelope, worstRatio);
    }
}
