package io.tessera.optim;

import io.tessera.Shape;
import io.tessera.nn.Parameter;
import io.tessera.reference.ReferenceDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdamTest {
    private final ReferenceDevice device = new ReferenceDevice("adam");

    @AfterEach
    void noLeaks() {
        assertEquals(0, device.liveAllocations(), "live allocations after the test");
    }

    /**
     * Two steps from p = (1, -2) with gradients (0.5, -1) then (-0.25, 2), lr 0.1, PyTorch's defaults. By hand,
     * element 0, step 2: m = 0.9 * 0.05 + 0.1 * -0.25 = 0.02, v = 0.999 * 2.5e-4 + 0.001 * 0.0625 = 3.1225e-4,
     * bc1 = 0.19, bc2 = 0.001999, p = 0.9 - 0.1 * (0.02 / 0.19) / (sqrt(3.1225e-4) / sqrt(0.001999) + 1e-8) = 0.8733663.
     */
    @Test
    void twoStepsMatchTheHandComputedExample() {
        float[][] expected = {{0.9f, -1.9f}, {0.8733663f, -1.9366104f}};
        run(0, expected);
    }

    /** The same with weight decay 0.1 (g += 0.1 * p): step 1 (0.9, -1.9), step 2 (0.8544414, -1.9250179). */
    @Test
    void weightDecayIsAddedToTheGradient() {
        run(0.1, new float[][] {{0.9f, -1.9f}, {0.8544414f, -1.9250179f}});
    }

    private void run(double weightDecay, float[][] expected) {
        float[][] grads = {{0.5f, -1f}, {-0.25f, 2f}};
        try (Parameter p = new Parameter("w", device.of(new float[] {1f, -2f}, Shape.of(2)));
             Adam adam = new Adam(List.of(p), 0.1, 0.9, 0.999, 1e-8, weightDecay)) {
            for (int step = 0; step < 2; step++) {
                device.kernels().copyFromHost(grads[step], 0, p.grad(), 0, 2);
                adam.step();
                assertEquals(step + 1, adam.steps());
                assertArrayEquals(expected[step], p.value().toFloatArray(), 2e-6f, "after step " + (step + 1));
            }
        }
    }

    @Test
    void defaultsArePyTorchs() {
        try (Adam adam = new Adam(List.of(), 1e-3)) {
            assertEquals(0.9, adam.beta1());
            assertEquals(0.999, adam.beta2());
            assertEquals(1e-8, adam.eps());
            assertEquals(0, adam.weightDecay());
            assertEquals(1e-3, adam.learningRate());
            adam.setLearningRate(0.5);
            assertEquals(0.5, adam.learningRate());
        }
    }

    @Test
    void badArgumentsAreNamed() {
        List<Parameter> none = List.of();
        assertMessage("learning rate", assertThrows(IllegalArgumentException.class, () -> new Adam(none, -1)));
        assertMessage("beta1", assertThrows(IllegalArgumentException.class, () -> new Adam(none, 0.1, 1, 0.999, 1e-8, 0)));
        assertMessage("beta2", assertThrows(IllegalArgumentException.class, () -> new Adam(none, 0.1, 0.9, -0.1, 1e-8, 0)));
        assertMessage("eps", assertThrows(IllegalArgumentException.class, () -> new Adam(none, 0.1, 0.9, 0.999, Double.NaN, 0)));
        assertMessage("eps", assertThrows(IllegalArgumentException.class, () -> new Adam(none, 0.1, 0.9, 0.999, 0, 0)));
        assertMessage("eps", assertThrows(IllegalArgumentException.class, () -> new Adam(none, 0.1, 0.9, 0.999, 1e-50, 0)));
        assertMessage("weight decay", assertThrows(IllegalArgumentException.class, () -> new Adam(none, 0.1, 0.9, 0.999, 1e-8, -1)));
        try (Adam adam = new Adam(none, 0.1)) {
            assertMessage("learning rate", assertThrows(IllegalArgumentException.class, () -> adam.setLearningRate(Double.POSITIVE_INFINITY)));
        }
    }

    private static void assertMessage(String part, Exception e) {
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
