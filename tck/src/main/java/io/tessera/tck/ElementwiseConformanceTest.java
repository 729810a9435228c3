package io.tessera.tck;

import io.tessera.DType;
import io.tessera.Scope;
import io.tessera.Shape;
import io.tessera.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance of the element-wise kernels ({@code add}, {@code mul}, {@code scale}, {@code axpy}, {@code relu},
 * {@code reluBackward}) and the row/column kernels ({@code addBias}, {@code columnSums}), out of place and in place,
 * against {@link Reference} within {@link Tolerances}.
 */
public abstract class ElementwiseConformanceTest extends ConformanceTestBase {

    /** Sizes up to one past the range a backend may split over threads or work-groups (70,001 > 2^16). */
    static IntStream sizes() {
        return IntStream.of(1, 3, 7, 17, 33, 65, 127, 257, 1000, 4099, 70_001);
    }

    static Stream<Arguments> sizesAndInPlace() {
        return sizes().boxed().flatMap(n -> Stream.of(Arguments.of(n, false), Arguments.of(n, true)));
    }

    static Stream<Arguments> matrices() {
        return Stream.of(new int[] {1, 1}, new int[] {1, 7}, new int[] {3, 1}, new int[] {7, 17}, new int[] {33, 65},
                new int[] {127, 10}, new int[] {257, 3}, new int[] {64, 784}).map(d -> Arguments.of(d[0], d[1]));
    }

    static Stream<Arguments> matricesAndInPlace() {
        return matrices().flatMap(a -> Stream.of(Arguments.of(a.get()[0], a.get()[1], false), Arguments.of(a.get()[0], a.get()[1], true)));
    }

    private static float[] inputs(String op, int n, int which) {
        return uniform(random(op, n, which), n, -2, 2);
    }

    @ParameterizedTest(name = "{0} elements, in place: {1}")
    @MethodSource("sizesAndInPlace")
    void add(int n, boolean inPlace) {
        float[] a = inputs("add", n, 0);
        float[] b = inputs("add", n, 1);
        try (Scope s = device().scope()) {
            Tensor ta = s.of(a, Shape.of(n));
            Tensor tb = s.of(b, Shape.of(n));
            Tensor out = inPlace ? ta : s.empty(Shape.of(n), DType.FLOAT32);
            kernels().add(ta, tb, out);
            Reference.add(a, b).assertMatches("add of " + n, out.toFloatArray());
            assertArrayEquals(b, tb.toFloatArray(), "add must not change b");
        }
    }

    @ParameterizedTest(name = "{0} elements, in place: {1}")
    @MethodSource("sizesAndInPlace")
    void mul(int n, boolean inPlace) {
        float[] a = inputs("mul", n, 0);
        float[] b = inputs("mul", n, 1);
        try (Scope s = device().scope()) {
            Tensor ta = s.of(a, Shape.of(n));
            Tensor tb = s.of(b, Shape.of(n));
            Tensor out = inPlace ? tb : s.empty(Shape.of(n), DType.FLOAT32);
            kernels().mul(ta, tb, out);
            Reference.mul(a, b).assertMatches("mul of " + n, out.toFloatArray());
            assertArrayEquals(a, ta.toFloatArray(), "mul must not change a");
        }
    }

    @Test
    void addWithAllThreeTheSameTensor() {
        float[] a = inputs("add self", 65, 0);
        try (Tensor t = device().of(a, Shape.of(65))) {
            kernels().add(t, t, t);
            Reference.add(a, a).assertMatches("add(t, t, t)", t.toFloatArray());
        }
    }

    @ParameterizedTest(name = "alpha {0}, {1} elements, in place: {2}")
    @CsvSource({"1, 1, false", "0.5, 17, false", "-2, 257, false", "0, 33, false", "1, 7, true", "0.5, 1000, true", "-2, 4099, true"})
    void scale(float alpha, int n, boolean inPlace) {
        float[] x = inputs("scale", n, 0);
        try (Scope s = device().scope()) {
            Tensor tx = s.of(x, Shape.of(n));
            Tensor out = inPlace ? tx : s.empty(Shape.of(n), DType.FLOAT32);
            kernels().scale(alpha, tx, out);
            Reference.scale(alpha, x).assertMatches("scale by " + alpha, out.toFloatArray());
        }
    }

    @ParameterizedTest(name = "alpha {0}, {1} elements")
    @CsvSource({"1, 1", "0.5, 17", "-2, 257", "0, 33", "-0.001, 4099"})
    void axpy(float alpha, int n) {
        float[] x = inputs("axpy", n, 0);
        float[] y = inputs("axpy", n, 1);
        try (Tensor tx = device().of(x, Shape.of(n)); Tensor ty = device().of(y, Shape.of(n))) {
            kernels().axpy(alpha, tx, ty);
            Reference.axpy(alpha, x, y).assertMatches("axpy with alpha " + alpha, ty.toFloatArray());
            assertArrayEquals(x, tx.toFloatArray(), "axpy must not change x");
        }
    }

    @Test
    void axpyWithXTheSameTensorAsY() {
        float[] y = inputs("axpy self", 33, 0);
        try (Tensor t = device().of(y, Shape.of(33))) {
            kernels().axpy(-0.5f, t, t);
            Reference.axpy(-0.5f, y, y).assertMatches("axpy(-0.5, y, y)", t.toFloatArray());
        }
    }

