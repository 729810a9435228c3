package io.tessera.tck;

import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.nn.CrossEntropyLoss;
import io.tessera.nn.Layer;
import io.tessera.nn.Linear;
import io.tessera.nn.ReLU;
import io.tessera.nn.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;


/**
 * Finite-difference checks of whole layers on the device under test: the analytic gradients of
 * {@link Linear}, {@link ReLU} and {@link CrossEntropyLoss} (inputs and parameters) against central differences of
 * the objective {@code sum(forward(x) * r)} for a fixed random {@code r}.
 *
 * <p>Tolerance ({@link FiniteDifferences}): central differences with step {@value FiniteDifferences#STEP} in float32
 * carry a rounding error of about {@code ulp(objective) / STEP} (objectives here are O(10), so ~1e-4) plus, for the
 * curved loss, a truncation error of O(STEP^2) ~ 1e-4; {@value FiniteDifferences#TOLERANCE} absolute plus 1 %
 * relative covers both with margin while still catching
 * a wrong transpose, a missing term or a factor of two.
 */
public abstract class GradientConformanceTest extends ConformanceTestBase {
    private static final int CHECKS_PER_TENSOR = 12;

    @ParameterizedTest(name = "Linear({0}, {1}), batch {2}")
    @CsvSource({"1, 1, 1", "7, 3, 5", "33, 17, 4"})
    void linearGradients(int in, int out, int batch) {
        SplittableRandom random = random("linear", in, out, batch);
        try (Linear layer = new Linear(in, out, device(), random)) {
            checkLayer(layer, Shape.of(batch, in), random, -1, 1);
        }
    }

    @Test
    void reluGradients() {
        SplittableRandom random = random("relu");
        try (ReLU layer = new ReLU()) {
            checkLayer(layer, Shape.of(6, 9), random, -1, 1);
        }
    }

    @Test
    void mlpGradients() {
        SplittableRandom random = random("mlp");
        try (Sequential model = Sequential.of(new Linear(12, 8, device(), random), new ReLU(), new Linear(8, 5, device(), random))) {
            checkLayer(model, Shape.of(4, 12), random, -1, 1);
        }
    }

    @ParameterizedTest(name = "cross-entropy {0}x{1}")
    @CsvSource({"1, 2", "5, 10", "17, 3"})
    void crossEntropyGradient(int rows, int classes) {
        SplittableRandom random = random("ce", rows, classes);
        float[] logits = uniform(random, rows * classes, -3, 3);
        int[] labels = ints(random, rows, 0, classes);
        try (CrossEntropyLoss loss = new CrossEntropyLoss();
             Tensor z = device().of(logits, Shape.of(rows, classes));
             Tensor y = device().ofInts(labels, Shape.of(rows))) {
            loss.forward(z, y);
            float[] analytic = loss.backward().toFloatArray();
            for (int i = 0; i < logits.length; i++) {
                double numeric = FiniteDifferences.central(logits, i, () -> kernels().copyFromHost(logits, 0, z, 0, logits.length),
                        () -> loss.forward(z, y).item());
                assertClose(numeric, analytic[i], "d loss / d logits[" + i + "]");
            }
        }
    }

    private void checkLayer(Layer layer, Shape inputShape, SplittableRandom random, double lo, double hi) {
        float[] x = awayFromZero(uniform(random, (int) inputShape.size(), lo, hi));
        FiniteDifferences.checkLayer(device(), layer, x, inputShape, random, CHECKS_PER_TENSOR, false, "");
    }

    /** Moves inputs out of the band where a ReLU kink lies within one finite-difference step. */
    private static float[] awayFromZero(float[] x) {
        for (int i = 0; i < x.length; i++) {
            if (Math.abs(x[i]) < 0.1f) {
                x[i] = x[i] < 0 ? x[i] - 0.1f : x[i] + 0.1f;
            }
        }
        return x;
    }

    private void assertClose(double numeric, double analytic, String what) {
        FiniteDifferences.assertClose(numeric, analytic, what, device());
    }
}
