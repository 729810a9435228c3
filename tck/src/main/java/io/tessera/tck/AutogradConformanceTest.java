package io.tessera.tck;

import io.tessera.DType;
import io.tessera.Scope;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.autograd.Graph;
import io.tessera.nn.Linear;
import io.tessera.nn.Parameter;
import io.tessera.spi.Window2d;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Autograd on the device under test: a finite-difference check of the gradient of every op of {@link Graph} (and of
 * composite graphs: an input used twice, broadcasting, a residual block, a shipped layer inside a graph), gradient
 * accumulation, no-grad mode, the graph's memory rules and its errors. A backend that passes
 * {@link TensorAlgebraConformanceTest} and the older kernel classes passes this one without code of its own.
 */
public abstract class AutogradConformanceTest extends ConformanceTestBase {

    /** One op under test: a name, its inputs' shapes and how to draw their values, and the op itself. */
    public record OpCase(String name, Shape[] shapes, Domain domain, BiFunction<Graph, Tensor[], Tensor> op) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Where the inputs' values lie: away from kinks and outside the domain where an op is undefined. */
    public enum Domain { ANY, POSITIVE, DISTINCT }

    private static OpCase op(String name, Domain domain, BiFunction<Graph, Tensor[], Tensor> op, Shape... shapes) {
        return new OpCase(name, shapes, domain, op);
    }

    private static Shape s(int... dims) {
        return Shape.of(dims);
    }