    @ParameterizedTest(name = "{0} elements, in place: {1}")
    @MethodSource("sizesAndInPlace")
    void relu(int n, boolean inPlace) {
        float[] x = withZeros(inputs("relu", n, 0));
        try (Scope s = device().scope()) {
            Tensor tx = s.of(x, Shape.of(n));
            Tensor out = inPlace ? tx : s.empty(Shape.of(n), DType.FLOAT32);
            kernels().relu(tx, out);
            float[] actual = out.toFloatArray();
            Reference.relu(x).assertMatches("relu of " + n, actual);
            for (int i = 0; i < n; i++) {
                assertTrue(actual[i] >= 0f, "relu gave " + actual[i] + " at " + i + " for input " + x[i]);
            }
        }
    }

    @Test
    void reluKeepsNaNAndGivesPositiveZero() {
        float[] x = {Float.NaN, -0f, -1f, 2f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        try (Scope s = device().scope()) {
            Tensor tx = s.of(x, Shape.of(x.length));
            Tensor out = s.empty(Shape.of(x.length), DType.FLOAT32);
            kernels().relu(tx, out);
            float[] actual = out.toFloatArray();
            assertTrue(Float.isNaN(actual[0]), "relu(NaN) must be NaN, got " + actual[0]);
            assertEquals(0, Float.floatToRawIntBits(actual[1]), "relu(-0) must be +0, got bits " + Integer.toHexString(Float.floatToRawIntBits(actual[1])));
            assertEquals(0f, actual[2]);
            assertEquals(2f, actual[3]);
            assertEquals(Float.POSITIVE_INFINITY, actual[4]);
            assertEquals(0f, actual[5]);
        }
    }

    @ParameterizedTest(name = "{0} elements, x is the ReLU's output: {1}")
    @MethodSource("sizesAndInPlace")
    void reluBackward(int n, boolean fromOutput) {
        float[] x = withZeros(inputs("relu backward", n, 0));
        float[] gradOut = inputs("relu backward", n, 1);
        try (Scope s = device().scope()) {
            Tensor tx = s.of(x, Shape.of(n));
            if (fromOutput) {
                kernels().relu(tx, tx);
            }
            Tensor tg = s.of(gradOut, Shape.of(n));
            Tensor gradIn = s.empty(Shape.of(n), DType.FLOAT32);
            kernels().reluBackward(tx, tg, gradIn);
            Reference.reluBackward(x, gradOut).assertMatches("reluBackward of " + n, gradIn.toFloatArray());
        }
    }

    @Test
    void reluBackwardInPlaceOverGradOut() {
        float[] x = withZeros(inputs("relu backward in place", 127, 0));
        float[] gradOut = inputs("relu backward in place", 127, 1);
        try (Tensor tx = device().of(x, Shape.of(127)); Tensor tg = device().of(gradOut, Shape.of(127))) {
            kernels().reluBackward(tx, tg, tg);
            Reference.reluBackward(x, gradOut).assertMatches("reluBackward in place", tg.toFloatArray());
        }
    }

    @ParameterizedTest(name = "{0}x{1}, in place: {2}")
    @MethodSource("matricesAndInPlace")
    void addBias(int rows, int cols, boolean inPlace) {
        float[] x = inputs("add bias", rows * cols, 0);
        float[] bias = inputs("add bias", cols, 1);
        try (Scope s = device().scope()) {
            Tensor tx = s.of(x, Shape.of(rows, cols));
            Tensor tb = s.of(bias, Shape.of(cols));
            Tensor out = inPlace ? tx : s.empty(Shape.of(rows, cols), DType.FLOAT32);
            kernels().addBias(tx, tb, out);
            Reference.addBias(x, cols, bias).assertMatches("addBias " + rows + "x" + cols, out.toFloatArray());
        }
    }

    @ParameterizedTest(name = "{0}x{1}")
    @MethodSource("matrices")
    void columnSums(int rows, int cols) {
        float[] x = inputs("column sums", rows * cols, 0);
        try (Tensor tx = device().of(x, Shape.of(rows, cols)); Tensor out = device().empty(Shape.of(cols), DType.FLOAT32)) {
            kernels().fill(out, Float.NaN);
            kernels().columnSums(tx, out);
            Reference.columnSums(x, rows, cols).assertMatches("columnSums " + rows + "x" + cols, out.toFloatArray());
        }
    }

    @Test
    void columnSumsOfManyRowsOfLargeValues() {
        int rows = 4096;
        float[] x = uniform(random("column sums large"), rows * 3, 1e3, 1e4);
        try (Tensor tx = device().of(x, Shape.of(rows, 3)); Tensor out = device().zeros(Shape.of(1, 3))) {
            kernels().columnSums(tx, out);
            Reference.columnSums(x, rows, 3).assertMatches("columnSums " + rows + "x3", out.toFloatArray());
        }
    }

    @Test
    void rowsViewsSeeOnlyTheirRows() {
        float[] x = inputs("bias on rows view", 40, 0);
        float[] bias = inputs("bias on rows view", 4, 1);
        try (Scope s = device().scope()) {
            Tensor full = s.of(x, Shape.of(10, 4));
            Tensor top = s.track(full.rows(3));
            Tensor out = s.zeros(Shape.of(3, 4));
            Tensor sums = s.zeros(Shape.of(4));
            kernels().addBias(top, s.of(bias, Shape.of(4)), out);
            kernels().columnSums(top, sums);
            float[] first = Arrays.copyOf(x, 12);
            Reference.addBias(first, 4, bias).assertMatches("addBias on rows(3)", out.toFloatArray());
            Reference.columnSums(first, 3, 4).assertMatches("columnSums on rows(3)", sums.toFloatArray());
        }
    }

    private static float[] withZeros(float[] x) {
        SplittableRandom r = random("zeros", x.length);
        for (int i = 0; i < x.length; i += 1 + r.nextInt(5)) {
            x[i] = 0f;
        }
        return x;
    }
}
