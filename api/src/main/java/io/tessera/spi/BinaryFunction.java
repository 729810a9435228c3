package io.tessera.spi;

/** The element-wise functions of two operands of {@link Kernels#binary}. Backends switch on {@link #code()}. */
public enum BinaryFunction {
    /** {@code a + b}. */
    ADD(0),
    /** {@code a - b}. */
    SUB(1),
    /** {@code a * b}. */
    MUL(2),
    /** {@code a / b} (IEEE: division by 0 gives an infinity or NaN). */
    DIV(3);

    private final int code;

    BinaryFunction(int code) {
        this.code = code;
    }

    /**
     * The stable number kernels switch on.
     *
     * @return the code, 0 to 3
     */
    public int code() {
        return code;
    }

    /**
     * The value in double precision: the reference.
     *
     * @param a the first operand
     * @param b the second operand
     * @return the result
     */
    public double apply(double a, double b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
        };
    }
}
