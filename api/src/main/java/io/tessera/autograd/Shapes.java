package io.tessera.autograd;

import io.tessera.DType;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.spi.Kernels;
import io.tessera.spi.Strides;

import java.util.List;

/** Ops that move values without arithmetic: reshape, transpose, concatenation, slices, row gathers. */
final class Shapes {
    private Shapes() {
    }

    static Tensor reshape(Graph g, Tensor x, Shape shape) {
        g.checkDevice("reshape", "x", x);
        if (shape.size() != x.size()) {
            throw new IllegalArgumentException("reshape: cannot view " + x.shape() + " (" + x.size() + " elements) as "
                    + shape + " (" + shape.size() + ")");
        }
        Tensor y = x.view(shape);
        if (g.tracks(x)) {
            g.record("reshape", y, new Tensor[] {x}, new Tensor[0], (gy, grads) -> grads.add(0, gy, false));
        }
        return y;
    }

    /** Swaps the last two axes of a 2-D or 3-D tensor. */
    static Tensor transpose(Graph g, Tensor x) {
        g.checkFloat("transpose", "x", x);
        int rank = x.shape().rank();
        if (rank != 2 && rank != 3) {
            throw new IllegalArgumentException("transpose: needs a 2-D or 3-D tensor (the last two axes swap), got " + x.shape());
        }
        int b = rank == 3 ? x.shape().dim(0) : 1;
        int r = x.shape().dim(rank - 2);
        int c = x.shape().dim(rank - 1);
        Tensor y = g.output(rank == 3 ? Shape.of(b, c, r) : Shape.of(c, r));
        swap(g.kernels(), x, y, b, r, c);
        if (g.tracks(x)) {
            g.record("transpose", y, new Tensor[] {x}, new Tensor[0], (gy, grads) -> {
                Tensor gx = grads.scratch(x.shape());
                swap(g.kernels(), gy, gx, b, c, r);
                grads.add(0, gx, true);
            });
        }
        return y;
    }

    private static void swap(Kernels k, Tensor src, Tensor dst, int b, int r, int c) {
        k.copyStrided(src, new Strides(0, r * c, c, 1), dst, new Strides(0, r * c, 1, r), b, r, c);
    }

    /** Copies {@code x}, seen as {@code [outer, len * inner]}, into {@code [outer, total * inner]} at {@code start}. */
    private static void place(Kernels k, Tensor part, Tensor whole, Axis wholeAxis, int start, int len, boolean into) {
        int inner = wholeAxis.inner();
        Strides partAt = new Strides(0, len * inner, 1, 0);
        Strides wholeAt = new Strides(start * inner, wholeAxis.n() * inner, 1, 0);
        if (into) {
            k.copyStrided(part, partAt, whole, wholeAt, wholeAxis.outer(), len * inner, 1);
        } else {
            k.copyStrided(whole, wholeAt, part, partAt, wholeAxis.outer(), len * inner, 1);
        }
    }

    static Tensor concat(Graph g, List<Tensor> parts, int axis) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concat: no tensors given");
        }
        Tensor first = parts.get(0);
        int a = Axis.normalise("concat", first.shape(), axis);
        int[] dims = first.shape().dims();
        int total = 0;
        for (int i = 0; i < parts.size(); i++) {
            Tensor p = parts.get(i);
            g.checkFloat("concat", "tensor " + i, p);
            int[] d = p.shape().dims();
            d[a] = dims[a];
            if (!java.util.Arrays.equals(d, dims)) {
                throw new IllegalArgumentException("concat: tensor " + i + " is " + p.shape() + " but tensor 0 is " + first.shape()
                        + "; all dimensions but axis " + axis + " must agree");
            }
            total += p.shape().dim(a);
        }
        dims[a] = total;
        Tensor y = g.output(Shape.of(dims));
        Axis whole = Axis.of("concat", y.shape(), a);
        int[] starts = new int[parts.size()];
        int at = 0;
        for (int i = 0; i < parts.size(); i++) {
            starts[i] = at;
            place(g.kernels(), parts.get(i), y, whole, at, parts.get(i).shape().dim(a), true);
            at += parts.get(i).shape().dim(a);
        }
        Tensor[] inputs = parts.toArray(new Tensor[0]);
        if (g.tracks(inputs)) {
            g.record("concat", y, inputs, new Tensor[0], (gy, grads) -> {
                for (int i = 0; i < inputs.length; i++) {
                    if (grads.needs(i)) {
                        Tensor gp = grads.scratch(inputs[i].shape());
                        place(g.kernels(), gp, gy, whole, starts[i], inputs[i].shape().dim(a), false);
                        grads.add(i, gp, true);
                    }
                }
            });
        }
        return y;
    }

    static Tensor slice(Graph g, Tensor x, int axis, int start, int end) {
        g.checkFloat("slice", "x", x);
        int a = Axis.normalise("slice", x.shape(), axis);
        int n = x.shape().dim(a);
        if (start < 0 || end > n || start >= end) {
            throw new IllegalArgumentException("slice: [" + start + ", " + end + ") is not a non-empty range inside axis " + axis
                    + " of " + x.shape() + " (length " + n + ")");
        }
        int[] dims = x.shape().dims();
        dims[a] = end - start;
        Tensor y = g.output(Shape.of(dims));
        Axis whole = Axis.of("slice", x.shape(), a);
        place(g.kernels(), y, x, whole, start, end - start, false);
        if (g.tracks(x)) {
            g.record("slice", y, new Tensor[] {x}, new Tensor[0], (gy, grads) -> {
                Tensor gx = grads.scratch(x.shape());
                g.kernels().fill(gx, 0f);
                place(g.kernels(), gy, gx, whole, start, end - start, true);
                grads.add(0, gx, true);
            });
        }
        return y;
    }

    /** Rows of {@code table} (axis 0) picked by INT32 {@code indices}: embeddings. */
    static Tensor indexSelect(Graph g, Tensor table, Tensor indices) {
        g.checkFloat("indexSelect", "table", table);
        g.checkDevice("indexSelect", "indices", indices);
        if (indices.dtype() != DType.INT32 || indices.shape().rank() != 1) {
            throw new IllegalArgumentException("indexSelect: indices must be a 1-D INT32 tensor, got " + indices.describe());
        }
        if (table.shape().rank() < 1) {
            throw new IllegalArgumentException("indexSelect: the table needs at least one dimension, got " + table.shape());
        }
        int rows = table.shape().dim(0);
        int width = table.shape().rowSize();
        int[] dims = table.shape().dims();
        dims[0] = indices.shape().dim(0);
        Tensor y = g.output(Shape.of(dims));
        Tensor table2 = table.view(Shape.of(rows, width));
        g.kernels().gatherRows(table2, indices, y.view(Shape.of(dims[0], width)));
        if (g.tracks(table)) {
            g.record("indexSelect", y, new Tensor[] {table}, new Tensor[] {indices}, (gy, grads) -> {
                Tensor gt = grads.scratch(table.shape());
                g.kernels().fill(gt, 0f);
                g.kernels().scatterAddRows(gy.view(Shape.of(dims[0], width)), indices, gt.view(Shape.of(rows, width)));
                grads.add(0, gt, true);
            });
        }
        return y;
    }
}
