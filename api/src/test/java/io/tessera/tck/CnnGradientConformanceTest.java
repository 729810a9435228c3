package io.tessera.tck;

import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.nn.BatchNorm2d;
import io.tessera.nn.Conv2d;
import io.tessera.nn.Dropout;
import io.tessera.nn.Layer;
import io.tessera.nn.MaxPool2d;
import io.tessera.nn.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finite-difference checks of the CNN layers on the device under test: the analytic gradients of {@link Conv2d}
 * (input, weight, bias), {@link MaxPool2d}, {@link BatchNorm2d} in training mode (input, gamma, beta) and
 * {@link Dropout} with a fixed mask, against central differences of the objective {@code sum(forward(x) * r)} for a
 * fixed random {@code r}. Tensors are small, since OpenCL CPU drivers run these too.
 *
 * <p>Tolerance as in {@link GradientConformanceTest}: step {@value #STEP} in float32, {@value #TOLERANCE} absolute
 * plus 1 % relative. Convolution and dropout are linear in what is perturbed (no truncation error); max-pool inputs
 * are spaced further apart than two steps so no arg-max changes; batch-norm inputs have unit-order variance so the
 * O(STEP^2) truncation error stays far below the tolerance.
 */
public abstract class CnnGradientConformanceTest extends ConformanceTestBase {
    static final float STEP = 1e-2f;
    static final double TOLERANCE = 2e-3;
    private static final int CHECKS_PER_TENSOR = 10;

    @ParameterizedTest(name = "Conv2d({0}, {1}, kernel {2}, stride {3}, padding {4}) on {5}x{0}x{6}x{7}")
    @CsvSource({
            "2, 3, 3, 1, 0, 2, 5, 5",
            "2, 2, 3, 2, 1, 2, 6, 5",
            "3, 2, 1, 1, 0, 1, 3, 4",
            "1, 2, 2, 3, 2, 2, 4, 4"})
    void conv2dGradients(int in, int out, int kernel, int stride, int padding, int batch, int height, int width) {
        SplittableRandom random = random("conv2d", in, out, kernel, stride, padding, batch, height, width);
        try (Conv2d layer = new Conv2d(in, out, kernel, stride, padding, device(), random)) {
            float[] x = uniform(random, batch * in * height * width, -1, 1);
            checkLayer(layer, x, Shape.of(batch, in, height, width), random);
        }
    }

    @ParameterizedTest(name = "MaxPool2d(kernel {0}, stride {1}, padding {2})")
    @CsvSource({"2, 2, 0", "3, 2, 1", "2, 1, 0"})
    void maxPool2dGradients(int kernel, int stride, int padding) {
        SplittableRandom random = random("maxpool", kernel, stride, padding);
        Shape shape = Shape.of(2, 2, 5, 5);
        try (MaxPool2d layer = new MaxPool2d(kernel, stride, padding)) {
            checkLayer(layer, distinct(random, (int) shape.size(), 0.05f), shape, random);
        }
    }

    @Test
    void batchNorm2dTrainingGradients() {
        SplittableRandom random = random("batchnorm2d");
        Shape shape = Shape.of(3, 2, 2, 3);
        try (BatchNorm2d layer = new BatchNorm2d(2, device())) {
            layer.weight().load(new float[] {1.5f, -0.75f});
            layer.bias().load(new float[] {0.25f, -0.5f});
            layer.train();
            checkLayer(layer, uniform(random, (int) shape.size(), -2, 2), shape, random);
        }
    }

    @Test
    void dropoutGradientWithFixedMask() {
        SplittableRandom random = random("dropout");
        Shape shape = Shape.of(3, 2, 3, 3);
        float[] x = uniform(random, (int) shape.size(), -1, 1);
        // A fresh layer with the same seed starts at offset 0, so every forward below uses the same mask.
        Supplier<Dropout> fresh = () -> new Dropout(0.4, 1234L);
        Device d = device();
        try (Dropout layer = fresh.get(); Tensor input = d.of(x, shape)) {
            Tensor y = layer.forward(input);
            float[] r = uniform(random, (int) y.size(), -1, 1);
            try (Tensor seed = d.of(r, y.shape())) {
                float[] gradInput = layer.backward(seed).toFloatArray();
                for (int i = 0; i < x.length; i++) {
                    float saved = x[i];
                    x[i] = saved + STEP;
                    kernels().copyFromHost(x, 0, input, 0, x.length);
                    double plus = freshObjective(fresh, input, r);
                    x[i] = saved - STEP;
                    kernels().copyFromHost(x, 0, input, 0, x.length);
                    double minus = freshObjective(fresh, input, r);
                    x[i] = saved;
                    kernels().copyFromHost(x, 0, input, 0, x.length);
                    assertClose((plus - minus) / (2 * STEP), gradInput[i], "Dropout d objective / d input[" + i + "]");
                }
            }
        }
    }

    private static double freshObjective(Supplier<Dropout> fresh, Tensor input, float[] r) {
        try (Dropout layer = fresh.get()) {
            return objective(layer, input, r);
        }
    }

    private void checkLayer(Layer layer, float[] x, Shape inputShape, SplittableRandom random) {
        Device d = device();
        try (Tensor input = d.of(x, inputShape)) {
            Tensor y = layer.forward(input);
            float[] r = uniform(random, (int) y.size(), -1, 1);
            try (Tensor seed = d.of(r, y.shape())) {
                float[] gradInput = layer.backward(seed).toFloatArray();
                float[][] gradParams = layer.parameters().stream().map(p -> p.grad().toFloatArray()).toArray(float[][]::new);

                for (int k = 0; k < Math.min(CHECKS_PER_TENSOR, x.length); k++) {
                    int i = random.nextInt(x.length);
                    float saved = x[i];
                    x[i] = saved + STEP;
                    kernels().copyFromHost(x, 0, input, 0, x.length);
                    double plus = objective(layer, input, r);
                    x[i] = saved - STEP;
                    kernels().copyFromHost(x, 0, input, 0, x.length);
                    double minus = objective(layer, input, r);
                    x[i] = saved;
                    kernels().copyFromHost(x, 0, input, 0, x.length);
                    assertClose((plus - minus) / (2 * STEP), gradInput[i], layer + " d objective / d input[" + i + "]");
                }
                int pi = 0;
                for (Parameter p : layer.parameters()) {
                    float[] values = p.value().toFloatArray();
                    for (int k = 0; k < Math.min(CHECKS_PER_TENSOR, values.length); k++) {
                        int i = k < values.length && values.length <= CHECKS_PER_TENSOR ? k : random.nextInt(values.length);
                        float saved = values[i];
                        values[i] = saved + STEP;
                        p.load(values);
                        double plus = objective(layer, input, r);
                        values[i] = saved - STEP;
                        p.load(values);
                        double minus = objective(layer, input, r);
                        values[i] = saved;
                        p.load(values);
                        assertClose((plus - minus) / (2 * STEP), gradParams[pi][i], layer + " d objective / d " + p.name() + "[" + i + "]");
                    }
                    pi++;
                }
            }
        }
    }

    /** A shuffled ladder of {@code n} values {@code spacing} apart, centred on 0: no two within a few steps. */
    private static float[] distinct(SplittableRandom random, int n, float spacing) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i - n / 2) * spacing;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return v;
    }

    private static double objective(Layer layer, Tensor input, float[] r) {
        float[] y = layer.forward(input).toFloatArray();
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += (double) y[i] * r[i];
        }
        return s;
    }

    private void assertClose(double numeric, double analytic, String what) {
        double allowed = TOLERANCE + 0.01 * Math.abs(numeric);
        assertTrue(Double.isFinite(analytic), () -> what + " on " + device().id() + " is " + analytic);
        assertEquals(numeric, analytic, allowed, () -> what + " on " + device().id() + ": finite difference " + numeric
                + ", backward " + analytic);
    }
}
