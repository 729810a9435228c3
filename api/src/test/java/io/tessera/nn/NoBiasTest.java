package io.tessera.nn;

import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.reference.ReferenceDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code bias=false} on Linear and Conv2d: no bias parameter, the same output as a zero bias, and checkpoints that say so. */
class NoBiasTest {
    private final ReferenceDevice device = new ReferenceDevice("ref");

    @TempDir
    Path dir;

    @AfterEach
    void noLeaks() {
        assertEquals(0, device.liveAllocations(), "leaked allocations");
    }

    @Test
    void layersWithoutBiasComputeAsAZeroBiasWould() {
        float[] x = new float[2 * 3 * 5 * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 7) * 0.25f - 0.5f;
        }
        try (Conv2d without = new Conv2d(3, 4, 3, 1, 1, false, device, new SplittableRandom(5));
             Conv2d with = new Conv2d(3, 4, 3, 1, 1, true, device, new SplittableRandom(5));
             Linear linear = new Linear(75, 6, false, device, new SplittableRandom(5));
             Tensor input = device.of(x, Shape.of(2, 3, 5, 5))) {
            assertNull(without.bias());
            assertEquals(List.of(without.weight()), without.parameters());
            assertEquals(List.of(linear.weight()), linear.parameters());
            assertArrayEquals(with.weight().value().toFloatArray(), without.weight().value().toFloatArray(),
                    "weights are drawn first either way");
            with.bias().load(new float[4]);
            assertArrayEquals(with.forward(input).toFloatArray(), without.forward(input).toFloatArray());
            Tensor g = without.forward(input);
            assertEquals(Shape.of(2, 4, 5, 5), g.shape());
            without.backward(g, false);
            Tensor flat = input.view(Shape.of(2, 75));
            assertEquals(Shape.of(2, 6), linear.forward(flat).shape());
            linear.backward(linear.forward(flat), true);
        }
    }

    @Test
    void checkpointsRecordTheMissingBias() throws IOException {
        Path file = dir.resolve("nobias.tsr");
        try (Sequential model = Sequential.of(new Conv2d(1, 2, 3, 1, 0, false, device, new SplittableRandom(1)), new Flatten(),
                new Linear(2 * 4 * 4, 3, false, device, new SplittableRandom(2)), new Linear(3, 2, device, new SplittableRandom(3)))) {
            assertEquals(0, model.layers().get(0).spec().attribute("bias"));
            Checkpoint.save(model, Map.of(), file);
            try (Sequential loaded = Checkpoint.load(file, device).model()) {
                assertNull(((Conv2d) loaded.layers().get(0)).bias());
                assertNull(((Linear) loaded.layers().get(2)).bias());
                assertEquals(5, loaded.parameters().size() + 1, "conv weight, linear weight, linear weight and bias");
                for (int i = 0; i < model.parameters().size(); i++) {
                    assertArrayEquals(model.parameters().get(i).value().toFloatArray(), loaded.parameters().get(i).value().toFloatArray());
                }
            }
        }
        LayerSpec bad = new LayerSpec(Linear.TYPE, Map.of("in", 2, "out", 2, "bias", 7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BuiltinLayers.LinearFactory().create(bad, device));
        assertEquals("Linear: attribute bias must be 0 or 1, got 7", e.getMessage());
    }
}
