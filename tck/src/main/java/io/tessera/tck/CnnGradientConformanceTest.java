package io.tessera.tck;

import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.nn.BatchNorm2d;
import io.tessera.nn.Conv2d;
import io.tessera.nn.Dropout;
import io.tessera.nn.Layer;
import io.tessera.nn.MaxPool2d;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Finite-difference checks of the CNN layers on the device under test: the analytic gradients of {@link Conv2d}
 * (input, weight, bias), {@link MaxPool2d}, {@link BatchNorm2d} in training mode (input, gamma, beta) and
 * {@link Dropout} with a fixed mask, against central differences of the objective {@code sum(forward(x) * r)} for a
 * fixed random {@code r}. Tensors are small, since OpenCL CPU drivers run these too.
 *
 * <p>Tolerance as in {@link GradientConformanceTest} ({@link FiniteDifferences}): step
 * {@value FiniteDifferences#STEP} in float32, {@value FiniteDifferences#TOLERANCE} absolute plus 1 % relative.
 * Convolution and dropout are linear in what is perturbed (no truncation error); max-pool inputs are spaced further
 * apart than two steps so no arg-max changes; batch-norm inputs have unit-order variance so the O(STEP^2) truncation
 * error stays far below the tolerance.
 */
public abstract class CnnGradientConformanceTest extends ConformanceTestBase {
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
                    double numeric = FiniteDifferences.central(x, i, () -> kernels().copyFromHost(x, 0, input, 0, x.length),
                            () -> freshObjective(fresh, input, r));
                    FiniteDifferences.assertClose(numeric, gradInput[i], "Dropout d objective / d input[" + i + "]", d);
                }
            }
        }
    }

    private static double freshObjective(Supplier<Dropout> fresh, Tensor input, float[] r) {
        try (Dropout layer = fresh.get()) {
            return FiniteDifferences.objective(layer, input, r);
        }
    }

    private void checkLayer(Layer layer, float[] x, Shape inputShape, SplittableRandom random) {
        FiniteDifferences.checkLayer(device(), layer, x, inputShape, random, CHECKS_PER_TENSOR, true, layer + " ");
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
}
