package io.tessera.autograd;

import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.spi.BinaryFunction;
import io.tessera.spi.Kernels;
import io.tessera.spi.Strides;
import io.tessera.spi.UnaryFunction;

/** Sums, maxima and the softmax family along an axis, with their gradients. */
final class Reductions {
    private Reductions() {
    }

    static Tensor sum(Graph g, Tensor x, Axis axis, Shape shape) {
        g.checkFloat("sum", "x", x);
        Tensor y = g.output(shape);
        g.kernels().reduceSum(x, axis.n(), axis.inner(), y);
        if (g.tracks(x)) {
            g.record("sum", y, new Tensor[] {x}, new Tensor[0], (gy, grads) -> {
                Tensor gx = grads.scratch(x.shape());
                expand(g.kernels(), gy, axis, gx);
                grads.add(0, gx, true);
            });
        }
        return y;
    }

    /** {@code out[o, j, k] = reduced[o, k]}: a reduced gradient spread back over the axis. */
    static void expand(Kernels k, Tensor reduced, Axis axis, Tensor out) {
        k.copyStrided(reduced, new Strides(0, axis.inner(), 0, 1), out,
                new Strides(0, axis.n() * axis.inner(), axis.inner(), 1), axis.outer(), axis.n(), axis.inner());
    }

    static Tensor max(Graph g, Tensor x, Axis axis, Shape shape) {
        g.checkFloat("max", "x", x);
        Tensor y = g.output(shape);
        Tensor indices = g.outputInts(shape);
        g.kernels().reduceMax(x, axis.n(), axis.inner(), y, indices);
        if (g.tracks(x)) {
            g.record("max", y, new Tensor[] {x}, new Tensor[0], (gy, grads) -> {
                Tensor gx = grads.scratch(x.shape());
                g.kernels().reduceMaxBackward(gy, indices, axis.n(), axis.inner(), gx);
                grads.add(0, gx, true);
            });
        }
        return y;
    }

    private static int classes(String op, Tensor x) {
        if (x.shape().rank() == 0) {
            throw new IllegalArgumentException(op + ": needs at least one dimension, got a scalar");
        }
        return x.shape().dim(x.shape().rank() - 1);
    }

    /** Row maxima subtracted: {@code x - max(x, last axis)}, into a new buffer. */
    private static Tensor shifted(Graph g, Tensor x, int c) {
        Kernels k = g.kernels();
        Shape rows = Shape.of(x.shape().sizeAsInt() / c);
        Tensor m = g.output(rows);
        Tensor at = g.outputInts(rows);
        k.reduceMax(x, c, 1, m, at);
        Tensor s = g.output(x.shape());
        k.binary(BinaryFunction.SUB, x, 1, m, c, s);
        return s;
    }

    static Tensor softmax(Graph g, Tensor x) {
        g.checkFloat("softmax", "x", x);
        int c = classes("softmax", x);
        Kernels k = g.kernels();
        Tensor y = shifted(g, x, c);
        k.unary(UnaryFunction.EXP, 0f, y, y);
        Tensor sums = g.output(Shape.of(x.shape().sizeAsInt() / c));
        k.reduceSum(y, c, 1, sums);
        k.binary(BinaryFunction.DIV, y, 1, sums, c, y);
        if (g.tracks(x)) {
            g.record("softmax", y, new Tensor[] {x}, new Tensor[0], (gy, grads) -> {
                Tensor t = grads.scratch(x.shape());
                k.binary(BinaryFunction.MUL, gy, 1, y, 1, t);
                Tensor r = grads.scratch(sums.shape());
                k.reduceSum(t, c, 1, r);
                k.binary(BinaryFunction.SUB, gy, 1, r, c, t);
                k.binary(BinaryFunction.MUL, t, 1, y, 1, t);
                grads.add(0, t, true);
            });
        }
        return y;
    }

    static Tensor logSoftmax(Graph g, Tensor x) {
        g.checkFloat("logSoftmax", "x", x);
        int c = classes("logSoftmax", x);
        Kernels k = g.kernels();
        Tensor y = shifted(g, x, c);
        Tensor e = g.output(x.shape());
        k.unary(UnaryFunction.EXP, 0f, y, e);
        Tensor logSums = g.output(Shape.of(x.shape().sizeAsInt() / c));
        k.reduceSum(e, c, 1, logSums);
        k.unary(UnaryFunction.LOG, 0f, logSums, logSums);
        k.binary(BinaryFunction.SUB, y, 1, logSums, c, y);
        if (g.tracks(x)) {
            g.record("logSoftmax", y, new Tensor[] {x}, new Tensor[0], (gy, grads) -> {
                Tensor r = grads.scratch(logSums.shape());
                k.reduceSum(gy, c, 1, r);
                Tensor t = grads.scratch(x.shape());
                k.unary(UnaryFunction.EXP, 0f, y, t);
                k.binary(BinaryFunction.MUL, t, 1, r, c, t);
                k.binary(BinaryFunction.SUB, gy, 1, t, 1, t);
                grads.add(0, t, true);
            });
        }
        return y;
    }
}
