package io.tessera;

/** The element type of a tensor. */
public enum DType {
    /** 32-bit IEEE 754 float: activations, parameters, gradients. */
    FLOAT32(4),
    /** 32-bit signed integer: class labels, indices. */
    INT32(4);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /**
     * Bytes per element.
     *
     * @return 4 for both FLOAT32 and INT32
     */
    public int bytes() {
        return bytes;
    }

    /** Lower-case name as printed in messages, e.g. {@code float32}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
