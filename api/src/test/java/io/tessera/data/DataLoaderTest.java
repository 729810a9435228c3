package io.tessera.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataLoaderTest {

    @Test
    void everyEpochVisitsEverySampleExactlyOnce() {
        DataLoader loader = DataLoader.builder(TestData.indexed(1000), 64).shuffle(42).build();
        assertEquals(16, loader.batchCount());

        for (int epoch = 0; epoch < 3; epoch++) {
            BitSet seen = new BitSet();
            int batches = 0;
            for (Batch batch : loader) {
                assertEquals(batches, batch.index());
                assertEquals(batches == 15 ? 1000 - 15 * 64 : 64, batch.size());
                assertEquals(batch.size() * 2, batch.features().limit());
                assertEquals(0, batch.features().position());
                for (int row = 0; row < batch.size(); row++) {
                    int index = TestData.indexOf(batch.features(), row);
                    assertFalse(seen.get(index), "sample " + index + " twice in epoch " + epoch);
                    seen.set(index);
                    assertEquals(index % 10, batch.labels()[row]);
                }
                batches++;
            }
            assertEquals(16, batches);
            assertEquals(1000, seen.cardinality());
        }
    }

    @Test
    void eachEpochHasItsOwnOrder() {
        DataLoader loader = DataLoader.builder(TestData.indexed(500), 50).shuffle(42).build();

        List<Integer> first = order(loader);
        List<Integer> second = order(loader);

        assertNotEquals(first, second);
        assertEquals(2, loader.nextEpoch());
    }

    @Test
    void theSameSeedGivesTheSameOrderEpochByEpoch() {
        DataLoader a = DataLoader.builder(TestData.indexed(500), 50).shuffle(42).build();
        DataLoader b = DataLoader.builder(TestData.indexed(500), 32).shuffle(42).build();
        DataLoader c = DataLoader.builder(TestData.indexed(500), 50).shuffle(43).build();

        for (int epoch = 0; epoch < 3; epoch++) {
            List<Integer> fromA = order(a);
            assertEquals(fromA, order(b), "epoch " + epoch);
            assertNotEquals(fromA, order(c), "epoch " + epoch);
        }
    }

    @Test
    void anEpochCanBeReplayed() {
        DataLoader loader = DataLoader.builder(TestData.indexed(300), 64).shuffle(5).build();
        order(loader);
        List<Integer> epoch1 = order(loader);

        assertEquals(epoch1, order(loader.epoch(1)));
        assertEquals(2, loader.nextEpoch());
    }

    @Test
    void withoutShuffleEveryEpochIsInDatasetOrder() {
        DataLoader loader = DataLoader.builder(TestData.indexed(130), 64).build();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            expected.add(i);
        }

        assertEquals(expected, order(loader));
        assertEquals(expected, order(loader));
        assertEquals(3, loader.batchCount());
        assertEquals(130, loader.samplesPerEpoch());
    }

    @Test
    void dropLastLeavesOutTheIncompleteBatch() {
        DataLoader loader = DataLoader.builder(TestData.indexed(1000), 64).shuffle(1).dropLast(true).build();

        assertEquals(15, loader.batchCount());
        assertEquals(960, loader.samplesPerEpoch());
        List<Integer> seen = new ArrayList<>();
        for (Batch batch : loader) {
            assertEquals(64, batch.size());
            for (int row = 0; row < 64; row++) {
                seen.add(TestData.indexOf(batch.features(), row));
            }
        }
        assertEquals(960, seen.size());
        assertEquals(960, seen.stream().distinct().count());
    }

    @Test
    void dropLastKeepsAnExactMultiple() {
        DataLoader loader = DataLoader.builder(TestData.indexed(128), 64).dropLast(true).build();

        assertEquals(2, loader.batchCount());
        assertEquals(128, order(loader).size());
    }

    @Test
    void loadsASplitsSamples() {
        InMemoryDataset data = TestData.indexed(1000);
        Subset validation = Datasets.randomSplit(data, 42, 800, 200).get(1);
        Subset nested = new Subset(validation, new int[] {199, 0, 5});

        List<Integer> unshuffled = order(DataLoader.builder(validation, 64).build());
        List<Integer> shuffled = order(DataLoader.builder(validation, 64).shuffle(3).build());

        assertEquals(Arrays.stream(validation.indices()).boxed().toList(), unshuffled);
        assertEquals(unshuffled.stream().sorted().toList(), shuffled.stream().sorted().toList());
        assertNotEquals(unshuffled, shuffled);
        assertEquals(List.of(validation.parentIndex(199), validation.parentIndex(0), validation.parentIndex(5)),
                order(DataLoader.builder(nested, 2).build()));
    }

    @Test
    void reusesOneBatchPerEpoch() {
        DataLoader loader = DataLoader.builder(TestData.indexed(100), 10).build();
        var it = loader.iterator();

        Batch first = it.next();
        Batch second = it.next();

        assertSame(first, second);
        assertTrue(first.features().isDirect());
        assertEquals(10, first.labels().length);
    }

    @Test
    void rejectsBadSettings() {
        InMemoryDataset data = TestData.indexed(10);

        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(data, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataLoader.builder(data, 64).dropLast(true).build());
        assertTrue(e.getMessage().contains("no full batch of 64"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(data, 4).build().epoch(-1));
    }

    @Test
    void readingPastTheEndFails() {
        var it = DataLoader.builder(TestData.indexed(10), 10).build().iterator();
        it.next();

        assertFalse(it.hasNext());
        assertThrows(java.util.NoSuchElementException.class, it::next);
    }

    static List<Integer> order(Iterable<Batch> epoch) {
        List<Integer> indices = new ArrayList<>();
        for (Batch batch : epoch) {
            for (int row = 0; row < batch.size(); row++) {
                indices.add(TestData.indexOf(batch.features(), row));
            }
        }
        return indices;
    }

    @Test
    void orderIsAPermutation() {
        int[] p = DataLoader.builder(TestData.indexed(50), 7).shuffle(9).build().order(4);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        int[] identity = new int[50];
        Arrays.setAll(identity, i -> i);
        assertArrayEquals(identity, sorted);
    }
}
