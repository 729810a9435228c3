package io.tessera.train;

import io.tessera.data.BatchTransform;
import io.tessera.data.DataLoader;
import io.tessera.data.DeviceDataLoader;
import io.tessera.data.InMemoryDataset;
import io.tessera.Shape;
import io.tessera.nn.BatchNorm1d;
import io.tessera.nn.Checkpoint;
import io.tessera.nn.Dropout;
import io.tessera.nn.Flatten;
import io.tessera.nn.Linear;
import io.tessera.nn.Parameter;
import io.tessera.nn.ReLU;
import io.tessera.nn.Sequential;
import io.tessera.optim.Adam;
import io.tessera.optim.LearningRateSchedule;
import io.tessera.optim.Optimizer;
import io.tessera.optim.SGD;
import io.tessera.reference.ReferenceDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run resumed from a training checkpoint, at an epoch end or within an epoch, ends with the same weights, bit for
 * bit, as an uninterrupted one; with dropout, batch-norm, shuffling, augmentation and Adam all in play.
 */
class ResumeTest {
    private static final int EPOCHS = 4;
    private final ReferenceDevice device = new ReferenceDevice("ref");
    private final InMemoryDataset data = dataset(96, 3);
    private final InMemoryDataset valData = dataset(32, 4);

    @TempDir
    Path dir;

    @AfterEach
    void noLeaks() {
        assertEquals(0, device.liveAllocations(), "live allocations after the test");
    }

    private static InMemoryDataset dataset(int n, long seed) {
        return io.tessera.parallel.ParityFixture.dataset(n, seed);
    }

    /** One process's worth of run: a model, an optimizer and loaders built from the seeds, as a launcher would. */
    private final class Run implements AutoCloseable {
        final Sequential model;
        final Optimizer optimizer;
        final DeviceDataLoader train;
        final DeviceDataLoader val;
        final Trainer trainer = new Trainer(device);

        Run(boolean adam) {
            SplittableRandom r = new SplittableRandom(7);
            model = Sequential.of(new Flatten(), new Linear(16, 12, device, r), new BatchNorm1d(12, device), new ReLU(),
                    new Dropout(0.3, 11), new Linear(12, 4, device, r));
            optimizer = adam ? new Adam(model.parameters(), 0.01) : new SGD(model.parameters(), 0.1, 0.9, 1e-4);
            train = new DeviceDataLoader(DataLoader.builder(data, 16).shuffle(5).transform(BatchTransform.randomShift(1, 5)).build(), device);
            val = new DeviceDataLoader(DataLoader.builder(valData, 16).build(), device);
        }

        List<EpochResult> fit(int epochs, TrainingCheckpoints checkpoints) {
            trainer.checkpoints(checkpoints);
            return trainer.fit(epochs, 0.01, model, train, val, optimizer, LearningRateSchedule.stepDecay(2, 0.5));
        }

        List<float[]> weights() {
            List<float[]> w = new ArrayList<>();
            for (Parameter p : model.parameters()) {
                w.add(p.value().toFloatArray());
            }
            model.buffers().forEach(b -> w.add(b.value().toFloatArray()));
            return w;
        }

        @Override
        public void close() {
            trainer.close();
            train.close();
            val.close();
            optimizer.close();
            model.close();
        }
    }

    private List<float[]> uninterrupted(boolean adam, List<EpochResult> history) {
        try (Run run = new Run(adam)) {
            history.addAll(run.fit(EPOCHS, null));
            return run.weights();
        }
    }

