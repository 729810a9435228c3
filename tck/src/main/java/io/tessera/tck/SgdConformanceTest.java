package io.tessera.tck;

import io.tessera.Scope;
import io.tessera.Shape;
import io.tessera.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Conformance of {@code sgdStep}: plain SGD with a null velocity, momentum over several steps (each step compared
 * from the device's own previous state, so errors do not compound), and weight decay.
 */
public abstract class SgdConformanceTest extends ConformanceTestBase {

    @ParameterizedTest(name = "{0} parameters, lr {1}, weight decay {2}")
    @CsvSource({"1, 0.1, 0", "7, 0.01, 0", "257, 0.5, 0", "4099, 0.1, 0", "33, 0.1, 0.01", "1000, 0.05, 0.0005"})
    void withoutMomentumVelocityMayBeNull(int n, float lr, float weightDecay) {
        SplittableRandom r = random("sgd", n, lr, weightDecay);
        float[] param = uniform(r, n, -1, 1);
        float[] grad = uniform(r, n, -1, 1);
        try (Tensor p = device().of(param, Shape.of(n)); Tensor g = device().of(grad, Shape.of(n))) {
            kernels().sgdStep(p, g, null, lr, 0f, weightDecay);
            Reference.sgdStep(param, grad, null, lr, 0f, weightDecay).param().assertMatches("sgd step", p.toFloatArray());
            assertArrayEquals(grad, g.toFloatArray(), "sgdStep must not change the gradient");
        }
    }

    @Test
    void withoutMomentumAVelocityIsLeftAlone() {
        float[] param = uniform(random("sgd velocity untouched"), 17, -1, 1);
        float[] grad = uniform(random("sgd velocity untouched", 1), 17, -1, 1);
        float[] velocity = new float[17];
        Arrays.fill(velocity, 42f);
        try (Scope s = device().scope()) {
            Tensor p = s.of(param, Shape.of(17));
            Tensor v = s.of(velocity, Shape.of(17));
            kernels().sgdStep(p, s.of(grad, Shape.of(17)), v, 0.1f, 0f, 0f);
            Reference.sgdStep(param, grad, null, 0.1f, 0f, 0f).param().assertMatches("sgd step", p.toFloatArray());
            assertArrayEquals(velocity, v.toFloatArray(), "momentum 0 must leave the velocity alone");
        }
    }

    @ParameterizedTest(name = "{0} parameters, lr {1}, momentum {2}, weight decay {3}")
    @CsvSource({"1, 0.1, 0.9, 0", "65, 0.1, 0.9, 0", "4099, 0.01, 0.9, 0", "127, 0.05, 0.9, 0.0005", "33, 0.1, 0.5, 0.01"})
    void momentumOverSeveralSteps(int n, float lr, float momentum, float weightDecay) {
        SplittableRandom r = random("sgd momentum", n, lr, momentum, weightDecay);
        float[] param = uniform(r, n, -1, 1);
        float[] velocity = new float[n];
        try (Scope s = device().scope()) {
            Tensor p = s.of(param, Shape.of(n));
            Tensor v = s.zeros(Shape.of(n));
            Tensor g = s.zeros(Shape.of(n));
            for (int step = 1; step <= 5; step++) {
                float[] grad = uniform(r, n, -1, 1);
                kernels().copyFromHost(grad, 0, g, 0, n);
                kernels().sgdStep(p, g, v, lr, momentum, weightDecay);
                Reference.Sgd expected = Reference.sgdStep(param, grad, velocity, lr, momentum, weightDecay);
                param = p.toFloatArray();
                velocity = v.toFloatArray();
                expected.param().assertMatches("parameters after step " + step, param);
                expected.velocity().assertMatches("velocity after step " + step, velocity);
            }
        }
    }
}
