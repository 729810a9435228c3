package io.tessera.autograd;

import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.data.DataLoader;
import io.tessera.data.DeviceDataLoader;
import io.tessera.data.InMemoryDataset;
import io.tessera.nn.Checkpoint;
import io.tessera.nn.Linear;
import io.tessera.nn.Parameter;
import io.tessera.optim.Adam;
import io.tessera.reference.ReferenceDevice;
import io.tessera.train.EpochResult;
import io.tessera.train.Trainer;
import io.tessera.train.TrainingCheckpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A user's forward-only {@link Module} in the framework's training loop, checkpoints, device moves and memory rules. */
class ModuleTest {

    /** A residual net over 8x8 images, one block written with ops, the head a shipped Linear. */
    static final class Net extends Module {
        private final Parameter[] in;
        private final Parameter[] a;
        private final Parameter[] b;
        private final Linear head;

        Net(Device device, long seed) {
            super(device);
            SplittableRandom random = new SplittableRandom(seed);
            in = linearParameters("in", 64, 16, random);
            a = linearParameters("block.a", 16, 16, random);
            b = linearParameters("block.b", 16, 16, random);
            head = layer(new Linear(16, 4, device, random));
        }

        @Override
        protected Tensor forward(Graph g, Tensor x) {
            Tensor h = g.relu(g.linear(g.reshape(x, Shape.of(x.shape().dim(0), 64)), in[0].value(), in[1].value()));
            Tensor r = g.linear(g.relu(g.linear(h, a[0].value(), a[1].value())), b[0].value(), b[1].value());
            return g.layer(head, g.relu(g.add(h, r)));
        }
    }

    /** Four classes: which quadrant of an 8x8 image is bright. */
    static InMemoryDataset quadrants(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[n * 64];
        byte[] labels = new byte[n];
        for (int s = 0; s < n; s++) {
            int label = random.nextInt(4);
            labels[s] = (byte) label;
            for (int p = 0; p < 64; p++) {
                int quadrant = (p / 8 >= 4 ? 2 : 0) + (p % 8 >= 4 ? 1 : 0);
                int v = quadrant == label ? 120 + random.nextInt(100) : random.nextInt(140);
                pixels[s * 64 + p] = (byte) v;
            }
        }
        return new InMemoryDataset(pixels, Shape.of(1, 8, 8), labels, 4);
    }

    @Test
    void trainsWithTheTrainerAndLeaksNothing() {
        Device device = new ReferenceDevice("module");
        long before = device.liveAllocations();
        DataLoader train = DataLoader.builder(quadrants(512, 1), 32).shuffle(3).build();
        DataLoader val = DataLoader.builder(quadrants(256, 2), 64).build();
        try (Net net = new Net(device, 7);
             Adam adam = new Adam(net.parameters(), 1e-2);
             DeviceDataLoader t = new DeviceDataLoader(train, device);
             DeviceDataLoader v = new DeviceDataLoader(val, device);
             Trainer trainer = new Trainer(device)) {
            assertEquals(8, net.parameters().size(), "six own parameters and the head's two");
            List<EpochResult> history = trainer.fit(4, 1e-2, net, t, v, adam);
            double accuracy = history.get(history.size() - 1).validation().accuracy();
            assertTrue(accuracy > 0.9, "a forward-only module learns the quadrants: val accuracy " + accuracy);
            long allocations = net.graph().allocations();
            trainer.fit(1, 1e-2, net, t, v, adam);
            assertEquals(allocations, net.graph().allocations(), "a further epoch of the same shapes allocates nothing");
        }
        assertEquals(before, device.liveAllocations(), "closing the module frees the graph's buffers and the parameters");
    }

