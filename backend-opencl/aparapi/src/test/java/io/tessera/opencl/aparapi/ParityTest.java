package io.tessera.opencl.aparapi;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.data.IdxReader;
import io.tessera.data.InMemoryDataset;
import io.tessera.nn.CrossEntropyLoss;
import io.tessera.nn.Flatten;
import io.tessera.nn.Linear;
import io.tessera.nn.ReLU;
import io.tessera.nn.Sequential;
import io.tessera.optim.SGD;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cross-backend parity: the tutorial's model ({@code Flatten, Linear(784, 32), ReLU, Linear(32, 10)}), built on the
 * host from one seed, trained for {@value #STEPS} steps of plain SGD (lr {@value #LR}) on batches of {@value #BATCH}
 * on {@code cpu} and on {@code opencl-aparapi:0}, gives the same loss curve.
 *
 * <p>Data: real MNIST from {@code $TESSERA_DATA/mnist} (system property {@code tessera.data}) where present, else a
 * deterministic synthetic set of the same shape (class-dependent blobs plus noise), so the test runs anywhere.
 *
 * <p>Tolerance: {@code |loss_cpu - loss_cl| <= 2e-3 + 2e-3 * loss_cpu} at every step. Both backends compute in float32
 * but sum in different orders (EJML's blocked GEMM against a 16-wide tiled kernel; a work-group tree against a
 * sequential sum for the loss), so each step's result differs by a few ulps (~1e-7 relative); SGD feeds those
 * differences back into the weights, where they grow roughly linearly with the number of steps at this learning rate
 * (measured: ~1e-5 after 200 steps). The bound leaves two orders of magnitude of margin for other drivers while still
 * failing on any real defect: a wrong transpose, a stale buffer or a missing bias term changes the loss by 1e-2 or more
 * within the first few steps.
 */
class ParityTest {
    static final int STEPS = 200;
    static final int BATCH = 128;
    static final float LR = 0.5f;
    static final long SEED = 20240607L;
    static final double ABS = 2e-3;
    static final double REL = 2e-3;

    @BeforeAll
    static void needsOpenCl() {
        OpenCl.require();
    }

    @Test
    void lossCurvesAgreeWithTheCpu() throws IOException {
        Data data = Data.load();
        float[] cpu = train(Devices.get("cpu"), data);
        float[] cl = train(OpenCl.device(), data);
        double worst = 0;
        for (int s = 0; s < STEPS; s++) {
            double diff = Math.abs(cpu[s] - cl[s]);
            worst = Math.max(worst, diff);
            double bound = ABS + REL * Math.abs(cpu[s]);
            int step = s;
            assertTrue(diff <= bound, () -> "step " + step + ": cpu loss " + cpu[step] + ", opencl-aparapi loss " + cl[step]
                    + " differ by " + diff + " > " + bound + " (" + data.source + ")");
        }
        System.out.printf("[parity] %s: %d steps, loss %.4f -> %.4f (cpu) / %.4f -> %.4f (opencl-aparapi), largest difference %.3g%n",
                data.source, STEPS, cpu[0], cpu[STEPS - 1], cl[0], cl[STEPS - 1], worst);
        assertTrue(cpu[STEPS - 1] < cpu[0] * 0.7, "training should reduce the loss: " + cpu[0] + " -> " + cpu[STEPS - 1]);
    }

    private static float[] train(Device device, Data data) {
        SplittableRandom random = new SplittableRandom(SEED);
        long liveBefore = device.liveAllocations();
        float[] losses = new float[STEPS];
        try (Sequential model = Sequential.of(new Flatten(), new Linear(784, 32, device, random), new ReLU(), new Linear(32, 10, device, random));
             CrossEntropyLoss loss = new CrossEntropyLoss();
             SGD sgd = new SGD(model.parameters(), LR);
             Tensor x = device.zeros(Shape.of(BATCH, 1, 28, 28));
             Tensor y = device.zeros(Shape.of(BATCH), io.tessera.DType.INT32)) {
            FloatBuffer features = FloatBuffer.allocate(BATCH * 784);
            int[] labels = new int[BATCH];
            for (int s = 0; s < STEPS; s++) {
                data.batch(s, features, labels);
                device.kernels().copyFromBuffer(features.flip(), x, 0);
                device.kernels().copyFromHost(labels, 0, y, 0, BATCH);
                Tensor logits = model.forward(x);
                losses[s] = loss.forward(logits, y).item();
                model.backward(loss.backward());
                sgd.step();
            }
        }
        assertEquals(liveBefore, device.liveAllocations(), "training leaked on " + device.id());
        return losses;
    }

    /** The training samples, as features in [0, 1] and labels. */
    static final class Data {
        final String source;
        private final InMemoryDataset mnist;
        private final int[] order;

        private Data(String source, InMemoryDataset mnist) {
            this.source = source;
            this.mnist = mnist;
            int n = mnist != null ? mnist.size() : STEPS * BATCH;
            order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            SplittableRandom shuffle = new SplittableRandom(SEED + 1);
            for (int i = n - 1; i > 0; i--) {
                int j = shuffle.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }

        static Data load() throws IOException {
            String root = System.getProperty("tessera.data");
            if (root != null && !root.isBlank()) {
                Path dir = Path.of(root, "mnist");
                Path images = dir.resolve("train-images-idx3-ubyte.gz");
                Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
                if (Files.isReadable(images) && Files.isReadable(labels)) {
                    return new Data("MNIST from " + dir, IdxReader.readDataset(images, labels, 10));
                }
            }
            return new Data("synthetic data (no MNIST under tessera.data)", null);
        }

        /** Fills batch {@code step}: features row-major into {@code features} (cleared first), labels into {@code labels}. */
        void batch(int step, FloatBuffer features, int[] labels) {
            features.clear();
            int from = (step * BATCH) % (order.length - BATCH + 1);
            if (mnist != null) {
                mnist.gather(order, from, BATCH, features, labels, 0);
                return;
            }
            for (int k = 0; k < BATCH; k++) {
                int sample = order[from + k];
                SplittableRandom r = new SplittableRandom(SEED * 31 + sample);
                int label = sample % 10;
                labels[k] = label;
                for (int p = 0; p < 784; p++) {
                    int row = p / 28;
                    int col = p % 28;
                    boolean blob = Math.abs(row - 4 - 2 * label) < 3 && Math.abs(col - 14) < 8;
                    features.put((float) Math.min(1.0, (blob ? 0.8 : 0.0) + 0.2 * r.nextDouble()));
                }
            }
        }
    }
}
