package io.tessera.data;

import io.tessera.Shape;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchTransformTest {
    private static final int SIDE = 6;

    /** {@code n} images of 1x6x6 whose pixel (y, x) of image i holds i*36 + y*6 + x + 1: every pixel distinct. */
    private static InMemoryDataset images(int n) {
        byte[] pixels = new byte[n * SIDE * SIDE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i % 250 + 1);
        }
        return new InMemoryDataset(pixels, Shape.of(1, SIDE, SIDE), new byte[n], 10);
    }

    private static List<float[]> epoch(DataLoader loader, int epoch) {
        List<float[]> batches = new ArrayList<>();
        for (Batch b : loader.epoch(epoch)) {
            float[] f = new float[b.size() * b.rowSize()];
            b.features().get(0, f);
            batches.add(f);
        }
        return batches;
    }

    @Test
    void normalizeSubtractsTheMeanAndDividesByTheStd() {
        InMemoryDataset data = images(3);
        DataLoader plain = DataLoader.builder(data, 2).build();
        DataLoader normalized = DataLoader.builder(data, 2).transform(BatchTransform.normalize(0.1307, 0.3081)).build();
        List<float[]> a = epoch(plain, 0);
        List<float[]> b = epoch(normalized, 0);
        assertEquals(2, b.size());
        for (int k = 0; k < a.size(); k++) {
            for (int i = 0; i < a.get(k).length; i++) {
                assertEquals((a.get(k)[i] - 0.1307f) / 0.3081f, b.get(k)[i], 0f);
            }
        }
    }

    @Test
    void randomShiftMovesEachImageRigidlyAndFillsWithZero() {
        InMemoryDataset data = images(16);
        List<float[]> original = epoch(DataLoader.builder(data, 16).build(), 0);
        List<float[]> shifted = epoch(DataLoader.builder(data, 16).transform(BatchTransform.randomShift(2, 7)).build(), 0);
        int moved = 0;
        for (int r = 0; r < 16; r++) {
            int[] shift = findShift(original.get(0), shifted.get(0), r * SIDE * SIDE);
            assertTrue(Math.abs(shift[0]) <= 2 && Math.abs(shift[1]) <= 2, "shift within 2 pixels");
            if (shift[0] != 0 || shift[1] != 0) {
                moved++;
            }
        }
        assertTrue(moved >= 10, "most of 16 images move (1 in 25 stays), moved " + moved);
    }

    /** The (dy, dx) that maps image {@code base} of {@code a} onto {@code b}, asserting that it does exactly. */
    private static int[] findShift(float[] a, float[] b, int base) {
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                boolean ok = true;
                for (int y = 0; y < SIDE && ok; y++) {
                    for (int x = 0; x < SIDE && ok; x++) {
                        int sy = y - dy;
                        int sx = x - dx;
                        float expected = sy >= 0 && sy < SIDE && sx >= 0 && sx < SIDE ? a[base + sy * SIDE + sx] : 0f;
                        ok = b[base + y * SIDE + x] == expected;
                    }
                }
                if (ok) {
                    return new int[] {dy, dx};
                }
            }
        }
        throw new AssertionError("image at " + base + " is not a translation of the original by at most 2 pixels");
    }

    @Test
    void shiftsRepeatForTheSameEpochAndDifferAcrossEpochs() {
        InMemoryDataset data = images(32);
        DataLoader loader = DataLoader.builder(data, 8).shuffle(3).transform(BatchTransform.randomShift(2, 11)).build();
        List<float[]> first = epoch(loader, 1);
        List<float[]> again = epoch(loader, 1);
        for (int k = 0; k < first.size(); k++) {
            assertArrayEquals(first.get(k), again.get(k), "epoch 1 replayed, batch " + k);
        }
        DataLoader unshuffled = DataLoader.builder(data, 8).transform(BatchTransform.randomShift(2, 11)).build();
        boolean differs = false;
        List<float[]> e0 = epoch(unshuffled, 0);
        List<float[]> e1 = epoch(unshuffled, 1);
        for (int k = 0; k < e0.size(); k++) {
            differs |= !java.util.Arrays.equals(e0.get(k), e1.get(k));
        }
        assertTrue(differs, "the same samples get new shifts in a new epoch");
    }

    @Test
    void zeroShiftIsTheIdentityAndTransformsChainInOrder() {
        InMemoryDataset data = images(4);
        List<float[]> plain = epoch(DataLoader.builder(data, 4).build(), 0);
        assertArrayEquals(plain.get(0), epoch(DataLoader.builder(data, 4).transform(BatchTransform.randomShift(0, 1)).build(), 0).get(0));
        List<float[]> chained = epoch(DataLoader.builder(data, 4)
                .transform((f, rows, shape, e, b) -> f.put(0, 10f))
                .transform(BatchTransform.normalize(1, 2)).build(), 0);
        assertEquals(4.5f, chained.get(0)[0], 0f, "the first transform runs first");
        assertFalse(DataLoader.builder(data, 4).build().toString().contains("transformed"));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> BatchTransform.normalize(0, 0));
        assertThrows(IllegalArgumentException.class, () -> BatchTransform.randomShift(-1, 0));
        InMemoryDataset flat = new InMemoryDataset(new byte[8], Shape.of(4), new byte[2], 10);
        DataLoader loader = DataLoader.builder(flat, 2).transform(BatchTransform.randomShift(1, 0)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loader.iterator().next());
        assertTrue(e.getMessage().contains("[C, H, W]"), e.getMessage());
    }
}
