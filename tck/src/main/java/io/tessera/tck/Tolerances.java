package io.tessera.tck;

/**
 * The tolerances of the conformance kit. An element computed by a kernel passes when
 * {@code |actual - expected| <= ABS + REL * sqrt(terms) * magnitude}, where {@code expected} is the double-precision
 * reference value, {@code terms} the number of values summed into the element (1 for element-wise kernels, {@code k}
 * for GEMM, the row count for column sums) and {@code magnitude} the sum of the absolute values of those terms.
 *
 * <p>Scaling by the magnitude of the terms rather than of the result keeps the bound meaningful where terms cancel;
 * scaling by {@code sqrt(terms)} admits any summation order (sequential, pairwise, blocked, work-group trees).
 */
public final class Tolerances {

    /**
     * Relative tolerance per unit of magnitude: about 84 float32 ulps ({@code 2^-24 ≈ 6e-8}). Single-precision
     * arithmetic, fused multiply-add and full-precision exp/log (within 4 ulps) fit with a wide margin. For a sum of
     * {@code n} terms, the worst case of sequential float32 summation ({@code n * 2^-24}) stays below
     * {@code REL * sqrt(n)} up to {@code n ≈ 28,000}. Half precision, bfloat16, TF32 ({@code 2^-11 ≈ 4.9e-4}) and
     * fast-math approximations do not fit, by design: kernels must compute in float32.
     */
    public static final double REL = 1e-5;

    /**
     * Absolute floor: lets a device flush subnormal results to zero (OpenCL's default for float), and gives results
     * whose terms are all zero a non-zero bound. Far below any value the kit's inputs (of order 1) produce.
     */
    public static final double ABS = 1e-6;

    private Tolerances() {
    }

    /** The allowed absolute error of an element summed from {@code terms} values of total magnitude {@code magnitude}. */
    public static double tolerance(int terms, double magnitude) {
        return ABS + REL * Math.sqrt(terms) * magnitude;
    }
}
