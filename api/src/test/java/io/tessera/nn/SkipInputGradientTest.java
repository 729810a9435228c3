package io.tessera.nn;

import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.reference.ReferenceDevice;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@code backward(g, false)} gives the same parameter gradients as {@code backward(g)} and no input gradient. */
class SkipInputGradientTest {
    private static final Device DEVICE = new ReferenceDevice("skip-grad:0");

    private static Sequential model() {
        SplittableRandom random = new SplittableRandom(7);
        return Sequential.of(new Flatten(), new Linear(12, 6, DEVICE, random), new ReLU(), new Linear(6, 4, DEVICE, random));
    }

    @Test
    void sequentialSkipsOnlyTheInputGradient() {
        SplittableRandom random = new SplittableRandom(3);
        float[] x = new float[5 * 12];
        float[] g = new float[5 * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) random.nextDouble(-1, 1);
        }
        try (Sequential full = model(); Sequential skip = model();
             Tensor input = DEVICE.of(x, Shape.of(5, 3, 4)); Tensor grad = DEVICE.of(g, Shape.of(5, 4))) {
            full.forward(input);
            skip.forward(input);
            Tensor dx = full.backward(grad);
            assertNotNull(dx);
            assertEquals(input.shape(), dx.shape());
            assertNull(skip.backward(grad, false));
            List<Parameter> expected = full.parameters();
            List<Parameter> actual = skip.parameters();
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i).grad().toFloatArray(), actual.get(i).grad().toFloatArray(), expected.get(i).name());
            }
        }
    }

    @Test
    void linearReturnsNullWithoutInputGradient() {
        try (Linear layer = new Linear(3, 2, DEVICE, new SplittableRandom(1));
             Tensor x = DEVICE.of(new float[] {1, 2, 3, 4, 5, 6}, Shape.of(2, 3));
             Tensor g = DEVICE.of(new float[] {1, -1, 0.5f, 2}, Shape.of(2, 2))) {
            layer.forward(x);
            assertNull(layer.backward(g, false));
            float[] weightGrad = layer.weight().grad().toFloatArray();
            assertArrayEquals(new float[] {3, 4.5f, 6, 7, 8, 9}, weightGrad);
        }
    }
}
