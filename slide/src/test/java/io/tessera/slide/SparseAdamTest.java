package io.tessera.slide;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.Shape;
import io.tessera.nn.Parameter;
import io.tessera.optim.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SparseAdamTest {
    private static final int ROWS = 7;
    private static final int WIDTH = 5;

    @ParameterizedTest
    @EnumSource(SparseAdam.Corrections.class)
    void rowsTouchedEveryStepFollowTessera_sAdamExactly(SparseAdam.Corrections corrections) {
        Device cpu = Devices.get("cpu");
        SplittableRandom r = new SplittableRandom(1);
        float[] w = new float[ROWS * WIDTH];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        float[] mine = w.clone();
        SparseAdam sparse = new SparseAdam(ROWS, WIDTH, false, corrections, 0.01, 0.9, 0.999, 1e-8);
        try (Parameter p = new Parameter("w", cpu.of(w, Shape.of(ROWS, WIDTH)));
             Adam adam = new Adam(List.of(p), 0.01)) {
            for (int step = 1; step <= 5; step++) {
                float[] g = new float[ROWS * WIDTH];
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) r.nextGaussian();
                }
                cpu.kernels().copyFromHost(g, 0, p.grad(), 0, g.length);
                adam.step();
                sparse.prepare(step);
                for (int row = 0; row < ROWS; row++) {
                    sparse.step(row, mine, row * WIDTH, g, row * WIDTH, null, 0f);
                }
            }
            float[] dense = p.value().toFloatArray();
            for (int i = 0; i < dense.length; i++) {
                assertEquals(dense[i], mine[i], 0f, "element " + i + " bit for bit");
            }
        }
    }

    @Test
    void eachRowsBiasCorrectionCountsItsOwnUpdates() {
        SparseAdam sparse = new SparseAdam(2, 1, true, SparseAdam.Corrections.PER_ROW, 0.1, 0.9, 0.999, 1e-8);
        float[] w = {0f, 0f};
        float[] bias = {0f, 0f};
        float[] g = {1f};
        sparse.prepare(10);
        sparse.step(0, w, 0, g, 0, bias, 2f);
        sparse.step(0, w, 0, g, 0, bias, 2f);
        sparse.step(1, w, 1, g, 0, bias, 2f);
        assertEquals(2, sparse.steps(0));
        assertEquals(1, sparse.steps(1));
        // a row's first update moves it by lr (m / bc1 = g, sqrt(v / bc2) = |g|), whenever it comes
        assertEquals(-0.1f, w[1], 1e-6f);
        assertEquals(-0.1f, bias[1], 1e-6f);
        assertEquals(-0.2f, w[0], 1e-6f);
    }

    @Test
    void globalStepCorrectionsUseTheOptimizersStep() {
        SparseAdam sparse = new SparseAdam(2, 1, false, SparseAdam.Corrections.GLOBAL_STEP, 0.1, 0.9, 0.999, 1e-8);
        float[] w = {0f, 0f};
        float[] g = {1f};
        sparse.prepare(1);
        sparse.step(0, w, 0, g, 0, null, 0f);
        assertEquals(-0.1f, w[0], 1e-6f, "a row touched at step 1 moves by lr");
        sparse.prepare(1000);
        sparse.step(1, w, 1, g, 0, null, 0f);
        double bc1 = 1 - Math.pow(0.9, 1000);
        double bc2 = 1 - Math.pow(0.999, 1000);
        double expected = -0.1 / bc1 * 0.1 / (Math.sqrt(0.001) / Math.sqrt(bc2) + 1e-8);
        assertEquals(expected, w[1], 1e-5, "a row first touched at step 1000 uses t = 1000");
        assertEquals(1, sparse.steps(1));
        assertThrows(IllegalArgumentException.class, () -> sparse.prepare(0));
    }
}