    @Test
    void backwardOverwritesTheGradientsAsEveryLayerDoes() {
        Device device = new ReferenceDevice("module");
        try (Net net = new Net(device, 7); Tensor x = device.of(new float[2 * 64], Shape.of(2, 1, 8, 8))) {
            SplittableRandom r = new SplittableRandom(4);
            float[] values = new float[2 * 64];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) r.nextDouble();
            }
            device.kernels().copyFromHost(values, 0, x, 0, values.length);
            float[][] grads = new float[2][];
            for (int pass = 0; pass < 2; pass++) {
                Tensor y = net.forward(x);
                try (Tensor seed = device.of(new float[] {1, -1, 0.5f, 2, 0, 1, 1, -2}, y.shape())) {
                    Tensor gx = net.backward(seed, true);
                    assertEquals(x.shape(), gx.shape());
                }
                grads[pass] = net.parameters().get(0).grad().toFloatArray();
            }
            assertArrayEquals(grads[0], grads[1], "two identical steps give identical, not summed, gradients");
            assertNotEquals(0f, grads[0][0] * grads[0][0] + grads[0][1] * grads[0][1] + grads[0][5] * grads[0][5]);
        }
    }

    @Test
    void evaluationRecordsNothingAndBackwardAfterItFails() {
        Device device = new ReferenceDevice("module");
        try (Net net = new Net(device, 7); Tensor x = device.zeros(Shape.of(3, 1, 8, 8)); Tensor g = device.zeros(Shape.of(3, 4))) {
            assertThrows(IllegalStateException.class, () -> net.backward(g), "backward before any forward");
            net.eval();
            net.forward(x);
            assertEquals(0, net.graph().recordedOps());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.backward(g));
            assertTrue(e.getMessage().contains("train()"), e.getMessage());
            net.train();
            net.forward(x);
            assertTrue(net.graph().recordedOps() > 0);
        }
    }

    @Test
    void movesToAnotherDevice() {
        Device a = new ReferenceDevice("a");
        Device b = new ReferenceDevice("b");
        try (Net net = new Net(a, 7); Tensor xa = a.zeros(Shape.of(2, 1, 8, 8)); Tensor xb = b.zeros(Shape.of(2, 1, 8, 8))) {
            float[] before = net.forward(xa).toFloatArray();
            assertSame(net, net.to(b));
            assertSame(b, net.parameters().get(0).device());
            assertSame(b, net.parameters().get(7).device());
            assertArrayEquals(before, net.forward(xb).toFloatArray());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.forward(xa));
            assertTrue(e.getMessage().contains("a") && e.getMessage().contains("b"), e.getMessage());
        }
        assertEquals(0, a.liveAllocations());
        assertEquals(0, b.liveAllocations());
    }

    @Test
    void checkpointsByNameAndResumes(@TempDir Path dir) throws Exception {
        Device device = new ReferenceDevice("module");
        Path file = dir.resolve("net.tsr");
        try (Net net = new Net(device, 7); Net other = new Net(device, 8)) {
            Checkpoint.save(net, java.util.Map.of(), file);
            Checkpoint.restore(file, other);
            for (int i = 0; i < net.parameters().size(); i++) {
                assertArrayEquals(net.parameters().get(i).value().toFloatArray(), other.parameters().get(i).value().toFloatArray());
            }
        }
        InMemoryDataset trainSet = quadrants(256, 1);
        InMemoryDataset valSet = quadrants(64, 2);
        float[] straight;
        try (Net net = new Net(device, 7); Adam adam = new Adam(net.parameters(), 1e-2);
             DeviceDataLoader t = new DeviceDataLoader(DataLoader.builder(trainSet, 32).shuffle(3).build(), device);
             DeviceDataLoader v = new DeviceDataLoader(DataLoader.builder(valSet, 64).build(), device);
             Trainer trainer = new Trainer(device)) {
            trainer.fit(2, 1e-2, net, t, v, adam);
            straight = net.parameters().get(2).value().toFloatArray();
        }
        Path runs = dir.resolve("runs");
        for (int epochs = 1; epochs <= 2; epochs++) {
            try (Net net = new Net(device, 7); Adam adam = new Adam(net.parameters(), 1e-2);
                 DeviceDataLoader t = new DeviceDataLoader(DataLoader.builder(trainSet, 32).shuffle(3).build(), device);
                 DeviceDataLoader v = new DeviceDataLoader(DataLoader.builder(valSet, 64).build(), device);
                 Trainer trainer = new Trainer(device).checkpoints(TrainingCheckpoints.in(runs).resume(epochs > 1))) {
                trainer.fit(epochs, 1e-2, net, t, v, adam);
                if (epochs == 2) {
                    assertArrayEquals(straight, net.parameters().get(2).value().toFloatArray(), "a resumed module run ends as an uninterrupted one");
                }
            }
        }
    }

    /** A module that multiplies its input by {@code W W}: one parameter entering one node twice. */
    static final class Square extends Module {
        private final Parameter w;

        Square(Device device) {
            super(device);
            w = parameter("w", Shape.of(2, 2), new float[] {1, -2, 0.5f, 3});
        }

        @Override
        protected Tensor forward(Graph g, Tensor x) {
            return g.matmul(x, g.matmul(w.value(), w.value()));
        }
    }

    @Test
    void aParameterUsedTwiceInOneOpGetsBothContributions() {
        Device device = new ReferenceDevice("module");
        float[] xs = {1, 2, -1, 0.5f, 3, 1};
        try (Square net = new Square(device); Tensor x = device.of(xs, Shape.of(3, 2));
             Tensor seed = device.of(new float[] {1, 1, 1, 1, 1, 1}, Shape.of(3, 2))) {
            net.forward(x);
            net.backward(seed, false);
            float[] overwritten = net.parameters().get(0).grad().toFloatArray();
            try (Graph g = new Graph(device)) {
                Parameter w = net.parameters().get(0);
                Graph.zeroGrad(List.of(w));
                Tensor wv = g.param(w);
                g.backward(g.sum(g.matmul(x, g.matmul(wv, wv))));
                assertArrayEquals(w.grad().toFloatArray(), overwritten, 1e-5f,
                        "the Layer path (writing into the gradient in place) and the accumulating path agree");
            }
            float[] w = {1, -2, 0.5f, 3};
            double[] expected = new double[4];
            for (int i = 0; i < 4; i++) {
                float saved = w[i];
                double[] f = new double[2];
                for (int sgn = 0; sgn < 2; sgn++) {
                    w[i] = saved + (sgn == 0 ? 1e-3f : -1e-3f);
                    double total = 0;
                    for (int r = 0; r < 3; r++) {
                        for (int c = 0; c < 2; c++) {
                            for (int k = 0; k < 2; k++) {
                                double wwkc = w[k * 2] * w[c] + w[k * 2 + 1] * w[2 + c];
                                total += xs[r * 2 + k] * wwkc;
                            }
                        }
                    }
                    f[sgn] = total;
                }
                w[i] = saved;
                expected[i] = (f[0] - f[1]) / 2e-3;
                assertEquals(expected[i], overwritten[i], 1e-2, "d/dw[" + i + "] of sum(x W W)");
            }
        }
    }
}
