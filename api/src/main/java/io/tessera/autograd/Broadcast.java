package io.tessera.autograd;

import io.tessera.Shape;

/**
 * How two shapes broadcast (see {@link Graph}): the result's shape, and for each operand the {@code inner} count of
 * the {@code binary} kernel (how many consecutive result elements read one operand element).
 */
record Broadcast(Shape out, int aInner, int bInner) {

    static Broadcast of(String op, Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = dim(a, i, rank);
            int db = dim(b, i, rank);
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + a + " and " + b + " do not broadcast (dimension "
                        + i + " from the left of the aligned shapes is " + da + " vs " + db + ")");
            }
            out[i] = Math.max(da, db);
        }
        Shape shape = Shape.of(out);
        return new Broadcast(shape, inner(op, a, b, shape, true), inner(op, a, b, shape, false));
    }

    private static int dim(Shape s, int i, int rank) {
        int j = i - (rank - s.rank());
        return j < 0 ? 1 : s.dim(j);
    }

    /** The inner count of {@code a} (or {@code b}) over {@code out}; fails when its dimensions are not one run. */
    private static int inner(String op, Shape a, Shape b, Shape out, boolean first) {
        Shape s = first ? a : b;
        int rank = out.rank();
        int lo = -1;
        int hi = -1;
        for (int i = 0; i < rank; i++) {
            if (dim(s, i, rank) != 1) {
                lo = lo < 0 ? i : lo;
                hi = i;
            }
        }
        if (lo < 0) {
            return 1;
        }
        for (int i = lo; i <= hi; i++) {
            if (dim(s, i, rank) != out.dim(i)) {
                throw new IllegalArgumentException(op + ": " + a + " and " + b + " need a broadcast Tessera does not do: "
                        + s + " would stretch inside its run of dimensions; an operand broadcasts when its dimensions other"
                        + " than 1 form one run equal to the result's " + out + " (e.g. [C] or [N, 1] over [N, C])");
            }
        }
        long inner = 1;
        for (int i = hi + 1; i < rank; i++) {
            inner *= out.dim(i);
        }
        return Math.toIntExact(inner);
    }
}
