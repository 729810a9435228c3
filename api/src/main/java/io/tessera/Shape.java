package io.tessera;

import java.util.Arrays;

/**
 * The dimensions of a tensor, outermost first. Immutable; every dimension is positive.
 * A shape of rank 0 (a scalar) has one element.
 */
public final class Shape {
    private final int[] dims;
    private final long size;

    private Shape(int[] dims) {
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] <= 0) {
                throw new IllegalArgumentException(
                        "dimension " + i + " of shape " + Arrays.toString(dims) + " is " + dims[i] + "; dimensions must be positive");
            }
            if (n > Long.MAX_VALUE / dims[i]) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has more elements than a long can count ("
                        + Long.MAX_VALUE + ")");
            }
            n *= dims[i];
        }
        this.dims = dims;
        this.size = n;
    }

    /**
     * A shape with the given dimensions, outermost first.
     *
     * @param dims the dimensions, each {@code >= 1}; copied
     * @return the shape
     * @throws IllegalArgumentException if a dimension is below 1 or the size overflows a long
     */
    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    /**
     * The number of dimensions.
     *
     * @return the rank, 0 for a scalar
     */
    public int rank() {
        return dims.length;
    }

    /**
     * Dimension {@code i}; negative {@code i} counts from the end ({@code -1} is the last).
     *
     * @param i the axis, from {@code -rank()} to {@code rank() - 1}
     * @return the dimension
     */
    public int dim(int i) {
        int k = i < 0 ? dims.length + i : i;
        if (k < 0 || k >= dims.length) {
            throw new IndexOutOfBoundsException("dimension " + i + " of a rank-" + dims.length + " shape " + this);
        }
        return dims[k];
    }

    /**
     * A copy of the dimensions.
     *
     * @return a new array
     */
    public int[] dims() {
        return dims.clone();
    }

    /**
     * The number of elements (the product of the dimensions).
     *
     * @return the product, 1 for a scalar
     */
    public long size() {
        return size;
    }

    /**
     * The element count as an int, failing clearly where it does not fit.
     *
     * @return the size
     * @throws IllegalStateException if it exceeds {@code Integer.MAX_VALUE}
     */
    public int sizeAsInt() {
        if (size > Integer.MAX_VALUE) {
            throw new IllegalStateException("shape " + this + " has " + size + " elements, more than a single buffer holds");
        }
        return (int) size;
    }

    /**
     * The product of all dimensions after the first: the row length of a batch.
     *
     * @return the product, 1 for rank 0 or 1
     */
    public int rowSize() {
        if (dims.length == 0) {
            return 1;
        }
        return (int) (size / dims[0]);
    }

    /**
     * This shape with its first dimension replaced.
     *
     * @param first the new first dimension
     * @return the new shape
     */
    public Shape withFirst(int first) {
        if (dims.length == 0) {
            throw new IllegalStateException("a scalar shape has no first dimension");
        }
        int[] d = dims.clone();
        d[0] = first;
        return new Shape(d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** Dimensions joined by {@code x}, e.g. {@code 128x784}; a scalar prints as {@code []}. */
    @Override
    public String toString() {
        if (dims.length == 0) {
            return "[]";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                b.append('x');
            }
            b.append(dims[i]);
        }
        return b.toString();
    }
}
