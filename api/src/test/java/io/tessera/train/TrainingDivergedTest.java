package io.tessera.train;

import io.tessera.data.DataLoader;
import io.tessera.data.DeviceDataLoader;
import io.tessera.data.InMemoryDataset;
import io.tessera.nn.Flatten;
import io.tessera.nn.Linear;
import io.tessera.nn.ReLU;
import io.tessera.nn.Sequential;
import io.tessera.optim.SGD;
import io.tessera.reference.ReferenceDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run whose loss becomes NaN or infinite stops with {@link TrainingDivergedException}, writing no checkpoint of it. */
class TrainingDivergedTest {
    private final ReferenceDevice device = new ReferenceDevice("diverge");
    private final InMemoryDataset data = io.tessera.parallel.ParityFixture.dataset(64, 3);

    @TempDir
    Path dir;

    @AfterEach
    void noLeaks() {
        assertEquals(0, device.liveAllocations(), "live allocations after the test");
    }

    private TrainingDivergedException diverge(TrainingCheckpoints checkpoints, List<EpochResult> heard) throws Exception {
        SplittableRandom r = new SplittableRandom(7);
        try (Sequential model = Sequential.of(new Flatten(), new Linear(16, 12, device, r), new ReLU(), new Linear(12, 4, device, r));
             SGD sgd = new SGD(model.parameters(), 1e30);
             DeviceDataLoader train = new DeviceDataLoader(DataLoader.builder(data, 16).shuffle(5).build(), device);
             DeviceDataLoader val = new DeviceDataLoader(DataLoader.builder(data, 32).build(), device);
             Trainer trainer = new Trainer(device)) {
            trainer.checkpoints(checkpoints);
            trainer.addListener(new TrainingListener() {
                @Override
                public void onEpochEnd(EpochResult result) {
                    heard.add(result);
                }
            });
            return assertThrows(TrainingDivergedException.class, () -> trainer.fit(3, 1e30, model, train, val, sgd));
        }
    }

    @Test
    void aHugeLearningRateStopsTrainingWithTheEpochTheLossAndAHint() throws Exception {
        List<EpochResult> heard = new ArrayList<>();
        TrainingDivergedException e = diverge(null, heard);
        assertEquals(0, e.epoch());
        assertEquals(4, e.batches());
        assertFalse(Double.isFinite(e.loss()));
        assertTrue(heard.isEmpty(), "listeners heard a diverged epoch: " + heard);
        String m = e.getMessage();
        assertTrue(m.contains("epoch 1:") && m.contains("after 4 batches") && m.contains(String.valueOf(e.loss()))
                && m.contains("--lr"), m);
    }

    @Test
    void noCheckpointOfADivergedEpochIsWritten() throws Exception {
        TrainingCheckpoints checkpoints = TrainingCheckpoints.in(dir.resolve("ckpt"));
        diverge(checkpoints, new ArrayList<>());
        assertTrue(checkpoints.list().isEmpty(), "checkpoints written: " + checkpoints.list());
    }

    @Test
    void aDataParallelTrainersResultIsCheckedToo() {
        EpochResult nan = new EpochResult(2, 0.5, Double.NaN, new EvalResult(1, 0.1, 10, 0), 1, 1);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> TrainingDivergedException.requireFinite(nan));
        assertTrue(e.getMessage().startsWith("training diverged in epoch 3: the training loss is NaN at learning rate 0.5000"), e.getMessage());
        TrainingDivergedException.requireFinite(new EpochResult(2, 0.5, 0.3, new EvalResult(1, 0.1, 10, 0), 1, 1));
    }
}
