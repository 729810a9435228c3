package io.tessera.optim;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SgdArgumentsTest {

    @Test
    void nonFiniteOrNegativeArgumentsAreRefusedAtOnce() {
        for (double[] bad : new double[][] {{Double.POSITIVE_INFINITY, 0, 0}, {Double.NaN, 0, 0}, {-1, 0, 0},
                {0.1, Double.POSITIVE_INFINITY, 0}, {0.1, 0, Double.NaN}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(), bad[0], bad[1], bad[2]));
            assertTrue(e.getMessage().contains("finite and >= 0"), e.getMessage());
        }
        try (SGD sgd = new SGD(List.of(), 0.1)) {
            assertThrows(IllegalArgumentException.class, () -> sgd.setLearningRate(Double.POSITIVE_INFINITY));
        }
    }
}
