package io.tessera.slide.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticExtremeTest {
    private final SyntheticExtreme gen = SyntheticExtreme.of(100_000, 100_000, 50, 42);

    @Test
    void samplesAreAFunctionOfSeedAndIndex() {
        ExtremeDataset whole = gen.generate(0, 300);
        ExtremeDataset tail = gen.generate(200, 100);
        for (int s = 0; s < 100; s++) {
            assertEquals(whole.labels().index(200 + s), tail.labels().index(s));
            assertEquals(whole.features().rowLength(200 + s), tail.features().rowLength(s));
            assertEquals(whole.features().index(whole.features().rowStart(200 + s)), tail.features().index(tail.features().rowStart(s)));
        }
        ExtremeDataset other = SyntheticExtreme.of(100_000, 100_000, 50, 43).generate(0, 300);
        assertNotEquals(whole.labels().index(0) + "," + whole.labels().index(1), other.labels().index(0) + "," + other.labels().index(1));
    }

    @Test
    void rowsAreSparseSortedAndUnitNorm() {
        ExtremeDataset d = gen.generate(0, 2000);
        assertEquals(100_000, d.classCount());
        assertEquals(100_000, d.featureCount());
        assertTrue(d.meanNonZeros() > 45 && d.meanNonZeros() <= 50, "about 50 non-zeros: " + d.meanNonZeros());
        SparseMatrix f = d.features();
        for (int r = 0; r < d.size(); r++) {
            double sq = 0;
            for (int k = f.rowStart(r); k < f.rowEnd(r); k++) {
                sq += f.value(k) * f.value(k);
                if (k > f.rowStart(r)) {
                    assertTrue(f.index(k) > f.index(k - 1));
                }
            }
            assertEquals(1.0, sq, 1e-5);
        }
        SparseMatrix.of(f.columns(), pointers(f), indices(f), null);
    }

    @Test
    void aSampleHoldsPartOfItsClassSignature() {
        ExtremeDataset d = gen.generate(0, 50);
        int[] signature = new int[gen.signatureSize()];
        for (int s = 0; s < d.size(); s++) {
            gen.signature(d.labels().index(s), signature);
            int shared = 0;
            for (int k = d.features().rowStart(s); k < d.features().rowEnd(s); k++) {
                for (int g : signature) {
                    if (g == d.features().index(k)) {
                        shared++;
                    }
                }
            }
            assertTrue(shared >= gen.signatureDraw(), "sample " + s + " shares " + shared + " signature features");
        }
    }

    @Test
    void refusesImpossibleParameters() {
        assertThrows(IllegalArgumentException.class, () -> SyntheticExtreme.of(1, 10, 5, 0));
        assertThrows(IllegalArgumentException.class, () -> SyntheticExtreme.of(10, 10, 50, 0));
        assertThrows(IllegalArgumentException.class, () -> gen.generate(0, 0));
    }

    private static int[] pointers(SparseMatrix m) {
        int[] p = new int[m.rows() + 1];
        for (int r = 0; r <= m.rows(); r++) {
            p[r] = r == m.rows() ? (int) m.nonZeros() : m.rowStart(r);
        }
        return p;
    }

    private static int[] indices(SparseMatrix m) {
        int[] a = new int[(int) m.nonZeros()];
        for (int k = 0; k < a.length; k++) {
            a[k] = m.index(k);
        }
        return a;
    }
}
