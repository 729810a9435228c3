package io.tessera.tck;

import io.tessera.DType;
import io.tessera.Scope;
import io.tessera.Shape;
import io.tessera.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Conformance of {@code batchNormTrain}, {@code batchNormEval} and {@code batchNormBackward} against
 * {@link CnnReference} for {@code [N, C]}, {@code [N, C, L]} and {@code [N, C, H, W]} inputs: the output, the saved
 * statistics and the running statistics (unbiased variance), in place, and the three gradients. One case puts the
 * data on a large common offset (mean 100, standard deviation 0.01), where the naive {@code E[x^2] - E[x]^2} loses
 * every digit of the variance in float; see {@link CnnReference#batchNormTrain} for why its bound is what a stable
 * algorithm achieves.
 */
public abstract class BatchNormConformanceTest extends ConformanceTestBase {

    private static final float MOMENTUM = 0.1f;
    private static final float EPS = 1e-5f;

    static Stream<int[]> shapes() {
        return Stream.of(new int[] {8, 5}, new int[] {2, 3}, new int[] {1, 3, 2}, new int[] {4, 3, 7}, new int[] {2, 3, 5, 5},
                new int[] {5, 4, 3, 3}, new int[] {3, 1, 7, 5});
    }

    /** Evaluation also takes one value per channel: a single sample, as in prediction. */
    static Stream<int[]> evalShapes() {
        return Stream.concat(shapes(), Stream.of(new int[] {1, 5}, new int[] {1, 4, 1, 1}));
    }

    private static int inner(int[] dims) {
        int inner = 1;
        for (int d = 2; d < dims.length; d++) {
            inner *= dims[d];
        }
        return inner;
    }

    private static int size(int[] dims) {
        return dims[0] * dims[1] * inner(dims);
    }

    @ParameterizedTest(name = "train {0}")
    @MethodSource("shapes")
    void train(int[] dims) {
        train(dims, uniform(random("batchNormTrain", dims), size(dims), -2, 3), false, "batchNormTrain " + Arrays.toString(dims));
    }

    @ParameterizedTest(name = "train in place {0}")
    @MethodSource("shapes")
    void trainInPlace(int[] dims) {
        train(dims, uniform(random("batchNormTrain in place", dims), size(dims), -2, 3), true,
                "batchNormTrain in place " + Arrays.toString(dims));
    }

    @Test
    void trainOnALargeCommonOffset() {
        int[] dims = {6, 3, 2, 2};
        // uniform over ±0.01 * sqrt(3): standard deviation 0.01 around 100
        float[] input = uniform(random("batchNormTrain offset"), size(dims), 100 - 0.01 * Math.sqrt(3), 100 + 0.01 * Math.sqrt(3));
        train(dims, input, false, "batchNormTrain of values 100 ± 0.01");
    }

    @ParameterizedTest(name = "eval {0}")
    @MethodSource("evalShapes")
    void eval(int[] dims) {
        int channels = dims[1];
        SplittableRandom r = random("batchNormEval", dims);
        float[] input = uniform(r, size(dims), -2, 3);
        float[] gamma = uniform(r, channels, -1.5, 1.5);
        float[] beta = uniform(r, channels, -1, 1);
        float[] mean = uniform(r, channels, -1, 1);
        float[] var = uniform(r, channels, 0.01, 2);
        String what = "batchNormEval " + Arrays.toString(dims);
        try (Scope s = device().scope()) {
            Tensor x = s.of(input, Shape.of(dims));
            Tensor rm = s.of(mean, Shape.of(channels));
            Tensor rv = s.of(var, Shape.of(channels));
            Tensor y = s.empty(Shape.of(dims), DType.FLOAT32);
            kernels().fill(y, Float.NaN);
            kernels().batchNormEval(x, s.of(gamma, Shape.of(channels)), s.of(beta, Shape.of(channels)), rm, rv, EPS, y);
            Expected expected = CnnReference.batchNormEval(input, channels, inner(dims), gamma, beta, mean, var, EPS);
            expected.assertMatches(what, y.toFloatArray());
            assertArrayEquals(mean, rm.toFloatArray(), what + " changed the running mean");
            assertArrayEquals(var, rv.toFloatArray(), what + " changed the running variance");
            kernels().batchNormEval(x, s.of(gamma, Shape.of(channels)), s.of(beta, Shape.of(channels)), rm, rv, EPS, x);
            expected.assertMatches(what + " in place", x.toFloatArray());
        }
    }

    @ParameterizedTest(name = "backward {0}")
    @MethodSource("shapes")
    void backward(int[] dims) {
        int channels = dims[1];
        int inner = inner(dims);
        SplittableRandom r = random("batchNormBackward", dims);
        float[] input = uniform(r, size(dims), -2, 3);
        float[] gradOutput = uniform(r, size(dims), -1, 1);
        float[] gamma = uniform(r, channels, -1.5, 1.5);
        // the saved statistics as a forward pass leaves them: float
        CnnReference.BatchNorm forward = CnnReference.batchNormTrain(input, dims[0], channels, inner, gamma, new float[channels],
                new float[channels], new float[channels], MOMENTUM, EPS);
        float[] mean = toFloats(forward.saveMean().values());
        float[] invStd = toFloats(forward.saveInvStd().values());
        String what = "batchNormBackward " + Arrays.toString(dims);
        try (Scope s = device().scope()) {
            Tensor gx = s.empty(Shape.of(dims), DType.FLOAT32);
            Tensor gg = s.empty(Shape.of(channels), DType.FLOAT32);
            Tensor gb = s.empty(Shape.of(channels), DType.FLOAT32);
            kernels().fill(gx, Float.NaN);
            kernels().fill(gg, Float.NaN);
            kernels().fill(gb, Float.NaN);
            kernels().batchNormBackward(s.of(input, Shape.of(dims)), s.of(gradOutput, Shape.of(dims)), s.of(gamma, Shape.of(channels)),
                    s.of(mean, Shape.of(channels)), s.of(invStd, Shape.of(channels)), gx, gg, gb);
            Expected[] expected = CnnReference.batchNormBackward(input, gradOutput, dims[0], channels, inner, gamma, mean, invStd);
            expected[0].assertMatches(what + ": gradInput", gx.toFloatArray());
            expected[1].assertMatches(what + ": gradGamma", gg.toFloatArray());
            expected[2].assertMatches(what + ": gradBeta", gb.toFloatArray());
        }
    }

    private void train(int[] dims, float[] input, boolean inPlace, String what) {
        int channels = dims[1];
        SplittableRandom r = random(what, dims);
        float[] gamma = uniform(r, channels, -1.5, 1.5);
        float[] beta = uniform(r, channels, -1, 1);
        float[] runningMean = uniform(r, channels, -1, 1);
        float[] runningVar = uniform(r, channels, 0.5, 2);
        CnnReference.BatchNorm expected = CnnReference.batchNormTrain(input, dims[0], channels, inner(dims), gamma, beta,
                runningMean, runningVar, MOMENTUM, EPS);
        try (Scope s = device().scope()) {
            Tensor x = s.of(input, Shape.of(dims));
            Tensor y = inPlace ? x : s.empty(Shape.of(dims), DType.FLOAT32);
            Tensor rm = s.of(runningMean, Shape.of(channels));
            Tensor rv = s.of(runningVar, Shape.of(channels));
            Tensor mean = s.empty(Shape.of(channels), DType.FLOAT32);
            Tensor invStd = s.empty(Shape.of(channels), DType.FLOAT32);
            if (!inPlace) {
                kernels().fill(y, Float.NaN);
            }
            kernels().fill(mean, Float.NaN);
            kernels().fill(invStd, Float.NaN);
            kernels().batchNormTrain(x, s.of(gamma, Shape.of(channels)), s.of(beta, Shape.of(channels)), rm, rv, MOMENTUM, EPS, y,
                    mean, invStd);
            expected.saveMean().assertMatches(what + ": saveMean", mean.toFloatArray());
            expected.saveInvStd().assertMatches(what + ": saveInvStd", invStd.toFloatArray());
            expected.runningMean().assertMatches(what + ": runningMean", rm.toFloatArray());
            expected.runningVar().assertMatches(what + ": runningVar (unbiased)", rv.toFloatArray());
            expected.output().assertMatches(what + ": output", y.toFloatArray());
            if (!inPlace) {
                assertArrayEquals(input, x.toFloatArray(), what + " changed the input");
            }
        }
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
