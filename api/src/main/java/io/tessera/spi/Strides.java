package io.tessera.spi;

/**
 * Where {@link Kernels#copyStrided} reads or writes: element {@code (i, j, k)} of the copied block is at
 * {@code offset + i * s0 + j * s1 + k * s2} of the flat tensor. Strides are in elements; a source stride of 0 reads
 * one element many times (spreading a reduced gradient back over an axis), while destination indices must be
 * distinct. An immutable value.
 *
 * @param offset the flat index of element {@code (0, 0, 0)}
 * @param s0     the flat-index step of {@code i}
 * @param s1     the flat-index step of {@code j}
 * @param s2     the flat-index step of {@code k}
 */
public record Strides(int offset, int s0, int s1, int s2) {

    /**
     * Validates that nothing is negative.
     *
     * @param offset the flat index of element {@code (0, 0, 0)}
     * @param s0 the stride of {@code i}
     * @param s1 the stride of {@code j}
     * @param s2 the stride of {@code k}
     * @throws IllegalArgumentException if a value is negative
     */
    public Strides {
        if (offset < 0 || s0 < 0 || s1 < 0 || s2 < 0) {
            throw new IllegalArgumentException("strides must not be negative: offset " + offset + ", strides " + s0 + ", "
                    + s1 + ", " + s2);
        }
    }

    /**
     * The flat index of element {@code (i, j, k)}.
     *
     * @param i the first index
     * @param j the second index
     * @param k the third index
     * @return {@code offset + i * s0 + j * s1 + k * s2}, in a long
     */
    public long index(int i, int j, int k) {
        return offset + (long) i * s0 + (long) j * s1 + (long) k * s2;
    }

    /**
     * The largest flat index a block of {@code n0 x n1 x n2} elements touches (the counts positive).
     *
     * @param n0 the first extent
     * @param n1 the second extent
     * @param n2 the third extent
     * @return {@code index(n0 - 1, n1 - 1, n2 - 1)}
     */
    public long last(int n0, int n1, int n2) {
        return index(n0 - 1, n1 - 1, n2 - 1);
    }
}
