package io.tessera.tck;

import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.spi.Philox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance of {@code dropoutMask}: bit for bit {@link Philox#maskValue} (no tolerance: every backend must draw the
 * same mask), for odd sizes, offsets that are not multiples of 4 (a block split between calls), offsets above 2^32
 * (the counter's high word), seeds with high bits set (the second key word), p = 0 and p = 0.5; and the kept
 * fraction of a large mask.
 */
public abstract class DropoutConformanceTest extends ConformanceTestBase {

    @ParameterizedTest(name = "{0} elements, p {1}, seed {2}, offset {3}")
    @CsvSource({
        "1, 0.5, 1, 0",
        "7, 0.5, 42, 0",
        "13, 0.5, 42, 3",
        "257, 0.3, 12345, 1021",
        "1000, 0.5, -1, 0",
        "33, 0.5, 0x7fffffff00000001, 5",
        "65, 0.1, -6148914691236517206, 4294967293",
        "17, 0.5, 99, 4294967296",
        "31, 0.5, 99, 8589934597",
        "101, 0.9, 0x1234567890abcdef, 1152921504606846975",
        "999, 0, 7, 11",
        "4099, 0.25, 2024, 6",
    })
    void matchesPhiloxBitForBit(int n, float p, String seedText, long offset) {
        long seed = Long.decode(seedText);
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            expected[i] = Philox.maskValue(seed, offset + i, p);
        }
        try (Tensor mask = device().empty(Shape.of(n), io.tessera.DType.FLOAT32)) {
            kernels().fill(mask, Float.NaN);
            kernels().dropoutMask(mask, p, seed, offset);
            assertArrayEquals(expected, mask.toFloatArray(), "dropoutMask(" + n + " elements, p " + p + ", seed " + seed + ", offset "
                    + offset + ") must equal Philox.maskValue bit for bit");
        }
    }

    @Test
    void pZeroKeepsEverything() {
        try (Tensor mask = device().zeros(Shape.of(1001))) {
            kernels().dropoutMask(mask, 0f, 5, 17);
            float[] ones = new float[1001];
            java.util.Arrays.fill(ones, 1f);
            assertArrayEquals(ones, mask.toFloatArray(), "p = 0 must keep every element with scale 1");
        }
    }

    @Test
    void consecutiveCallsContinueTheStream() {
        try (Tensor whole = device().zeros(Shape.of(30)); Tensor first = device().zeros(Shape.of(13));
             Tensor second = device().zeros(Shape.of(17))) {
            kernels().dropoutMask(whole, 0.5f, 77, 101);
            kernels().dropoutMask(first, 0.5f, 77, 101);
            kernels().dropoutMask(second, 0.5f, 77, 114);
            float[] joined = new float[30];
            System.arraycopy(first.toFloatArray(), 0, joined, 0, 13);
            System.arraycopy(second.toFloatArray(), 0, joined, 13, 17);
            assertArrayEquals(whole.toFloatArray(), joined, "a mask drawn in two calls must equal the mask drawn in one");
        }
    }

    @ParameterizedTest(name = "p {0}")
    @CsvSource({"0.5", "0.1", "0.8"})
    void keptFractionIsWithinFiveSigma(float p) {
        int n = 100_000;
        try (Tensor mask = device().empty(Shape.of(n), io.tessera.DType.FLOAT32)) {
            kernels().dropoutMask(mask, p, 0x5eed, 0);
            float[] values = mask.toFloatArray();
            float scale = 1f / (1f - p);
            int kept = 0;
            for (float v : values) {
                assertTrue(v == 0f || v == scale, "mask values are 0 or 1 / (1 - p) = " + scale + ", got " + v);
                if (v != 0f) {
                    kept++;
                }
            }
            double q = 1 - p;
            double sigma = Math.sqrt(n * q * (1 - q));
            int keptCount = kept;
            assertTrue(Math.abs(keptCount - n * q) <= 5 * sigma, () -> "kept " + keptCount + " of " + n + " with p " + p
                    + "; expected " + n * q + " ± " + 5 * sigma);
        }
    }
}
