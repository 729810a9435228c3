package io.tessera.spi;

/**
 * Where {@link Kernels#copyStrided} reads or writes: element {@code (i, j, k)} of the copied block is at
 * {@code offset + i * s0 + j * s1 + k * s2} of the flat tensor. Strides are in elements; a source stride of 0 reads
 * one element many times (spreading a reduced gradient back over an axis), while destination indices must be
 * distinct. An immutable value.
 */
public record Strides(int offset, int s0, int s1, int s2) {

    public Strides {
        if (offset < 0 || s0 < 0 || s1 < 0 || s2 < 0) {
            throw new IllegalArgumentException("strides must not be negative: offset " + offset + ", strides " + s0 + ", "
                    + s1 + ", " + s2);
        }
    }

    /** The flat index of element {@code (i, j, k)}. */
    public long index(int i, int j, int k) {
        return offset + (long) i * s0 + (long) j * s1 + (long) k * s2;
    }

    /** The largest flat index a block of {@code n0 x n1 x n2} elements touches (the counts positive). */
    public long last(int n0, int n1, int n2) {
        return index(n0 - 1, n1 - 1, n2 - 1);
    }
}
