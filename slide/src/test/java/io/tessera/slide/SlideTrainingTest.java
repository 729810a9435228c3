package io.tessera.slide;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.slide.data.ExtremeDataset;
import io.tessera.slide.data.SyntheticExtreme;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SLIDE trains a small extreme classifier: it learns, it samples as configured, and its result is reproducible. */
class SlideTrainingTest {
    private static final int CLASSES = 2000;
    private static final int FEATURES = 4000;
    private static final SyntheticExtreme GEN = SyntheticExtreme.of(CLASSES, FEATURES, 30, 7);
    private static final ExtremeDataset TRAIN = GEN.generate(0, 12_000);
    private static final ExtremeDataset TEST = GEN.generate(12_000, 1000);

    private final Device cpu = Devices.get("cpu");

    private static SlideConfig config() {
        return SlideConfig.defaults(CLASSES).withActive(128, 64).withRehash(10, 1.5);
    }

    private record Run(float[] weights, float[] hiddenWeights, double p1, double meanActive, int rehashes) {
    }

    private Run train(SlideConfig config, int threads, int epochs) {
        try (Workers workers = new Workers(threads)) {
            SparseLinear hidden = new SparseLinear(FEATURES, 32, 0.01, 1);
            SlideLinear slide = new SlideLinear(32, CLASSES, config, 0.01, 2, cpu);
            try (ExtremeNetwork net = new ExtremeNetwork(hidden, slide, workers, 64, 3)) {
                double active = 0;
                for (int e = 0; e < epochs; e++) {
                    active = net.trainEpoch(TRAIN, e).meanActive();
                }
                return new Run(slide.weights().clone(), hidden.weights().clone(), net.precisionAt1(TEST), active,
                        slide.rehashes());
            }
        }
    }

    @Test
    void learnsAndSamplesWithinTheConfiguredBounds() {
        Run run = train(config(), 2, 3);
        assertTrue(run.p1() > 0.25, "precision@1 after 3 epochs: " + run.p1());
        assertTrue(run.meanActive() >= 64 && run.meanActive() <= 129, "active neurons per sample: " + run.meanActive());
        assertTrue(run.rehashes() >= 3, "rehashed on the growing schedule: " + run.rehashes());
    }

    @Test
    void deterministicUpdatesGiveTheSameWeightsOnOneAndTwoThreads() {
        Run one = train(config(), 1, 1);
        Run two = train(config(), 2, 1);
        assertArrayEquals(one.weights(), two.weights());
        assertArrayEquals(one.hiddenWeights(), two.hiddenWeights());
        assertEquals(one.p1(), two.p1());
    }

    @Test
    void hogwildUpdatesLearnToo() {
        Run run = train(config().withUpdates(SlideConfig.Updates.HOGWILD), 2, 3);
        assertTrue(run.p1() > 0.25, "precision@1 with HOGWILD updates: " + run.p1());
    }

    @Test
    void simHashTablesWork() {
        Run run = train(config().withHash(SlideConfig.Hash.SIMHASH, 8, 20), 2, 2);
        assertTrue(run.p1() > 0.1, "precision@1 with SimHash: " + run.p1());
    }

    @Test
    void sampledEvaluationScoresOnlyRetrievedNeurons() {
        try (Workers workers = new Workers(2)) {
            SparseLinear hidden = new SparseLinear(FEATURES, 32, 0.01, 1);
            SlideLinear slide = new SlideLinear(32, CLASSES, config(), 0.01, 2, cpu);
            try (ExtremeNetwork net = new ExtremeNetwork(hidden, slide, workers, 64, 3)) {
                net.trainEpoch(TRAIN, 0);
                double exact = net.precisionAt1(TEST);
                double sampled = net.precisionAt1(TEST, true);
                assertTrue(sampled > 0 && sampled <= 1, "sampled " + sampled);
                assertTrue(exact > 0, "exact " + exact);
            }
        }
    }

    @Test
    void refusesDataThatDoesNotFitTheNetwork() {
        try (Workers workers = new Workers(1)) {
            SparseLinear hidden = new SparseLinear(100, 8, 0.01, 1);
            SlideLinear slide = new SlideLinear(8, 50, SlideConfig.defaults(50), 0.01, 2, cpu);
            try (ExtremeNetwork net = new ExtremeNetwork(hidden, slide, workers, 16, 3)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.trainEpoch(TRAIN, 0));
                assertTrue(e.getMessage().contains("4000 features but the network takes 100"), e.getMessage());
            }
            assertThrows(IllegalArgumentException.class, () -> new ExtremeNetwork(new SparseLinear(10, 8, 0.01, 1),
                    new SlideLinear(16, 50, SlideConfig.defaults(50), 0.01, 2, cpu), workers, 16, 3));
        }
    }
}
