package io.tessera.slide.lsh;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HashFamilyTest {
    private static final int DIM = 128;

    private static float[] gaussian(SplittableRandom r) {
        float[] x = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    /** Share of tables in which a vector and a noisy copy collide, against a vector and an unrelated one. */
    private static double[] collisions(HashFamily h) {
        SplittableRandom r = new SplittableRandom(11);
        int[] a = new int[h.tables()];
        int[] b = new int[h.tables()];
        int[] c = new int[h.tables()];
        long near = 0;
        long far = 0;
        for (int trial = 0; trial < 200; trial++) {
            float[] x = gaussian(r);
            float[] y = x.clone();
            for (int i = 0; i < DIM; i++) {
                y[i] += 0.3f * (float) r.nextGaussian();
            }
            float[] z = gaussian(r);
            h.hash(x, 0, a);
            h.hash(y, 0, b);
            h.hash(z, 0, c);
            for (int t = 0; t < h.tables(); t++) {
                near += a[t] == b[t] ? 1 : 0;
                far += a[t] == c[t] ? 1 : 0;
            }
        }
        return new double[] {near / (200.0 * h.tables()), far / (200.0 * h.tables())};
    }

    @Test
    void similarVectorsCollideFarMoreOftenThanUnrelatedOnes() {
        for (HashFamily h : new HashFamily[] {new SimHash(DIM, 6, 20, 1), new DensifiedWta(DIM, 3, 20, 8, 9, 1)}) {
            double[] p = collisions(h);
            assertTrue(p[0] > 0.2 && p[0] > 5 * p[1], h.describe() + ": near " + p[0] + ", far " + p[1]);
        }
    }

    @Test
    void bucketsAreInRangeAndReproducible() {
        SplittableRandom r = new SplittableRandom(2);
        for (HashFamily h : new HashFamily[] {new SimHash(DIM, 9, 10, 3), new DensifiedWta(DIM, 6, 10, 8, 12, 3),
                new DensifiedWta(DIM, 2, 10, 4, 3, 3)}) {
            int[] first = new int[h.tables()];
            int[] again = new int[h.tables()];
            for (int trial = 0; trial < 50; trial++) {
                float[] x = gaussian(r);
                h.hash(x, 0, first);
                h.hash(x, 0, again);
                assertArrayEquals(first, again);
                for (int b : first) {
                    assertTrue(b >= 0 && b < 1 << h.bucketBits(), h.describe() + ": bucket " + b);
                }
            }
        }
    }

    @Test
    void dwtaIgnoresScaleAndDensifiesEmptyBins() {
        DensifiedWta h = new DensifiedWta(DIM, 4, 16, 8, 12, 9);
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[DIM];
        for (int i = 0; i < 10; i++) {
            x[r.nextInt(DIM)] = 1 + r.nextFloat();
        }
        float[] scaled = x.clone();
        for (int i = 0; i < DIM; i++) {
            scaled[i] *= 3.5f;
        }
        int[] a = new int[16];
        int[] b = new int[16];
        h.hash(x, 0, a);
        h.hash(scaled, 0, b);
        assertArrayEquals(a, b, "winner-take-all ranks coordinates: scale does not matter");
        h.hash(new float[DIM], 0, a);
        for (int v : a) {
            assertTrue(v == 0, "an all-zero vector goes to bucket 0");
        }
    }

    @Test
    void refusesImpossibleParameters() {
        assertThrows(IllegalArgumentException.class, () -> new SimHash(DIM, 25, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new DensifiedWta(DIM, 2, 2, 6, 8, 0));
        assertThrows(IllegalArgumentException.class, () -> new DensifiedWta(4, 2, 2, 8, 8, 0));
    }
}
