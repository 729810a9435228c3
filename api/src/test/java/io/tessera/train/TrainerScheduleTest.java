package io.tessera.train;

import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.data.DeviceBatch;
import io.tessera.nn.Linear;
import io.tessera.optim.LearningRateSchedule;
import io.tessera.optim.SGD;
import io.tessera.reference.ReferenceDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TrainerScheduleTest {
    private final ReferenceDevice device = new ReferenceDevice("trainer");

    @AfterEach
    void noLeaks() {
        assertEquals(0, device.liveAllocations(), "live allocations after the test");
    }

    private List<EpochResult> fit(LearningRateSchedule schedule, SGD[] optimizerOut) {
        try (Tensor x = device.of(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0}, Shape.of(4, 3));
             Tensor y = device.ofInts(new int[] {0, 1, 0, 1}, Shape.of(4));
             Linear model = new Linear(3, 2, device, new SplittableRandom(1));
             SGD sgd = new SGD(model.parameters(), 0.1);
             Trainer trainer = new Trainer(device)) {
            List<DeviceBatch> batches = List.of(new DeviceBatch(x, y, 4));
            List<EpochResult> results = schedule == null
                    ? trainer.fit(3, 0.1, model, batches, batches, sgd)
                    : trainer.fit(3, 0.1, model, batches, batches, sgd, schedule);
            optimizerOut[0] = sgd;
            return results;
        }
    }

    @Test
    void scheduleSetsTheRateOfEachEpochAndResultsRecordIt() {
        SGD[] sgd = new SGD[1];
        List<EpochResult> results = fit(LearningRateSchedule.stepDecay(1, 0.5), sgd);
        assertEquals(List.of(0.1, 0.05, 0.025), results.stream().map(EpochResult::learningRate).toList());
        assertEquals(0.025, sgd[0].learningRate());
    }

    @Test
    void fitWithoutScheduleKeepsTheRate() {
        SGD[] sgd = new SGD[1];
        List<EpochResult> results = fit(null, sgd);
        assertEquals(List.of(0.1, 0.1, 0.1), results.stream().map(EpochResult::learningRate).toList());
    }

    @Test
    void negativeScheduledRateFails() {
        SGD[] sgd = new SGD[1];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fit((epoch, base) -> -base, sgd));
        assertEquals(true, e.getMessage().contains("schedule"), e.getMessage());
    }
}
