package io.tessera.examples.custom;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.autograd.Graph;
import io.tessera.autograd.Module;
import io.tessera.nn.CrossEntropyLoss;
import io.tessera.nn.Parameter;
import io.tessera.optim.Adam;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's forward-only module compiles as written (this file holds it verbatim) and learns. */
class ReadmeModuleTest {

    // ---- the README's class, verbatim ----
    final class Residual extends Module {
        private final Parameter[] in, fc1, fc2, out;

        Residual(Device device, long seed) {
            super(device);
            var random = new SplittableRandom(seed);
            in = linearParameters("in", 784, 256, random);          // PyTorch's nn.Linear initialisation
            fc1 = linearParameters("fc1", 256, 256, random);
            fc2 = linearParameters("fc2", 256, 256, random);
            out = linearParameters("out", 256, 10, random);
        }

        @Override
        protected Tensor forward(Graph g, Tensor x) {
            Tensor h = g.linear(g.reshape(x, Shape.of(x.shape().dim(0), 784)), in[0].value(), in[1].value());
            h = g.add(h, g.linear(g.relu(g.linear(h, fc1[0].value(), fc1[1].value())), fc2[0].value(), fc2[1].value()));
            return g.linear(g.relu(h), out[0].value(), out[1].value());
        }
    }
    // ---- end of the README's class ----

    @Test
    void theReadmeShowsThisClass() throws IOException {
        String readme = Files.readString(Path.of("../../README.md"));
        String self = Files.readString(Path.of("src/test/java/io/tessera/examples/custom/ReadmeModuleTest.java"));
        String block = self.substring(self.indexOf("    final class Residual"), self.indexOf("    // ---- end"));
        for (String line : block.lines().toList()) {
            String trimmed = line.length() >= 4 ? line.substring(4) : line.strip();
            assertTrue(readme.contains(trimmed), "the README no longer shows this line of the example: " + trimmed);
        }
    }

    @Test
    void theReadmeModuleLearns() {
        Device cpu = Devices.get("cpu");
        SplittableRandom random = new SplittableRandom(1);
        float[] x = new float[64 * 784];
        int[] y = new int[64];
        for (int i = 0; i < y.length; i++) {
            y[i] = random.nextInt(10);
            for (int p = 0; p < 784; p++) {
                x[i * 784 + p] = p % 10 == y[i] ? 1f : (float) random.nextDouble(0, 0.3);
            }
        }
        try (Residual model = new Residual(cpu, 3); Adam adam = new Adam(model.parameters(), 1e-3);
             CrossEntropyLoss loss = new CrossEntropyLoss();
             Tensor features = cpu.of(x, Shape.of(64, 1, 28, 28)); Tensor labels = cpu.ofInts(y, Shape.of(64))) {
            float first = 0;
            float last = 0;
            for (int step = 0; step < 30; step++) {
                last = loss.forward(model.forward(features), labels).item();
                first = step == 0 ? last : first;
                model.backward(loss.backward(), false);
                adam.step();
            }
            assertTrue(last < first / 4, "the loss falls on a learnable batch: " + first + " -> " + last);
        }
    }
}
