package io.tessera.optim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LearningRateScheduleTest {

    @Test
    void constantKeepsTheBaseRate() {
        LearningRateSchedule s = LearningRateSchedule.constant();
        for (int epoch = 0; epoch < 5; epoch++) {
            assertEquals(0.25, s.rate(epoch, 0.25));
        }
    }

    @Test
    void stepDecayIsPyTorchsStepLR() {
        LearningRateSchedule s = LearningRateSchedule.stepDecay(3, 0.1);
        double[] expected = {1, 1, 1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.001};
        for (int epoch = 0; epoch < expected.length; epoch++) {
            assertEquals(expected[epoch], s.rate(epoch, 1.0), 1e-15, "epoch " + epoch);
        }
        assertEquals(0.5 * 0.5, LearningRateSchedule.stepDecay(1, 0.5).rate(1, 0.5), 1e-15);
    }

    @Test
    void stepDecayRejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.stepDecay(0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.stepDecay(2, -0.1));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.stepDecay(2, Double.NaN));
    }
}