    static Stream<OpCase> ops() {
        Window2d conv = Window2d.square(3, 1, 1);
        Window2d pool = Window2d.square(2, 2, 0);
        List<OpCase> c = new ArrayList<>(List.of(
            op("add", Domain.ANY, (g, x) -> g.add(x[0], x[1]), s(3, 4), s(3, 4)),
            op("add row vector", Domain.ANY, (g, x) -> g.add(x[0], x[1]), s(3, 4), s(4)),
            op("add column", Domain.ANY, (g, x) -> g.add(x[0], x[1]), s(3, 4), s(3, 1)),
            op("add scalar tensor", Domain.ANY, (g, x) -> g.add(x[0], x[1]), s(), s(2, 3)),
            op("add per channel", Domain.ANY, (g, x) -> g.add(x[0], x[1]), s(2, 3, 2, 2), s(3, 1, 1)),
            op("sub", Domain.ANY, (g, x) -> g.sub(x[0], x[1]), s(3, 4), s(4)),
            op("mul", Domain.ANY, (g, x) -> g.mul(x[0], x[1]), s(3, 4), s(3, 4)),
            op("mul column", Domain.ANY, (g, x) -> g.mul(x[0], x[1]), s(3, 4), s(3, 1)),
            op("div", Domain.POSITIVE, (g, x) -> g.div(x[0], x[1]), s(3, 4), s(3, 4)),
            op("div row vector", Domain.POSITIVE, (g, x) -> g.div(x[0], x[1]), s(3, 4), s(4)),
            op("add scalar", Domain.ANY, (g, x) -> g.add(x[0], 1.5f), s(2, 5)),
            op("sub scalar", Domain.ANY, (g, x) -> g.sub(x[0], 1.5f), s(2, 5)),
            op("mul scalar", Domain.ANY, (g, x) -> g.mul(x[0], -2.5f), s(2, 5)),
            op("div scalar", Domain.ANY, (g, x) -> g.div(x[0], 4f), s(2, 5)),
            op("neg", Domain.ANY, (g, x) -> g.neg(x[0]), s(2, 5)),
            op("pow", Domain.POSITIVE, (g, x) -> g.pow(x[0], 2.5f), s(2, 5)),
            op("exp", Domain.ANY, (g, x) -> g.exp(x[0]), s(2, 5)),
            op("log", Domain.POSITIVE, (g, x) -> g.log(x[0]), s(2, 5)),
            op("sqrt", Domain.POSITIVE, (g, x) -> g.sqrt(x[0]), s(2, 5)),
            op("abs", Domain.ANY, (g, x) -> g.abs(x[0]), s(2, 5)),
            op("tanh", Domain.ANY, (g, x) -> g.tanh(x[0]), s(2, 5)),
            op("sigmoid", Domain.ANY, (g, x) -> g.sigmoid(x[0]), s(2, 5)),
            op("gelu", Domain.ANY, (g, x) -> g.gelu(x[0]), s(2, 5)),
            op("relu", Domain.ANY, (g, x) -> g.relu(x[0]), s(2, 5)),
            op("matmul", Domain.ANY, (g, x) -> g.matmul(x[0], x[1]), s(3, 4), s(4, 2)),
            op("matmul 3-D by 2-D", Domain.ANY, (g, x) -> g.matmul(x[0], x[1]), s(2, 3, 4), s(4, 2)),
            op("matmul batched", Domain.ANY, (g, x) -> g.matmul(x[0], x[1]), s(2, 3, 4), s(2, 4, 2)),
            op("linear", Domain.ANY, (g, x) -> g.linear(x[0], x[1], x[2]), s(3, 4), s(2, 4), s(2)),
            op("linear without bias", Domain.ANY, (g, x) -> g.linear(x[0], x[1], null), s(3, 4), s(2, 4)),
            op("transpose", Domain.ANY, (g, x) -> g.transpose(x[0]), s(3, 4)),
            op("transpose 3-D", Domain.ANY, (g, x) -> g.transpose(x[0]), s(2, 3, 4)),
            op("reshape", Domain.ANY, (g, x) -> g.mul(g.reshape(x[0], s(4, 3)), x[1]), s(3, 4), s(4, 3)),
            op("concat axis 0", Domain.ANY, (g, x) -> g.concat(List.of(x[0], x[1]), 0), s(2, 3), s(1, 3)),
            op("concat axis 1", Domain.ANY, (g, x) -> g.concat(List.of(x[0], x[1]), 1), s(2, 3), s(2, 2)),
            op("slice", Domain.ANY, (g, x) -> g.slice(x[0], 1, 1, 3), s(2, 4, 2)),
            op("sum", Domain.ANY, (g, x) -> g.sum(x[0]), s(3, 4)),
            op("sum axis 0", Domain.ANY, (g, x) -> g.sum(x[0], 0, false), s(3, 4)),
            op("sum axis 1 kept", Domain.ANY, (g, x) -> g.sum(x[0], -1, true), s(2, 3, 4)),
            op("mean", Domain.ANY, (g, x) -> g.mean(x[0]), s(3, 4)),
            op("mean axis 1", Domain.ANY, (g, x) -> g.mean(x[0], 1, false), s(2, 3, 4)),
            op("max", Domain.DISTINCT, (g, x) -> g.max(x[0]), s(3, 4)),
            op("max axis 1", Domain.DISTINCT, (g, x) -> g.max(x[0], 1, false), s(2, 3, 4)),
            op("softmax", Domain.ANY, (g, x) -> g.softmax(x[0]), s(3, 5)),
            op("logSoftmax", Domain.ANY, (g, x) -> g.logSoftmax(x[0]), s(3, 5)),
            op("mseLoss", Domain.ANY, (g, x) -> g.mseLoss(x[0], x[1]), s(3, 4), s(3, 4)),
            op("dropout", Domain.ANY, (g, x) -> {
                g.setDropoutState(11, 0);
                return g.dropout(x[0], 0.5f);
            }, s(4, 6)),
            op("conv2d", Domain.ANY, (g, x) -> g.conv2d(x[0], x[1], x[2], conv), s(2, 2, 4, 4), s(3, 2, 3, 3), s(3)),
            op("maxPool2d", Domain.DISTINCT, (g, x) -> g.maxPool2d(x[0], pool), s(2, 2, 4, 4)),
            op("input used twice", Domain.ANY, (g, x) -> g.add(g.mul(x[0], x[0]), x[0]), s(3, 4)),
            op("residual block", Domain.ANY, (g, x) -> g.add(x[0], g.matmul(g.tanh(g.matmul(x[0], x[1])), x[2])),
                    s(3, 4), s(4, 5), s(5, 4)),
            op("broadcast shared bias", Domain.ANY, (g, x) -> g.mul(g.add(x[0], x[1]), g.sub(x[0], x[1])), s(3, 4), s(4))));
        return c.stream();
    }

