package io.tessera.slide.lsh;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.IntConsumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LshTablesTest {
    private static final int DIM = 32;
    private static final LshTables.TableRunner SERIAL = (tables, body) -> {
        for (int t = 0; t < tables; t++) {
            body.accept(t);
        }
    };

    private static float[] randomRows(int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] w = new float[rows * DIM];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        return w;
    }

    private static int[] range(int n) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        return ids;
    }

    private static LshTables build(HashFamily family, int neurons, int bucketSize, float[] w) {
        LshTables t = new LshTables(family, neurons, bucketSize, 7);
        int[] codes = new int[neurons * family.tables()];
        t.hashRows(w, range(neurons), 0, neurons, codes);
        t.rehash(range(neurons), neurons, codes, SERIAL);
        return t;
    }

    @Test
    void bucketsAreBoundedAndCountEveryNeuron() {
        int neurons = 5000;
        HashFamily family = new DensifiedWta(DIM, 2, 6, 8, 6, 1);
        LshTables t = build(family, neurons, 16, randomRows(neurons, 1));
        for (int table = 0; table < t.tables(); table++) {
            long seen = 0;
            long stored = 0;
            for (int b = 0; b < 1 << family.bucketBits(); b++) {
                assertTrue(t.storedIn(table, b) <= 16);
                assertEquals(Math.min(16, t.seenIn(table, b)), t.storedIn(table, b), "a bucket stores min(size, seen)");
                seen += t.seenIn(table, b);
                stored += t.storedIn(table, b);
            }
            assertEquals(neurons, seen, "every neuron hashes somewhere in table " + table);
            int check = 0;
            for (int n = 0; n < neurons; n++) {
                if (t.isStored(table, n)) {
                    check++;
                    int b = t.bucketOf(table, n);
                    boolean found = false;
                    for (int i = 0; i < t.storedIn(table, b) && !found; i++) {
                        found = t.slots(table)[b * 16 + i] == n;
                    }
                    assertTrue(found, "neuron " + n + " is where its position says");
                }
            }
            assertEquals(stored, check);
        }
    }

    @Test
    void reservoirSamplingKeepsAUniformShareOfACrowdedBucket() {
        HashFamily oneBucket = new HashFamily() {
            public int dimension() {
                return DIM;
            }

            public int tables() {
                return 1;
            }

            public int bucketBits() {
                return 1;
            }

            public void hash(float[] x, int offset, int[] buckets) {
                buckets[0] = 0;
            }

            public String describe() {
                return "one bucket";
            }
        };
        int neurons = 4000;
        int[] firstHalf = new int[2];
        for (int seed = 0; seed < 20; seed++) {
            LshTables t = new LshTables(oneBucket, neurons, 100, seed);
            int[] codes = new int[neurons];
            t.rehash(range(neurons), neurons, codes, SERIAL);
            assertEquals(100, t.storedIn(0, 0));
            for (int n = 0; n < neurons; n++) {
                if (t.isStored(0, n)) {
                    firstHalf[n < neurons / 2 ? 0 : 1]++;
                }
            }
        }
        double share = firstHalf[0] / (double) (firstHalf[0] + firstHalf[1]);
        assertTrue(Math.abs(share - 0.5) < 0.06, "early and late neurons are kept alike: " + share);
    }

    @Test
    void rehashMovesNeuronsAndKeepsCountsConsistent() {
        int neurons = 2000;
        HashFamily family = new SimHash(DIM, 6, 4, 3);
        float[] w = randomRows(neurons, 2);
        LshTables t = build(family, neurons, 8, w);
        int[] moved = new int[500];
        for (int i = 0; i < moved.length; i++) {
            moved[i] = i * 4;
            for (int d = 0; d < DIM; d++) {
                w[moved[i] * DIM + d] = -w[moved[i] * DIM + d];
            }
        }
        int[] codes = new int[moved.length * family.tables()];
        t.hashRows(w, moved, 0, moved.length, codes);
        t.rehash(moved, moved.length, codes, SERIAL);
        int[] expected = new int[family.tables()];
        for (int n : moved) {
            family.hash(w, n * DIM, expected);
            for (int table = 0; table < t.tables(); table++) {
                assertEquals(expected[table], t.bucketOf(table, n));
            }
        }
        for (int table = 0; table < t.tables(); table++) {
            long seen = 0;
            for (int b = 0; b < 1 << family.bucketBits(); b++) {
                seen += t.seenIn(table, b);
                assertTrue(t.storedIn(table, b) <= 8);
            }
            assertEquals(neurons, seen);
        }
    }

    @Test
    void theResultDoesNotDependOnHowTablesAreSplitOverThreads() throws InterruptedException {
        int neurons = 3000;
        HashFamily family = new DensifiedWta(DIM, 3, 8, 8, 7, 5);
        float[] w = randomRows(neurons, 4);
        LshTables serial = build(family, neurons, 4, w);
        LshTables parallel = new LshTables(family, neurons, 4, 7);
        int[] codes = new int[neurons * family.tables()];
        parallel.hashRows(w, range(neurons), 0, neurons, codes);
        parallel.rehash(range(neurons), neurons, codes, (tables, body) -> {
            Thread other = new Thread(() -> {
                for (int t = 1; t < tables; t += 2) {
                    body.accept(t);
                }
            });
            other.start();
            for (int t = 0; t < tables; t += 2) {
                body.accept(t);
            }
            join(other);
        });
        for (int table = 0; table < family.tables(); table++) {
            assertArrayEquals(serial.slots(table), parallel.slots(table), "table " + table);
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unused")
    private static IntConsumer ignore() {
        return t -> { };
    }
}
