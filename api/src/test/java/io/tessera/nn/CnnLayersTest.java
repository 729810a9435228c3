package io.tessera.nn;

import io.tessera.DType;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.spi.Philox;
import io.tessera.reference.ReferenceDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shapes, behaviour and errors of Conv2d, MaxPool2d, Dropout and batch normalisation on the reference device. */
class CnnLayersTest {
    private final ReferenceDevice device = new ReferenceDevice("cnn");
    private final ReferenceDevice other = new ReferenceDevice("cnn-other");

    @AfterEach
    void noLeaks() {
        assertEquals(0, device.liveAllocations(), "live allocations after the test");
        assertEquals(0, other.liveAllocations(), "live allocations on the second device after the test");
    }

    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i % 11) / 5f - 1f;
        }
        return v;
    }

    private static void assertMessage(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' not in: " + e.getMessage());
        }
    }

    // ---- Conv2d ----------------------------------------------------------------------------------------------

    @Test
    void conv2dShapesAndInitialisation() {
        try (Conv2d conv = new Conv2d(3, 4, 3, 2, 1, device, new SplittableRandom(5));
             Conv2d same = new Conv2d(3, 4, 3, 2, 1, device, new SplittableRandom(5));
             Tensor x = device.of(ramp(2 * 3 * 7 * 6), Shape.of(2, 3, 7, 6))) {
            assertEquals(Shape.of(4, 3, 3, 3), conv.weight().shape());
            assertEquals(Shape.of(4), conv.bias().shape());
            assertEquals(List.of(conv.weight(), conv.bias()), conv.parameters());
            double bound = 1 / Math.sqrt(3 * 3 * 3);
            for (float w : conv.weight().value().toFloatArray()) {
                assertTrue(Math.abs(w) <= bound, "weight " + w + " outside ±" + bound);
            }
            for (float b : conv.bias().value().toFloatArray()) {
                assertTrue(Math.abs(b) <= bound, "bias " + b + " outside ±" + bound);
            }
            assertArrayEquals(conv.weight().value().toFloatArray(), same.weight().value().toFloatArray(), "same seed, same weights");
            Tensor y = conv.forward(x);
            assertEquals(Shape.of(2, 4, 4, 3), y.shape());
            assertEquals(Shape.of(2, 4, 4, 3), conv.outputShape(x.shape()));
        }
    }

    @Test
    void conv2dComputesACrossCorrelation() {
        // One 3x3 input, a 2x2 kernel [[1, 2], [3, 4]], bias 0.5, stride 1, no padding.
        try (Conv2d conv = Conv2d.uninitialised(1, 1, 2, 1, 0, device);
             Tensor x = device.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, Shape.of(1, 1, 3, 3))) {
            conv.weight().load(new float[] {1, 2, 3, 4});
            conv.bias().load(new float[] {0.5f});
            float[] y = conv.forward(x).toFloatArray();
            assertArrayEquals(new float[] {1 + 4 + 12 + 20 + 0.5f, 2 + 6 + 15 + 24 + 0.5f, 4 + 10 + 21 + 32 + 0.5f,
                    5 + 12 + 24 + 36 + 0.5f}, y);
            try (Tensor g = device.of(new float[] {1, 1, 1, 1}, Shape.of(1, 1, 2, 2))) {
                assertNull(conv.backward(g, false), "no input gradient asked for");
                assertArrayEquals(new float[] {1 + 2 + 4 + 5, 2 + 3 + 5 + 6, 4 + 5 + 7 + 8, 5 + 6 + 8 + 9},
                        conv.weight().grad().toFloatArray());
                assertArrayEquals(new float[] {4}, conv.bias().grad().toFloatArray());
                Tensor dx = conv.backward(g, true);
                assertNotNull(dx);
                assertArrayEquals(new float[] {1, 3, 2, 4, 10, 6, 3, 7, 4}, dx.toFloatArray());
            }
        }
    }

    @Test
    void conv2dRejectsBadInputNamingTheLayerAndShapes() {
        try (Conv2d conv = new Conv2d(3, 2, 5, 1, 0, device, new SplittableRandom(1));
             Tensor flat = device.zeros(Shape.of(4, 75));
             Tensor wrongChannels = device.zeros(Shape.of(1, 2, 8, 8));
             Tensor tooSmall = device.zeros(Shape.of(1, 3, 4, 8))) {
            assertMessage(assertThrows(IllegalArgumentException.class, () -> conv.forward(flat)), "Conv2d(3, 2", "4x75");
            assertMessage(assertThrows(IllegalArgumentException.class, () -> conv.forward(wrongChannels)), "Conv2d(3, 2",
                    "[batch, 3, height, width]", "1x2x8x8");
            assertMessage(assertThrows(IllegalArgumentException.class, () -> conv.forward(tooSmall)), "Conv2d(3, 2",
                    "1x3x4x8", "smaller than the 5x5 kernel");
        }
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new Conv2d(0, 2, 3, 1, 0, device, new SplittableRandom(1))),
                "Conv2d(0, 2");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Conv2d.uninitialised(1, 2, 3, 0, 0, device)), "stride 0");
        assertThrows(IllegalStateException.class, () -> {
            try (Conv2d c = Conv2d.uninitialised(1, 1, 1, 1, 0, device); Tensor g = device.zeros(Shape.of(1, 1, 1, 1))) {
                c.backward(g);
            }
        });
    }

    @Test
    void conv2dMovesBetweenDevices() {
        try (Conv2d conv = new Conv2d(1, 2, 3, 1, 1, device, new SplittableRandom(3))) {
            float[] w = conv.weight().value().toFloatArray();
            conv.to(other);
            assertSame(other, conv.weight().device());
            assertSame(other, conv.bias().device());
            assertArrayEquals(w, conv.weight().value().toFloatArray());
            try (Tensor x = other.of(ramp(25), Shape.of(1, 1, 5, 5))) {
                assertEquals(Shape.of(1, 2, 5, 5), conv.forward(x).shape());
            }
        }
    }

    // ---- MaxPool2d -------------------------------------------------------------------------------------------

    @Test
    void maxPool2dPicksTheMaximaAndRoutesTheGradient() {
        float[] x = {1, 5, 2, 0,
                     3, 4, 8, 7,
                     9, 0, 1, 1,
                     2, 6, 3, 2};
        try (MaxPool2d pool = new MaxPool2d(2);
             Tensor input = device.of(x, Shape.of(1, 1, 4, 4));
             Tensor g = device.of(new float[] {10, 20, 30, 40}, Shape.of(1, 1, 2, 2))) {
            assertEquals(2, pool.stride());
            assertEquals(0, pool.padding());
            Tensor y = pool.forward(input);
            assertEquals(Shape.of(1, 1, 2, 2), y.shape());
            assertArrayEquals(new float[] {5, 8, 9, 3}, y.toFloatArray());
            assertArrayEquals(new float[] {0, 10, 0, 0, 0, 0, 20, 0, 30, 0, 0, 0, 0, 0, 40, 0}, pool.backward(g).toFloatArray());
        }
    }

    @Test
    void maxPool2dShapesAndErrors() {
        try (MaxPool2d pool = new MaxPool2d(3, 2, 1);
             Tensor x = device.of(ramp(2 * 3 * 7 * 5), Shape.of(2, 3, 7, 5));
             Tensor flat = device.zeros(Shape.of(2, 9));
             Tensor small = device.zeros(Shape.of(1, 1, 1, 4))) {
            assertEquals(Shape.of(2, 3, 4, 3), pool.forward(x).shape());
            assertMessage(assertThrows(IllegalArgumentException.class, () -> pool.forward(flat)), "MaxPool2d(kernel 3", "2x9");
            try (MaxPool2d big = new MaxPool2d(2)) {
                assertMessage(assertThrows(IllegalArgumentException.class, () -> big.forward(small)), "MaxPool2d(kernel 2",
                        "1x1x1x4", "smaller than the 2x2 window");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(0));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2, 2, 2)), "padding 2");
    }

    // ---- Dropout ---------------------------------------------------------------------------------------------

    @Test
    void dropoutInTrainingUsesThePhiloxMaskAndAdvancesItsOffset() {
        Shape shape = Shape.of(2, 5);
        float[] x = ramp(10);
        float p = 0.5f;
        try (Dropout dropout = new Dropout(p, 77L); Tensor input = device.of(x, shape);
             Tensor g = device.of(ramp(10), shape)) {
            assertTrue(dropout.isTraining());
            for (long offset : new long[] {0, 12}) {
                assertEquals(offset, dropout.offset());
                float[] y = dropout.forward(input).toFloatArray();
                float[] dx = dropout.backward(g).toFloatArray();
                for (int i = 0; i < x.length; i++) {
                    float mask = Philox.maskValue(77L, offset + i, p);
                    assertEquals(x[i] * mask, y[i], 0f, "y[" + i + "] at offset " + offset);
                    assertEquals(x[i] * mask, dx[i], 0f, "gradient [" + i + "] at offset " + offset);
                }
            }
            assertEquals(24, dropout.offset(), "offset advances by the size rounded up to a multiple of 4");
        }
    }

    @Test
    void dropoutDropsAboutPAndScalesTheRest() {
        int n = 4000;
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        try (Dropout dropout = new Dropout(0.25, 9L); Tensor input = device.of(ones, Shape.of(40, 100))) {
            float[] y = dropout.forward(input).toFloatArray();
            int zeros = 0;
            for (float v : y) {
                if (v == 0) {
                    zeros++;
                } else {
                    assertEquals(1 / 0.75f, v, 1e-6f);
                }
            }
            assertEquals(0.25, zeros / (double) n, 0.03);
        }
    }

    @Test
    void dropoutIsTheIdentityInEvalModeAndForPZero() {
        try (Dropout dropout = new Dropout(0.5, 1L); Dropout none = new Dropout(0, 1L);
             Tensor input = device.of(ramp(8), Shape.of(2, 4)); Tensor g = device.of(ramp(8), Shape.of(2, 4))) {
            dropout.eval();
            assertFalse(dropout.isTraining());
            assertSame(input, dropout.forward(input));
            assertSame(g, dropout.backward(g));
            assertEquals(0, dropout.offset(), "evaluation draws no mask");
            assertSame(input, none.forward(input));
            assertSame(g, none.backward(g));
            dropout.train();
            assertNotEquals(input, dropout.forward(input));
        }
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1, 0));
    }

    // ---- batch normalisation ---------------------------------------------------------------------------------

    @Test
    void batchNorm2dTrainingNormalisesAndUpdatesRunningStatistics() {
        // Channel 0 holds 1..8, channel 1 holds 10 * (1..8): two samples of 2x2 each.
        float[] x = {1, 2, 3, 4, 10, 20, 30, 40, 5, 6, 7, 8, 50, 60, 70, 80};
        try (BatchNorm2d bn = new BatchNorm2d(2, device); Tensor input = device.of(x, Shape.of(2, 2, 2, 2))) {
            assertEquals(List.of("weight", "bias"), bn.parameters().stream().map(Parameter::name).toList());
            assertEquals(List.of("running_mean", "running_var"), bn.buffers().stream().map(Buffer::name).toList());
            assertArrayEquals(new float[] {0, 0}, bn.runningMean().toFloatArray());
            assertArrayEquals(new float[] {1, 1}, bn.runningVar().toFloatArray());
            float[] y = bn.forward(input).toFloatArray();
            // mean 4.5, biased variance 5.25; normalised values are (v - 4.5) / sqrt(5.25 + 1e-5) in both channels.
            for (int i = 0; i < 4; i++) {
                double expected0 = (x[i] - 4.5) / Math.sqrt(5.25 + 1e-5);
                assertEquals(expected0, y[i], 1e-5);
                assertEquals(expected0, y[4 + i], 1e-4, "channel 1 is channel 0 scaled, so normalises the same");
            }
            // running = 0.9 * old + 0.1 * batch, variance unbiased (5.25 * 8 / 7 = 6).
            assertArrayEquals(new float[] {0.45f, 4.5f}, bn.runningMean().toFloatArray(), 1e-5f);
            assertArrayEquals(new float[] {0.9f + 0.6f, 0.9f + 60f}, bn.runningVar().toFloatArray(), 1e-4f);
        }
    }

    @Test
    void batchNormEvalUsesRunningStatisticsAndLeavesThemAlone() {
        try (BatchNorm1d bn = new BatchNorm1d(3, device); Tensor input = device.of(ramp(12), Shape.of(4, 3))) {
            bn.buffers().get(0).load(new float[] {1, 0, -1});
            bn.buffers().get(1).load(new float[] {4, 1, 0.25f});
            bn.eval();
            assertFalse(bn.isTraining());
            float[] x = ramp(12);
            float[] y = bn.forward(input).toFloatArray();
            float[] mean = {1, 0, -1};
            float[] var = {4, 1, 0.25f};
            for (int i = 0; i < 12; i++) {
                int c = i % 3;
                assertEquals((x[i] - mean[c]) / Math.sqrt(var[c] + 1e-5), y[i], 1e-5, "y[" + i + "]");
            }
            assertArrayEquals(mean, bn.runningMean().toFloatArray(), "eval leaves the running mean");
            assertArrayEquals(var, bn.runningVar().toFloatArray(), "eval leaves the running variance");
            try (Tensor g = device.zeros(Shape.of(4, 3))) {
                assertMessage(assertThrows(IllegalStateException.class, () -> bn.backward(g)), "BatchNorm1d(3", "evaluation-mode");
            }
        }
    }

    @Test
    void batchNormErrorsNameTheLayerAndShape() {
        try (BatchNorm2d bn = new BatchNorm2d(4, device);
             Tensor wrong = device.zeros(Shape.of(2, 3, 2, 2));
             Tensor flat = device.zeros(Shape.of(2, 4));
             Tensor single = device.zeros(Shape.of(1, 4, 1, 1));
             BatchNorm1d bn1 = new BatchNorm1d(4, 1e-3, 0.2, device)) {
            assertMessage(assertThrows(IllegalArgumentException.class, () -> bn.forward(wrong)), "BatchNorm2d(4", "2x3x2x2");
            assertMessage(assertThrows(IllegalArgumentException.class, () -> bn.forward(flat)), "BatchNorm2d(4", "2x4");
            assertMessage(assertThrows(IllegalArgumentException.class, () -> bn.forward(single)), "more than one value per channel");
            bn.eval();
            assertEquals(Shape.of(1, 4, 1, 1), bn.forward(single).shape(), "eval mode accepts a batch of one");
            assertEquals(Shape.of(2, 4), bn1.forward(flat).shape());
            assertEquals(1e-3, bn1.eps());
            assertEquals(0.2, bn1.momentum());
        }
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(0, device));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(2, 0, 0.1, device));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(2, 1e-5, 1.5, device));
    }

    @Test
    void sequentialReachesEveryLayerWithModesBuffersAndMoves() {
        try (Sequential model = Sequential.of(new Conv2d(1, 2, 3, 1, 1, device, new SplittableRandom(2)), new BatchNorm2d(2, device),
                new ReLU(), new MaxPool2d(2), new Dropout(0.5, 3), new Flatten(), new Linear(8, 3, device, new SplittableRandom(4)),
                new BatchNorm1d(3, device))) {
            BatchNorm2d bn2 = (BatchNorm2d) model.layers().get(1);
            Dropout dropout = (Dropout) model.layers().get(4);
            BatchNorm1d bn1 = (BatchNorm1d) model.layers().get(7);
            assertEquals(List.of("running_mean", "running_var", "running_mean", "running_var"),
                    model.buffers().stream().map(Buffer::name).toList());
            model.eval();
            assertFalse(bn2.isTraining() || dropout.isTraining() || bn1.isTraining());
            model.train();
            assertTrue(bn2.isTraining() && dropout.isTraining() && bn1.isTraining());
            try (Tensor x = device.of(ramp(2 * 16), Shape.of(2, 1, 4, 4)); Tensor g = device.of(ramp(6), Shape.of(2, 3))) {
                assertEquals(Shape.of(2, 3), model.forward(x).shape());
                Tensor dx = model.backward(g);
                assertEquals(x.shape(), dx.shape());
            }
            float[] mean = bn2.runningMean().toFloatArray();
            model.to(other);
            for (Buffer b : model.buffers()) {
                assertSame(other, b.value().device(), b.name());
            }
            assertArrayEquals(mean, bn2.runningMean().toFloatArray());
            model.eval();
            try (Tensor x = other.of(ramp(16), Shape.of(1, 1, 4, 4))) {
                assertEquals(Shape.of(1, 3), model.forward(x).shape());
            }
        }
    }

    @Test
    void bufferValidatesItsName() {
        try (Tensor t = device.zeros(Shape.of(2))) {
            assertThrows(IllegalArgumentException.class, () -> new Buffer("has space", t));
            assertThrows(IllegalArgumentException.class, () -> new Buffer("x", null));
            Buffer b = new Buffer("running_mean", t);
            assertEquals(Shape.of(2), b.shape());
            assertThrows(IllegalArgumentException.class, () -> b.load(new float[3]));
            assertEquals(DType.FLOAT32, b.value().dtype());
        }
    }
}
