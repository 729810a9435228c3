package io.tessera.slide;

import io.tessera.DType;
import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.nn.CrossEntropyLoss;
import io.tessera.nn.Linear;
import io.tessera.slide.data.ExtremeDataset;
import io.tessera.slide.data.SparseBatch;
import io.tessera.slide.data.SyntheticExtreme;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With every neuron active, the SLIDE layer is the dense layer: same loss, gradients and Adam updates. */
class DenseEquivalenceTest {
    private static final int IN = 24;
    private static final int CLASSES = 300;
    private static final int N = 16;

    private final Device cpu = Devices.get("cpu");

    private static SlideConfig everyNeuron() {
        return SlideConfig.defaults(CLASSES).withActive(CLASSES, 0);
    }

    private static float[] hidden(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] h = new float[N * IN];
        for (int i = 0; i < h.length; i++) {
            h[i] = (float) Math.max(0, r.nextGaussian());
        }
        return h;
    }

    private static SparseBatch batch() {
        ExtremeDataset data = SyntheticExtreme.of(CLASSES, 1000, 20, 5).generate(0, N);
        int[] order = new int[N];
        for (int i = 0; i < N; i++) {
            order[i] = i;
        }
        SparseBatch b = new SparseBatch();
        data.gather(order, 0, N, b);
        return b;
    }

    @Test
    void lossAndGradientsMatchTheDenseLayer() {
        SparseBatch batch = batch();
        float[] h = hidden(1);
        try (Linear linear = new Linear(IN, CLASSES, cpu, new SplittableRandom(3));
             CrossEntropyLoss loss = new CrossEntropyLoss();
             Tensor x = cpu.of(h, Shape.of(N, IN));
             Tensor labels = cpu.ofInts(firstLabels(batch), Shape.of(N));
             Workers workers = new Workers(2)) {
            SlideLinear slide = SlideLinear.withWeights(linear.weight().value().toFloatArray(),
                    linear.bias().value().toFloatArray(), everyNeuron(), 1e-3, 9, cpu);
            Tensor logits = linear.forward(x);
            float denseLoss = loss.forward(logits, labels).item();
            Tensor dx = linear.backward(loss.backward(), true);

            float[] gradHidden = new float[N * IN];
            float[] gw = new float[CLASSES * IN];
            float[] gb = new float[CLASSES];
            float slideLoss = slide.gradients(batch, h, gradHidden, gw, gb, workers);

            assertEquals(denseLoss, slideLoss, 1e-5 * Math.max(1, Math.abs(denseLoss)));
            assertClose(linear.weight().grad().toFloatArray(), gw, "weight gradient");
            assertClose(linear.bias().grad().toFloatArray(), gb, "bias gradient");
            assertClose(dx.toFloatArray(), gradHidden, "input gradient");
            assertEquals(CLASSES, slide.takeMeanActive(), 0.0);

            int[] denseTop = new int[N];
            int[] slideTop = new int[N];
            float[] z = logits.toFloatArray();
            for (int s = 0; s < N; s++) {
                int best = 0;
                for (int c = 1; c < CLASSES; c++) {
                    if (z[s * CLASSES + c] > z[s * CLASSES + best]) {
                        best = c;
                    }
                }
                denseTop[s] = best;
            }
            slide.predictTop1(h, N, slideTop);
            assertEquals(java.util.Arrays.toString(denseTop), java.util.Arrays.toString(slideTop), "exact top-1");
        }
    }

    /**
     * Deterministic updates on 1 and 2 threads, HOGWILD on 1: on more threads HOGWILD's unlocked additions may lose a
     * gradient by design, so it is held to learning ({@code SlideTrainingTest}), not to equality.
     */
    @Test
    void adamStepsMatchTheDenseLayerOnEveryThreadCount() {
        SparseBatch batch = batch();
        for (SlideConfig.Updates updates : SlideConfig.Updates.values()) {
            for (int threads : updates == SlideConfig.Updates.HOGWILD ? new int[] {1} : new int[] {1, 2}) {
                try (DenseOutput dense = new DenseOutput(new Linear(IN, CLASSES, cpu, new SplittableRandom(4)), 1e-2, N);
                     Workers workers = new Workers(threads)) {
                    SlideLinear slide = SlideLinear.withWeights(dense.linear().weight().value().toFloatArray(),
                            dense.linear().bias().value().toFloatArray(), everyNeuron().withUpdates(updates), 1e-2, 9, cpu);
                    float[] gd = new float[N * IN];
                    float[] gs = new float[N * IN];
                    for (int step = 0; step < 3; step++) {
                        float[] h = hidden(10 + step);
                        float ld = dense.trainBatch(batch, h, gd, workers);
                        float ls = slide.trainBatch(batch, h, gs, workers);
                        assertEquals(ld, ls, 1e-5 * Math.max(1, Math.abs(ld)), "loss of step " + step);
                        assertClose(gd, gs, "input gradient of step " + step + " (" + updates + ", " + threads + " threads)");
                    }
                    assertClose(dense.linear().weight().value().toFloatArray(), slide.weights(), "weights after 3 Adam steps ("
                            + updates + ", " + threads + " threads)");
                    assertClose(dense.linear().bias().value().toFloatArray(), slide.bias(), "bias after 3 Adam steps");
                    assertEquals(3, slide.updates(0));
                }
            }
        }
    }

    private static int[] firstLabels(SparseBatch b) {
        int[] y = new int[b.size()];
        for (int s = 0; s < b.size(); s++) {
            y[s] = b.labels()[b.labelPointers()[s]];
        }
        return y;
    }

    static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 0, what + ": all zero, nothing compared");
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-5 * Math.max(scale, 1e-3) + 1e-7;
            if (Math.abs(expected[i] - actual[i]) > tol) {
                throw new AssertionError(what + " differs at " + i + ": dense " + expected[i] + ", slide " + actual[i]
                        + " (tolerance " + tol + ")");
            }
        }
    }

    @Test
    void theDeviceCsrHoldsTheBatch() {
        SparseBatch b = batch();
        try (var csr = io.tessera.slide.data.CsrTensors.upload(b, cpu)) {
            assertEquals(DType.INT32, csr.indices().dtype());
            assertEquals(b.nonZeros(), csr.values().size());
            int[] pointers = csr.rowPointers().toIntArray();
            assertEquals(b.nonZeros(), pointers[N]);
            assertEquals(b.featureIndices()[b.nonZeros() - 1], csr.indices().toIntArray()[b.nonZeros() - 1]);
            assertEquals(b.featureValues()[3], csr.values().toFloatArray()[3]);
        }
    }
}
