package io.tessera.tck;

import io.tessera.Scope;
import io.tessera.Shape;
import io.tessera.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Conformance of {@code adamStep} against {@link CnnReference#adamStep} (PyTorch's {@code torch.optim.Adam}): steps
 * 1 to 5, each compared from the device's own previous state (so errors do not compound), with and without weight
 * decay, odd sizes, and a late step (1000) where the bias corrections are close to 1.
 */
public abstract class AdamConformanceTest extends ConformanceTestBase {

    @ParameterizedTest(name = "{0} parameters, lr {1}, betas {2}/{3}, eps {4}, weight decay {5}")
    @CsvSource({
        "1, 0.001, 0.9, 0.999, 1e-8, 0",
        "7, 0.01, 0.9, 0.999, 1e-8, 0",
        "257, 0.001, 0.9, 0.999, 1e-8, 0.01",
        "4099, 0.1, 0.8, 0.99, 1e-6, 0",
        "33, 0.003, 0.5, 0.9, 1e-3, 0.0005",
        "65, 0.001, 0, 0.999, 1e-8, 0.1",
    })
    void severalSteps(int n, float lr, float beta1, float beta2, float eps, float weightDecay) {
        SplittableRandom r = random("adam", n, lr, beta1, beta2, eps, weightDecay);
        float[] param = uniform(r, n, -1, 1);
        float[] m = new float[n];
        float[] v = new float[n];
        try (Scope s = device().scope()) {
            Tensor tp = s.of(param, Shape.of(n));
            Tensor tm = s.zeros(Shape.of(n));
            Tensor tv = s.zeros(Shape.of(n));
            Tensor tg = s.zeros(Shape.of(n));
            for (int step = 1; step <= 5; step++) {
                float[] grad = uniform(r, n, -1, 1);
                kernels().copyFromHost(grad, 0, tg, 0, n);
                kernels().adamStep(tp, tg, tm, tv, lr, beta1, beta2, eps, weightDecay, step);
                CnnReference.Adam expected = CnnReference.adamStep(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step);
                param = tp.toFloatArray();
                m = tm.toFloatArray();
                v = tv.toFloatArray();
                expected.param().assertMatches("parameters after step " + step, param);
                expected.m().assertMatches("first moment after step " + step, m);
                expected.v().assertMatches("second moment after step " + step, v);
                assertArrayEquals(grad, tg.toFloatArray(), "adamStep must not change the gradient");
            }
        }
    }

    @Test
    void aLateStep() {
        int n = 129;
        SplittableRandom r = random("adam late step");
        float[] param = uniform(r, n, -1, 1);
        float[] grad = uniform(r, n, -1, 1);
        float[] m = uniform(r, n, -0.1, 0.1);
        float[] v = uniform(r, n, 0, 0.01);
        try (Scope s = device().scope()) {
            Tensor tp = s.of(param, Shape.of(n));
            Tensor tm = s.of(m, Shape.of(n));
            Tensor tv = s.of(v, Shape.of(n));
            for (int step : new int[] {1000, 1001}) {
                float[] before = tp.toFloatArray();
                float[] mBefore = tm.toFloatArray();
                float[] vBefore = tv.toFloatArray();
                kernels().adamStep(tp, s.of(grad, Shape.of(n)), tm, tv, 0.001f, 0.9f, 0.999f, 1e-8f, 0.01f, step);
                CnnReference.Adam expected = CnnReference.adamStep(before, grad, mBefore, vBefore, 0.001f, 0.9f, 0.999f, 1e-8f, 0.01f, step);
                expected.param().assertMatches("parameters after step " + step, tp.toFloatArray());
                expected.m().assertMatches("first moment after step " + step, tm.toFloatArray());
                expected.v().assertMatches("second moment after step " + step, tv.toFloatArray());
            }
        }
    }
}
