package io.tessera.spi;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Known answers of Philox4x32-10 (Random123's kat_vectors) and the mapping of stream elements to blocks and lanes. */
class PhiloxTest {

    @Test
    void counterZeroKeyZero() {
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, Philox.block(0L, 0, 0));
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, Philox.block(0, 0, 0, 0, 0, 0));
    }

    @Test
    void allOnesCounterAndKey() {
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
                Philox.block(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff));
    }

    @Test
    void piCounterAndKey() {
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
                Philox.block(0xa4093822, 0x299f31d0, 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344));
    }

    @Test
    void theSeedIsTheKeyLowWordFirst() {
        long seed = 0x299f31d0_a4093822L;
        assertArrayEquals(Philox.block(0xa4093822, 0x299f31d0, 7, 3, 0, 0), Philox.block(seed, 7, 3));
    }

    @Test
    void elementJIsLaneJMod4OfBlockJDiv4() {
        long seed = 0xfeedface_12345678L;
        long j = (5L << 32) * 4 + 4 * 9 + 3;  // block (9, 5), lane 3
        assertEquals(Philox.block(seed, 9, 5)[3], Philox.bits(seed, j));
        assertEquals(Philox.block(seed, 0, 0)[2], Philox.bits(seed, 2));
        assertEquals((Philox.bits(seed, 2) >>> 8) * 0x1.0p-24f, Philox.uniform(seed, 2));
    }

    @Test
    void maskValues() {
        for (long j = 0; j < 64; j++) {
            float u = Philox.uniform(42, j);
            assertTrue(u >= 0f && u < 1f);
            assertEquals(u < 0.25f ? 0f : 1f / 0.75f, Philox.maskValue(42, j, 0.25f));
            assertEquals(1f, Philox.maskValue(42, j, 0f));
        }
    }
}
