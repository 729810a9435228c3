package io.tessera.opencl.aparapi;

import io.tessera.Device;
import io.tessera.Scope;
import io.tessera.Shape;
import io.tessera.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A label outside the classes must not give a plausible gradient: its row turns NaN, the others stay exact. */
class OutOfRangeLabelTest {

    @BeforeAll
    static void needsOpenCl() {
        OpenCl.require();
    }

    @Test
    void gradientRowOfABadLabelIsNaN() {
        Device device = OpenCl.device();
        try (Scope s = device.scope()) {
            Tensor logits = s.of(new float[] {1, 2, 3, 0.5f, 0.5f, 0.5f}, Shape.of(2, 3));
            Tensor labels = s.ofInts(new int[] {7, 1}, Shape.of(2));
            Tensor grad = s.empty(Shape.of(2, 3), io.tessera.DType.FLOAT32);
            device.kernels().softmaxCrossEntropyBackward(logits, labels, grad);
            float[] g = grad.toFloatArray();
            for (int j = 0; j < 3; j++) {
                assertTrue(Float.isNaN(g[j]), "row 0 (label 7 of 3 classes) must be NaN, got " + g[j] + " at " + j);
                assertFalse(Float.isNaN(g[3 + j]), "row 1 (label 1) must stay finite, got " + g[3 + j]);
            }
            assertTrue(Math.abs(g[4] - (1f / 3 - 1) / 2) < 1e-6, "row 1's label column: " + g[4]);
        }
    }
}
