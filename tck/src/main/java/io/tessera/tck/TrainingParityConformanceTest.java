package io.tessera.tck;

import io.tessera.DType;
import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.nn.CrossEntropyLoss;
import io.tessera.nn.Flatten;
import io.tessera.nn.Linear;
import io.tessera.nn.ReLU;
import io.tessera.nn.Sequential;
import io.tessera.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parity of whole training runs: the tutorial's model (784 -> 32 ReLU -> 10, SGD at 0.5 with momentum 0.9 for
 * the last half, batch 128) trained for {@value #STEPS} steps from the same seed on the device under test and on the
 * kit's plain-Java reference device. The two loss curves must agree step by step.
 *
 * <p>Tolerance: both run float32, so they differ only in rounding (summation order inside GEMM and reductions),
 * about 1e-6 relative per step. Training is a contraction around a minimum, so these differences stay small rather
 * than compounding: measured on the cpu backend the worst step differs by under 1e-4. The bar, {@value #TOLERANCE}
 * absolute per step and {@value #MEAN_TOLERANCE} on the mean over the last 50 steps, leaves an order of magnitude
 * for other summation orders (GPU reductions) while a wrong kernel (a lost bias, a wrong gradient scale, a
 * momentum off by a step) moves the curve by more than 1e-2 within a few dozen steps.
 */
public abstract class TrainingParityConformanceTest extends ConformanceTestBase {
    static final int STEPS = 200;
    static final int BATCH = 128;
    static final double TOLERANCE = 2e-3;
    static final double MEAN_TOLERANCE = 5e-4;

    @Test
    void lossCurveMatchesTheReferenceDevice() {
        float[] test = train(device());
        float[] reference = train(otherDevice());
        double worst = 0;
        for (int step = 0; step < STEPS; step++) {
            assertTrue(Float.isFinite(test[step]), "loss at step " + step + " on " + device().id() + " is " + test[step]);
            worst = Math.max(worst, Math.abs(test[step] - reference[step]));
            int s = step;
            assertEquals(reference[step], test[step], TOLERANCE, () -> "loss at step " + s + " on " + device().id()
                    + " vs the reference device");
        }
        double meanTest = 0;
        double meanRef = 0;
        for (int step = STEPS - 50; step < STEPS; step++) {
            meanTest += test[step] / 50.0;
            meanRef += reference[step] / 50.0;
        }
        assertEquals(meanRef, meanTest, MEAN_TOLERANCE, "mean loss of the last 50 steps");
        assertTrue(test[STEPS - 1] < 0.5 * test[0], "the model learns: loss " + test[0] + " -> " + test[STEPS - 1]);
        System.out.printf("parity on %s: worst step difference %.2e over %d steps%n", device().id(), worst, STEPS);
    }

    /** Trains on {@code device} and returns the loss of every step. */
    private static float[] train(Device device) {
        SplittableRandom init = new SplittableRandom(2024);
        SyntheticDigits data = new SyntheticDigits(42);
        float[] losses = new float[STEPS];
        try (Sequential model = Sequential.of(new Flatten(), new Linear(784, 32, device, init), new ReLU(), new Linear(32, 10, device, init));
             CrossEntropyLoss lossFn = new CrossEntropyLoss();
             Tensor x = device.empty(Shape.of(BATCH, 1, 28, 28), DType.FLOAT32);
             Tensor y = device.empty(Shape.of(BATCH), DType.INT32);
             SGD plain = new SGD(model.parameters(), 0.5);
             SGD momentum = new SGD(model.parameters(), 0.05, 0.9, 1e-4)) {
            float[] features = new float[BATCH * 784];
            int[] labels = new int[BATCH];
            for (int step = 0; step < STEPS; step++) {
                data.batch(features, labels);
                device.kernels().copyFromHost(features, 0, x, 0, features.length);
                device.kernels().copyFromHost(labels, 0, y, 0, labels.length);
                losses[step] = lossFn.forward(model.forward(x), y).item();
                model.backward(lossFn.backward());
                (step < STEPS / 2 ? plain : momentum).step();
            }
        }
        return losses;
    }
}
