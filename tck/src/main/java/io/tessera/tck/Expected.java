package io.tessera.tck;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reference results of one kernel call, with what the tolerance needs: for each element the double-precision value
 * and the magnitude of its terms, and the number of terms summed into each element (see {@link Tolerances}).
 *
 * @param values     the exact (double-precision) results, row-major
 * @param magnitudes for each element, the sum of the absolute values of the terms it is computed from
 * @param terms      how many terms are summed into each element
 * @param cols       the row length, to print failing elements as {@code [row, col]}; the length for 1-D results
 */
public record Expected(double[] values, double[] magnitudes, int terms, int cols) {

    public Expected {
        if (values.length != magnitudes.length) {
            throw new IllegalArgumentException(values.length + " values but " + magnitudes.length + " magnitudes");
        }
        if (cols < 1 || terms < 1) {
            throw new IllegalArgumentException("cols " + cols + " and terms " + terms + " must be positive");
        }
    }

    /** The number of elements. */
    public int size() {
        return values.length;
    }

    /** The allowed absolute error of element {@code i}. */
    public double tolerance(int i) {
        return Tolerances.tolerance(terms, magnitudes[i]);
    }

    /**
     * Fails, naming {@code what}, the first element out of tolerance and how many are, unless every element of
     * {@code actual} is within tolerance. NaN and infinities fail.
     */
    public void assertMatches(String what, float[] actual) {
        if (actual.length != values.length) {
            fail(what + ": expected " + values.length + " elements, got " + actual.length);
        }
        int first = -1;
        int bad = 0;
        for (int i = 0; i < values.length; i++) {
            if (!(Math.abs(actual[i] - values[i]) <= tolerance(i))) {
                bad++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (bad > 0) {
            fail(what + ": element " + position(first) + " is " + actual[first] + ", expected " + values[first] + " ± "
                    + (float) tolerance(first) + "; " + bad + " of " + values.length + " elements are out of tolerance");
        }
    }

    private String position(int i) {
        return values.length == cols ? "[" + i + "]" : "[" + i / cols + ", " + i % cols + "]";
    }
}