    private static void assertSameWeights(List<float[]> expected, List<float[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "tensor " + i + " differs");
        }
    }

    private static void assertSameHistory(List<EpochResult> expected, List<EpochResult> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).epoch(), actual.get(i).epoch());
            assertEquals(expected.get(i).trainLoss(), actual.get(i).trainLoss(), "train loss of epoch " + i);
            assertEquals(expected.get(i).valLoss(), actual.get(i).valLoss(), "val loss of epoch " + i);
            assertEquals(expected.get(i).learningRate(), actual.get(i).learningRate());
        }
    }

    @Test
    void resumingAfterAnEpochEndRepeatsTheUninterruptedRunBitForBit() {
        for (boolean adam : new boolean[] {true, false}) {
            List<EpochResult> expectedHistory = new ArrayList<>();
            List<float[]> expected = uninterrupted(adam, expectedHistory);
            Path folder = dir.resolve(adam ? "adam" : "sgd");
            try (Run first = new Run(adam)) {
                first.fit(2, TrainingCheckpoints.in(folder));
            }
            try (Run second = new Run(adam)) {
                List<EpochResult> history = second.fit(EPOCHS, TrainingCheckpoints.in(folder).resume(true));
                Resumed resumed = second.trainer.resumed().orElseThrow();
                assertEquals(2, resumed.epoch());
                assertEquals(0, resumed.batch());
                assertEquals(folder.resolve("epoch-0001.tsr"), resumed.file());
                assertSameHistory(expectedHistory, history);
                assertSameWeights(expected, second.weights());
            }
        }
    }

    @Test
    void resumingWithinAnEpochRepeatsTheUninterruptedRunBitForBit() {
        List<EpochResult> expectedHistory = new ArrayList<>();
        List<float[]> expected = uninterrupted(true, expectedHistory);
        Path folder = dir.resolve("mid");
        TrainingCheckpoints everyBatch = TrainingCheckpoints.in(folder).every(Duration.ofNanos(1)).keepLast(2);
        try (Run first = new Run(true)) {
            first.trainer.addListener(new TrainingListener() {
                @Override
                public void onBatchEnd(int epoch, int batch) {
                    if (epoch == 1 && batch == 3) {
                        throw new IllegalStateException("simulated crash");
                    }
                }
            });
            assertThrows(IllegalStateException.class, () -> first.fit(EPOCHS, everyBatch));
        }
        try (Run second = new Run(true)) {
            List<EpochResult> history = second.fit(EPOCHS, everyBatch.resume(true));
            Resumed resumed = second.trainer.resumed().orElseThrow();
            assertEquals(1, resumed.epoch());
            assertEquals(3, resumed.batch());
            assertEquals("epoch-0001-batch-000003.tsr", resumed.file().getFileName().toString());
            assertSameHistory(expectedHistory, history);
            assertSameWeights(expected, second.weights());
        }
    }

    @Test
    void aCorruptNewestCheckpointIsReportedAndThePreviousOneUsed() throws IOException {
        List<EpochResult> expectedHistory = new ArrayList<>();
        List<float[]> expected = uninterrupted(true, expectedHistory);
        Path folder = dir.resolve("corrupt");
        try (Run first = new Run(true)) {
            first.fit(3, TrainingCheckpoints.in(folder));
        }
        Path newest = folder.resolve("epoch-0002.tsr");
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(newest, bytes);
        Files.write(folder.resolve(".epoch-0003.tsr.123.tmp"), new byte[] {1, 2, 3});
        try (Run second = new Run(true)) {
            List<String> heard = new ArrayList<>();
            second.trainer.addListener(new TrainingListener() {
                @Override
                public void onResume(Resumed resumed) {
                    heard.addAll(resumed.skipped());
                }
            });
            List<EpochResult> history = second.fit(EPOCHS, TrainingCheckpoints.in(folder).resume(true));
            assertEquals(folder.resolve("epoch-0001.tsr"), second.trainer.resumed().orElseThrow().file());
            assertEquals(1, heard.size(), heard.toString());
            assertTrue(heard.get(0).contains("epoch-0002.tsr") && heard.get(0).contains("CRC-32"), heard.get(0));
            assertSameHistory(expectedHistory, history);
            assertSameWeights(expected, second.weights());
        }
        assertFalse(Files.exists(folder.resolve(".epoch-0003.tsr.123.tmp")), "the killed writer's temporary is deleted");
        try (var files = Files.list(folder)) {
            assertEquals(List.of("epoch-0001.tsr", "epoch-0002.tsr", "epoch-0003.tsr"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "the newest three are kept");
        }
    }

    @Test
    void aTrainingCheckpointLoadsAsAModel() throws IOException {
        Path folder = dir.resolve("model");
        try (Run run = new Run(true)) {
            run.fit(1, TrainingCheckpoints.in(folder).metadata(Map.of("input", "1x4x4")));
            Checkpoint.Loaded loaded = Checkpoint.load(folder.resolve("epoch-0000.tsr"), device);
            try (Sequential model = loaded.model()) {
                assertEquals("1x4x4", loaded.metadata().get("input"));
                assertEquals(run.model.toString(), model.toString());
                assertArrayEquals(run.model.parameters().get(0).value().toFloatArray(), model.parameters().get(0).value().toFloatArray());
                assertEquals(((Dropout) run.model.layers().get(4)).offset(), ((Dropout) model.layers().get(4)).offset(),
                        "dropout's offset is saved");
                assertTrue(((Dropout) model.layers().get(4)).offset() > 0);
            }
        }
    }

    @Test
    void anEarlierRunsCheckpointsAreNotOverwrittenWithoutResume() {
        Path folder = dir.resolve("earlier");
        try (Run first = new Run(true)) {
            first.fit(1, TrainingCheckpoints.in(folder));
        }
        try (Run second = new Run(true)) {
            ResumeException e = assertThrows(ResumeException.class, () -> second.fit(2, TrainingCheckpoints.in(folder)));
            assertTrue(e.getMessage().contains("epoch-0000.tsr") && e.getMessage().contains("earlier run"), e.getMessage());
        }
    }

    @Test
    void resumingARunWithOtherSettingsOrAnotherOptimizerFailsNamingTheDifference() {
        Path folder = dir.resolve("settings");
        try (Run first = new Run(true)) {
            first.fit(1, TrainingCheckpoints.in(folder).run(Map.of("lr", "0.01", "seed", "7")));
        }
        try (Run second = new Run(true)) {
            ResumeException e = assertThrows(ResumeException.class,
                    () -> second.fit(2, TrainingCheckpoints.in(folder).run(Map.of("lr", "0.02", "seed", "7")).resume(true)));
            assertTrue(e.getMessage().contains("lr 0.01 there, 0.02 here"), e.getMessage());
            assertEquals(0, ((Adam) second.optimizer).steps(), "nothing was restored");
        }
        try (Run sgd = new Run(false)) {
            ResumeException e = assertThrows(ResumeException.class,
                    () -> sgd.fit(2, TrainingCheckpoints.in(folder).run(Map.of("lr", "0.01", "seed", "7")).resume(true)));
            assertTrue(e.getMessage().contains("io.tessera.optim.Adam"), e.getMessage());
        }
    }

    @Test
    void resumingAnEmptyFolderStartsFromScratch() {
        try (Run run = new Run(true)) {
            List<EpochResult> history = run.fit(1, TrainingCheckpoints.in(dir.resolve("none")).resume(true));
            assertEquals(1, history.size());
            assertTrue(run.trainer.resumed().isEmpty());
            assertNotNull(history.get(0).validation());
        }
    }
}
