package io.tessera.spi;

/**
 * The element-wise functions of {@link Kernels#unary} and {@link Kernels#unaryBackward}, each with its derivative.
 * {@code alpha} is the scalar argument of those that take one (ignored by the others). Backends switch on
 * {@link #code()}, which is stable: new functions get new codes.
 */
public enum UnaryFunction {
    /** {@code -x}; derivative {@code -1}. */
    NEG(0),
    /** {@code e^x}; derivative {@code e^x}. */
    EXP(1),
    /** {@code ln x} (NaN below 0, -inf at 0); derivative {@code 1 / x}. */
    LOG(2),
    /** {@code sqrt x}; derivative {@code 0.5 / sqrt x}. */
    SQRT(3),
    /** {@code tanh x}; derivative {@code 1 - tanh^2 x}. */
    TANH(4),
    /** {@code 1 / (1 + e^-x)}; derivative {@code s (1 - s)}. */
    SIGMOID(5),
    /**
     * GELU, tanh form: {@code 0.5 x (1 + tanh(u))} with {@code u = sqrt(2/pi) (x + 0.044715 x^3)}; derivative
     * {@code 0.5 (1 + tanh u) + 0.5 x (1 - tanh^2 u) sqrt(2/pi) (1 + 3 * 0.044715 x^2)}.
     */
    GELU(6),
    /** {@code x^alpha} (Java's {@code Math.pow} rules); derivative {@code alpha x^(alpha - 1)}. */
    POW(7),
    /** {@code x + alpha}; derivative {@code 1}. */
    ADD_SCALAR(8),
    /** {@code alpha * x}; derivative {@code alpha}. */
    MUL_SCALAR(9),
    /** {@code |x|}; derivative {@code sign x} (0 at 0). */
    ABS(10);

    private final int code;

    UnaryFunction(int code) {
        this.code = code;
    }

    /**
     * The stable number kernels switch on.
     *
     * @return the code
     */
    public int code() {
        return code;
    }

    /**
     * The value in double precision: the reference every backend is checked against.
     *
     * @param x the operand
     * @param alpha the scalar argument, ignored by functions without one
     * @return the value
     */
    public double apply(double x, double alpha) {
        return switch (this) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case GELU -> 0.5 * x * (1 + Math.tanh(GELU_C * (x + 0.044715 * x * x * x)));
            case POW -> Math.pow(x, alpha);
            case ADD_SCALAR -> x + alpha;
            case MUL_SCALAR -> alpha * x;
            case ABS -> Math.abs(x);
        };
    }

    /**
     * The derivative at {@code x} in double precision.
     *
     * @param x the operand
     * @param alpha the scalar argument, ignored by functions without one
     * @return the derivative
     */
    public double derivative(double x, double alpha) {
        return switch (this) {
            case NEG -> -1;
            case EXP -> Math.exp(x);
            case LOG -> 1 / x;
            case SQRT -> 0.5 / Math.sqrt(x);
            case TANH -> 1 - Math.tanh(x) * Math.tanh(x);
            case SIGMOID -> {
                double s = 1 / (1 + Math.exp(-x));
                yield s * (1 - s);
            }
            case GELU -> {
                double t = Math.tanh(GELU_C * (x + 0.044715 * x * x * x));
                yield 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * 0.044715 * x * x);
            }
            case POW -> alpha * Math.pow(x, alpha - 1);
            case ADD_SCALAR -> 1;
            case MUL_SCALAR -> alpha;
            case ABS -> Math.signum(x);
        };
    }

    /** {@code sqrt(2 / pi)}, the GELU constant. */
    public static final double GELU_C = 0.7978845608028654;
}