    private static float[] values(Domain domain, SplittableRandom random, int n) {
        float[] v = new float[n];
        switch (domain) {
            case POSITIVE -> {
                for (int i = 0; i < n; i++) {
                    v[i] = (float) random.nextDouble(0.5, 2);
                }
            }
            case DISTINCT -> {
                int[] order = new int[n];
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                for (int i = n - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                for (int i = 0; i < n; i++) {
                    v[i] = 0.1f * order[i] - 0.05f * n;
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    double x = random.nextDouble(-1.5, 1.5);
                    v[i] = (float) (Math.abs(x) < 0.1 ? x + Math.copySign(0.15, x) : x);
                }
            }
        }
        return v;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void gradientMatchesFiniteDifferences(OpCase c) {
        SplittableRandom random = random("autograd", c.name());
        int k = c.shapes().length;
        float[][] values = new float[k][];
        try (Scope scope = device().scope(); Graph g = new Graph(device())) {
            Tensor[] xs = new Tensor[k];
            for (int i = 0; i < k; i++) {
                values[i] = values(c.domain(), random, c.shapes()[i].sizeAsInt());
                xs[i] = scope.of(values[i], c.shapes()[i]);
                g.requireGrad(xs[i]);
            }
            Tensor y = c.op().apply(g, xs);
            float[] r = uniform(random, y.shape().sizeAsInt(), -1, 1);
            g.backward(y, scope.of(r, y.shape()));
            float[][] analytic = new float[k][];
            for (int i = 0; i < k; i++) {
                Tensor grad = g.grad(xs[i]);
                analytic[i] = grad == null ? new float[values[i].length] : grad.toFloatArray();
            }
            for (int i = 0; i < k; i++) {
                Tensor x = xs[i];
                float[] v = values[i];
                for (int j = 0; j < v.length; j++) {
                    double numeric = FiniteDifferences.central(v, j,
                            () -> device().kernels().copyFromHost(v, 0, x, 0, v.length), () -> {
                                g.reset();
                                try (Graph.NoGrad off = g.noGrad()) {
                                    return dot(c.op().apply(g, xs).toFloatArray(), r);
                                }
                            });
                    FiniteDifferences.assertClose(numeric, analytic[i][j],
                            c.name() + ": d/d input " + i + "[" + j + "]", device());
                }
            }
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    @Test
    void gatherGradientSumsRepeatedRows() {
        float[] table = uniform(random("gather"), 5 * 3, -1, 1);
        try (Scope scope = device().scope(); Graph g = new Graph(device())) {
            Tensor t = g.requireGrad(scope.of(table, Shape.of(5, 3)));
            Tensor idx = scope.ofInts(new int[] {4, 1, 4, 0}, Shape.of(4));
            Tensor rows = g.indexSelect(t, idx);
            float[] got = rows.toFloatArray();
            assertArrayEquals(Arrays.copyOfRange(table, 12, 15), Arrays.copyOfRange(got, 0, 3), "row 4 gathered first");
            g.backward(g.sum(g.mul(rows, 2f)));
            float[] grad = g.grad(t).toFloatArray();
            assertArrayEquals(new float[] {2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 4, 4, 4}, grad, "rows picked twice get twice the gradient");
        }
    }

    @Test
    void batchNormGradientMatchesFiniteDifferences() {
        int c = 3;
        float[] x = uniform(random("bn"), 4 * c * 2, -1, 1);
        float[] gamma = {1.2f, 0.7f, -0.4f};
        float[] beta = {0.1f, -0.2f, 0.3f};
        float[] r = uniform(random("bn-r"), x.length, -1, 1);
        try (Scope scope = device().scope(); Graph g = new Graph(device())) {
            Tensor tx = g.requireGrad(scope.of(x, Shape.of(4, c, 2)));
            Tensor tg = g.requireGrad(scope.of(gamma, Shape.of(c)));
            Tensor tb = g.requireGrad(scope.of(beta, Shape.of(c)));
            Tensor rm = scope.zeros(Shape.of(c));
            Tensor rv = scope.of(new float[] {1, 1, 1}, Shape.of(c));
            Tensor y = g.batchNorm(tx, tg, tb, rm, rv, 0.1f, 1e-5f);
            g.backward(y, scope.of(r, y.shape()));
            float[][] analytic = {g.grad(tx).toFloatArray(), g.grad(tg).toFloatArray(), g.grad(tb).toFloatArray()};
            float[][] values = {x, gamma, beta};
            Tensor[] ts = {tx, tg, tb};
            for (int i = 0; i < 3; i++) {
                float[] v = values[i];
                Tensor t = ts[i];
                for (int j = 0; j < v.length; j++) {
                    double numeric = FiniteDifferences.central(v, j, () -> device().kernels().copyFromHost(v, 0, t, 0, v.length), () -> {
                        g.reset();
                        try (Graph.NoGrad off = g.noGrad()) {
                            return dot(g.batchNorm(tx, tg, tb, rm, rv, 0.1f, 1e-5f).toFloatArray(), r);
                        }
                    });
                    FiniteDifferences.assertClose(numeric, analytic[i][j], "batchNorm: d/d input " + i + "[" + j + "]", device());
                }
            }
        }
    }

    @Test
    void crossEntropyGradientMatchesFiniteDifferences() {
        float[] logits = uniform(random("ce"), 4 * 5, -2, 2);
        int[] labels = {0, 3, 4, 1};
        try (Scope scope = device().scope(); Graph g = new Graph(device())) {
            Tensor tl = g.requireGrad(scope.of(logits, Shape.of(4, 5)));
            Tensor ty = scope.ofInts(labels, Shape.of(4));
            g.backward(g.mul(g.crossEntropy(tl, ty), 3f));
            float[] analytic = g.grad(tl).toFloatArray();
            for (int j = 0; j < logits.length; j++) {
                double numeric = FiniteDifferences.central(logits, j, () -> device().kernels().copyFromHost(logits, 0, tl, 0, logits.length), () -> {
                    g.reset();
                    try (Graph.NoGrad off = g.noGrad()) {
                        return 3.0 * g.crossEntropy(tl, ty).item();
                    }
                });
                FiniteDifferences.assertClose(numeric, analytic[j], "crossEntropy: d/d logits[" + j + "]", device());
            }
        }
    }

    @Test
    void shippedLayerInsideAGraphGetsItsGradients() {
        try (Scope scope = device().scope(); Graph g = new Graph(device());
             Linear layer = new Linear(4, 3, device(), new SplittableRandom(5))) {
            float[] x = uniform(random("layer"), 2 * 4, -1, 1);
            Tensor tx = g.requireGrad(scope.of(x, Shape.of(2, 4)));
            Parameter w = layer.weight();
            Tensor y = g.tanh(g.layer(layer, g.mul(tx, 2f)));
            g.backward(g.sum(y));
            float[] gx = g.grad(tx).toFloatArray();
            float[] gw = w.grad().toFloatArray();
            float[] wv = w.value().toFloatArray();
            for (int j = 0; j < x.length; j++) {
                double numeric = FiniteDifferences.central(x, j, () -> device().kernels().copyFromHost(x, 0, tx, 0, x.length), () -> {
                    g.reset();
                    try (Graph.NoGrad off = g.noGrad()) {
                        return g.sum(g.tanh(g.layer(layer, g.mul(tx, 2f)))).item();
                    }
                });
                FiniteDifferences.assertClose(numeric, gx[j], "layer in graph: d/d x[" + j + "]", device());
            }
            for (int j = 0; j < wv.length; j++) {
                double numeric = FiniteDifferences.central(wv, j, () -> w.load(wv), () -> {
                    g.reset();
                    try (Graph.NoGrad off = g.noGrad()) {
                        return g.sum(g.tanh(g.layer(layer, g.mul(tx, 2f)))).item();
                    }
                });
                FiniteDifferences.assertClose(numeric, gw[j], "layer in graph: d/d weight[" + j + "]", device());
            }
        }
    }

    @Test
    void parameterGradientsAccumulateUntilZeroed() {
        try (Graph g = new Graph(device());
             Parameter p = new Parameter("w", device().of(new float[] {1, -2, 3}, Shape.of(3)))) {
            for (int step = 0; step < 2; step++) {
                g.reset();
                Tensor w = g.param(p);
                g.backward(g.sum(g.mul(w, w)));
            }
            assertArrayEquals(new float[] {4, -8, 12}, p.grad().toFloatArray(), "two backward passes add up (2 * 2w)");
            Graph.zeroGrad(List.of(p));
            assertArrayEquals(new float[] {0, 0, 0}, p.grad().toFloatArray(), "zeroGrad clears");
        }
    }

    @Test
    void noGradRecordsNothing() {
        try (Scope scope = device().scope(); Graph g = new Graph(device())) {
            Tensor x = g.requireGrad(scope.of(new float[] {1, 2}, Shape.of(2)));
            try (Graph.NoGrad off = g.noGrad()) {
                Tensor y = g.exp(g.mul(x, 3f));
                assertFalse(g.requiresGrad(y), "a result computed under noGrad requires no gradient");
                assertEquals(0, g.recordedOps());
                assertThrows(IllegalStateException.class, () -> g.backward(g.sum(y)));
            }
            assertTrue(g.isRecording(), "closing noGrad restores recording");
            assertTrue(g.requiresGrad(g.mul(x, 3f)));
        }
    }

    @Test
    void detachCutsTheGraph() {
        try (Scope scope = device().scope(); Graph g = new Graph(device())) {
            Tensor x = g.requireGrad(scope.of(new float[] {1, 2}, Shape.of(2)));
            Tensor y = g.mul(x, 3f);
            Tensor d = g.detach(y);
            assertFalse(g.requiresGrad(d));
            assertArrayEquals(y.toFloatArray(), d.toFloatArray());
            g.backward(g.sum(g.add(g.mul(d, x), y)));
            assertArrayEquals(new float[] {6, 9}, g.grad(x).toFloatArray(), "d/dx (x * detach(3x) + 3x) = 3x + 3");
        }
    }

    @Test
    void secondBackwardThroughAFreedGraphFails() {
        try (Scope scope = device().scope(); Graph g = new Graph(device())) {
            Tensor x = g.requireGrad(scope.of(new float[] {1, 2}, Shape.of(2)));
            Tensor loss = g.sum(g.exp(x));
            g.backward(loss);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.backward(loss));
            assertTrue(e.getMessage().contains("already freed"), e.getMessage());
            Tensor again = g.sum(g.mul(g.exp(x), 1f));
            g.backward(again, scope.of(new float[] {1}, Shape.of()), false, true);
            g.backward(again, scope.of(new float[] {1}, Shape.of()), false, false);
        }
    }

    @Test
    void backwardOfANonScalarNeedsAGradient() {
        try (Scope scope = device().scope(); Graph g = new Graph(device())) {
            Tensor x = g.requireGrad(scope.of(new float[] {1, 2}, Shape.of(2)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.backward(g.exp(x)));
            assertTrue(e.getMessage().contains("non-scalar"), e.getMessage());
        }
    }

    @Test
    void opsNameBothDevicesOrDtypes() {
        try (Scope scope = device().scope(); Scope other = otherDevice().scope(); Graph g = new Graph(device())) {
            Tensor a = scope.of(new float[] {1, 2}, Shape.of(2));
            Tensor b = other.of(new float[] {1, 2}, Shape.of(2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.add(a, b));
            assertTrue(e.getMessage().contains(device().id()) && e.getMessage().contains(otherDevice().id()), e.getMessage());
            Tensor ints = scope.ofInts(new int[] {1, 2}, Shape.of(2));
            IllegalArgumentException d = assertThrows(IllegalArgumentException.class, () -> g.mul(a, ints));
            assertTrue(d.getMessage().toLowerCase().contains("int32") && d.getMessage().toLowerCase().contains("float32"), d.getMessage());
            IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                    () -> g.add(a, scope.zeros(Shape.of(3))));
            assertTrue(s.getMessage().contains("2") && s.getMessage().contains("3"), s.getMessage());
        }
    }

    @Test
    void inPlaceChangeOfASavedTensorFailsTheBackwardPass() {
        try (Graph g = new Graph(device());
             Parameter p = new Parameter("w", device().of(new float[] {1, 2}, Shape.of(2)))) {
            Tensor w = g.param(p);
            Tensor loss = g.sum(g.mul(w, w));
            p.load(new float[] {5, 6});
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.backward(loss));
            assertTrue(e.getMessage().contains("modified in place"), e.getMessage());
        }
    }

    @Test
    void aRepeatedStepAllocatesNothingNew() {
        try (Scope scope = device().scope(); Graph g = new Graph(device());
             Parameter w = new Parameter("w", device().of(uniform(random("w"), 4 * 3, -1, 1), Shape.of(3, 4)))) {
            Tensor x = scope.of(uniform(random("x"), 5 * 4, -1, 1), Shape.of(5, 4));
            Tensor labels = scope.ofInts(new int[] {0, 1, 2, 1, 0}, Shape.of(5));
            long[] allocations = new long[4];
            for (int step = 0; step < 4; step++) {
                g.reset();
                Tensor logits = g.linear(g.relu(x), g.param(w), null);
                g.backward(g.add(g.crossEntropy(logits, labels), g.mul(g.mean(g.mul(logits, logits)), 0.01f)));
                allocations[step] = g.allocations();
            }
            assertEquals(allocations[0], allocations[3], "steps after the first reuse the graph's buffers: " + Arrays.toString(allocations));
        }
    }
}
