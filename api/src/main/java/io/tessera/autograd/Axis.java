package io.tessera.autograd;

import io.tessera.Shape;

/** An axis of a shape seen as {@code [outer, n, inner]}, and the shapes that reducing it gives. */
record Axis(int outer, int n, int inner, Shape reduced, Shape kept) {

    static Axis of(String op, Shape shape, int axis) {
        int rank = shape.rank();
        int a = normalise(op, shape, axis);
        int[] dims = shape.dims();
        long outer = 1;
        long inner = 1;
        for (int i = 0; i < a; i++) {
            outer *= dims[i];
        }
        for (int i = a + 1; i < rank; i++) {
            inner *= dims[i];
        }
        int[] reduced = new int[rank - 1];
        int[] kept = dims.clone();
        kept[a] = 1;
        for (int i = 0, j = 0; i < rank; i++) {
            if (i != a) {
                reduced[j++] = dims[i];
            }
        }
        return new Axis(Math.toIntExact(outer), dims[a], Math.toIntExact(inner), Shape.of(reduced), Shape.of(kept));
    }

    /** The whole tensor as one axis. */
    static Axis all(Shape shape) {
        return new Axis(1, shape.sizeAsInt(), 1, Shape.of(), Shape.of());
    }

    /** The position of {@code axis} counted from the left. */
    static int normalise(String op, Shape shape, int axis) {
        int a = axis < 0 ? axis + shape.rank() : axis;
        if (a < 0 || a >= shape.rank()) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is outside the dimensions of " + shape);
        }
        return a;
    }
}
