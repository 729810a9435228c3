package io.tessera.tck;

import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.nn.Layer;
import io.tessera.nn.Parameter;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Central finite differences for the kit's gradient checks: step {@value #STEP} in float32, and a tolerance of
 * {@value #TOLERANCE} absolute plus 1 % relative (see {@link GradientConformanceTest} for why). The objective of a
 * layer is {@code sum(forward(x) * r)} for a fixed random {@code r}.
 */
final class FiniteDifferences {
    static final float STEP = 1e-2f;
    static final double TOLERANCE = 2e-3;

    private FiniteDifferences() {
    }

    /**
     * {@code (f(v + STEP) - f(v - STEP)) / (2 STEP)} at {@code values[i]}, calling {@code upload} after each change of
     * {@code values} (which ends as it started).
     */
    static double central(float[] values, int i, Runnable upload, DoubleSupplier objective) {
        float saved = values[i];
        values[i] = saved + STEP;
        upload.run();
        double plus = objective.getAsDouble();
        values[i] = saved - STEP;
        upload.run();
        double minus = objective.getAsDouble();
        values[i] = saved;
        upload.run();
        return (plus - minus) / (2 * STEP);
    }

    /** {@code sum(layer.forward(input) * r)} in double. */
    static double objective(Layer layer, Tensor input, float[] r) {
        float[] y = layer.forward(input).toFloatArray();
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += (double) y[i] * r[i];
        }
        return s;
    }

    static void assertClose(double numeric, double analytic, String what, Device device) {
        double allowed = TOLERANCE + 0.01 * Math.abs(numeric);
        assertTrue(Double.isFinite(analytic), () -> what + " on " + device.id() + " is " + analytic);
        assertEquals(numeric, analytic, allowed, () -> what + " on " + device.id() + ": finite difference " + numeric
                + ", backward " + analytic);
    }

    /**
     * Checks {@code layer}'s input gradient and every parameter gradient at up to {@code checks} elements each: random
     * elements, or, with {@code allWhenFew}, every element of a parameter that has at most {@code checks}.
     *
     * @param label prefixed to each failure's description
     */
    static void checkLayer(Device device, Layer layer, float[] x, Shape inputShape, SplittableRandom random, int checks,
                           boolean allWhenFew, String label) {
        try (Tensor input = device.of(x, inputShape)) {
            Tensor y = layer.forward(input);
            float[] r = ConformanceTestBase.uniform(random, (int) y.size(), -1, 1);
            try (Tensor seed = device.of(r, y.shape())) {
                float[] gradInput = layer.backward(seed).toFloatArray();
                float[][] gradParams = layer.parameters().stream().map(p -> p.grad().toFloatArray()).toArray(float[][]::new);
                DoubleSupplier objective = () -> objective(layer, input, r);
                for (int k = 0; k < Math.min(checks, x.length); k++) {
                    int i = random.nextInt(x.length);
                    double numeric = central(x, i, () -> device.kernels().copyFromHost(x, 0, input, 0, x.length), objective);
                    assertClose(numeric, gradInput[i], label + "d objective / d input[" + i + "]", device);
                }
                int pi = 0;
                for (Parameter p : layer.parameters()) {
                    float[] values = p.value().toFloatArray();
                    for (int k = 0; k < Math.min(checks, values.length); k++) {
                        int i = allWhenFew && values.length <= checks ? k : random.nextInt(values.length);
                        double numeric = central(values, i, () -> p.load(values), objective);
                        assertClose(numeric, gradParams[pi][i], label + "d objective / d " + p.name() + "[" + i + "]", device);
                    }
                    pi++;
                }
            }
        }
    }
}
