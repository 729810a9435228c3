package io.tessera.autograd;

import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.spi.BinaryFunction;
import io.tessera.spi.Kernels;
import io.tessera.spi.UnaryFunction;

/** The element-wise ops and their gradients: functions of one tensor, and broadcasting arithmetic of two. */
final class Elementwise {
    private Elementwise() {
    }

    static Tensor unary(Graph g, String op, UnaryFunction f, float alpha, Tensor x) {
        g.checkFloat(op, "x", x);
        Tensor y = g.output(x.shape());
        g.kernels().unary(f, alpha, x, y);
        if (g.tracks(x)) {
            g.record(op, y, new Tensor[] {x}, new Tensor[] {x}, (gy, grads) -> {
                Tensor gx = grads.scratch(x.shape());
                g.kernels().unaryBackward(f, alpha, x, gy, gx);
                grads.add(0, gx, true);
            });
        }
        return y;
    }

    static Tensor relu(Graph g, Tensor x) {
        g.checkFloat("relu", "x", x);
        Tensor y = g.output(x.shape());
        g.kernels().relu(x, y);
        if (g.tracks(x)) {
            g.record("relu", y, new Tensor[] {x}, new Tensor[] {y}, (gy, grads) -> {
                Tensor gx = grads.scratch(x.shape());
                g.kernels().reluBackward(y, gy, gx);
                grads.add(0, gx, true);
            });
        }
        return y;
    }

    static Tensor binary(Graph g, String op, BinaryFunction f, Tensor a, Tensor b) {
        g.checkPair(op, a, b);
        Broadcast bc = Broadcast.of(op, a.shape(), b.shape());
        Tensor y = g.output(bc.out());
        Kernels k = g.kernels();
        k.binary(f, a, bc.aInner(), b, bc.bInner(), y);
        if (g.tracks(a, b)) {
            Tensor[] saved = switch (f) {
                case ADD, SUB -> new Tensor[0];
                case MUL -> new Tensor[] {a, b};
                case DIV -> new Tensor[] {b, y};
            };
            g.record(op, y, new Tensor[] {a, b}, saved, (gy, grads) -> {
                if (grads.needs(0)) {
                    Tensor ga = switch (f) {
                        case ADD, SUB -> gy;
                        case MUL -> times(grads, k, gy, b, bc.bInner(), BinaryFunction.MUL);
                        case DIV -> times(grads, k, gy, b, bc.bInner(), BinaryFunction.DIV);
                    };
                    grads.add(0, reduceTo(grads, k, ga, a, bc.aInner()), ga != gy);
                }
                if (grads.needs(1)) {
                    Tensor gb = switch (f) {
                        case ADD -> gy;
                        case SUB -> negated(grads, k, gy);
                        case MUL -> times(grads, k, gy, a, bc.aInner(), BinaryFunction.MUL);
                        case DIV -> {
                            Tensor t = times(grads, k, gy, y, 1, BinaryFunction.MUL);
                            k.binary(BinaryFunction.DIV, t, 1, b, bc.bInner(), t);
                            k.unary(UnaryFunction.NEG, 0f, t, t);
                            yield t;
                        }
                    };
                    grads.add(1, reduceTo(grads, k, gb, b, bc.bInner()), gb != gy);
                }
            });
        }
        return y;
    }

    private static Tensor times(Gradients grads, Kernels k, Tensor gy, Tensor other, int otherInner, BinaryFunction f) {
        Tensor t = grads.scratch(gy.shape());
        k.binary(f, gy, 1, other, otherInner, t);
        return t;
    }

    private static Tensor negated(Gradients grads, Kernels k, Tensor gy) {
        Tensor t = grads.scratch(gy.shape());
        k.unary(UnaryFunction.NEG, 0f, gy, t);
        return t;
    }

    /**
     * Sums a result-sized gradient down to an operand broadcast with {@code inner}: the result seen as
     * {@code [outer, size, inner]} is summed over its first and last axes. Returns {@code full} when nothing broadcast.
     */
    static Tensor reduceTo(Gradients grads, Kernels k, Tensor full, Tensor operand, int inner) {
        int size = operand.shape().sizeAsInt();
        if (size == full.size()) {
            return full;
        }
        Tensor t = full;
        if (inner > 1) {
            Tensor s = grads.scratch(Shape.of(t.shape().sizeAsInt() / inner));
            k.reduceSum(t, inner, 1, s);
            t = s;
        }
        int outer = t.shape().sizeAsInt() / size;
        if (outer > 1) {
            Tensor s = grads.scratch(operand.shape());
            k.reduceSum(t, outer, size, s);
            t = s;
        }
        return t;
    }

    /** {@code x op scalar}. */
    static Tensor scalar(Graph g, String op, UnaryFunction f, float alpha, Tensor x) {
        g.checkFloat(op, "x", x);
        Tensor y = g.output(x.shape());
        g.kernels().unary(f, alpha, x, y);
        if (g.tracks(x)) {
            g.record(op, y, new Tensor[] {x}, new Tensor[0], (gy, grads) -> {
                if (f == UnaryFunction.ADD_SCALAR) {
                    grads.add(0, gy, false);
                } else {
                    Tensor gx = grads.scratch(x.shape());
                    g.kernels().unary(UnaryFunction.MUL_SCALAR, f == UnaryFunction.NEG ? -1f : alpha, gy, gx);
                    grads.add(0, gx, true);
                }
            });
        }
        return y;
    }
}
