package io.tessera.data;

import io.tessera.DType;
import io.tessera.Shape;
import io.tessera.TesseraException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceDataLoaderTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final HostTestDevice device = new HostTestDevice();

    @AfterEach
    void noPrefetchThreadOutlivesItsTest() throws InterruptedException {
        for (Thread t : prefetchThreads()) {
            t.join(5_000);
            assertFalse(t.isAlive(), "thread " + t.getName() + " is still running");
        }
    }

    @Test
    void uploadsTheSameBatchesInTheSameOrderAsTheDataLoader() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            DataLoader host = DataLoader.builder(TestData.indexed(1000), 64).shuffle(42).build();
            DataLoader source = DataLoader.builder(TestData.indexed(1000), 64).shuffle(42).build();
            try (DeviceDataLoader loader = new DeviceDataLoader(source, device)) {
                assertEquals(16, loader.batchCount());
                for (int epoch = 0; epoch < 3; epoch++) {
                    Iterator<Batch> expected = host.iterator();
                    int batches = 0;
                    for (DeviceBatch batch : loader) {
                        Batch want = expected.next();
                        assertEquals(want.size(), batch.size());
                        assertEquals(Shape.of(want.size(), 1, 1, 2), batch.features().shape());
                        assertEquals(Shape.of(want.size()), batch.labels().shape());
                        assertEquals(DType.FLOAT32, batch.features().dtype());
                        assertEquals(DType.INT32, batch.labels().dtype());
                        assertSame(device, batch.features().device());
                        float[] wantFeatures = new float[want.size() * 2];
                        want.features().duplicate().get(wantFeatures);
                        assertArrayEquals(wantFeatures, batch.features().toFloatArray(), "epoch " + epoch + " batch " + batches);
                        assertArrayEquals(java.util.Arrays.copyOf(want.labels(), want.size()), batch.labels().toIntArray());
                        batches++;
                    }
                    assertFalse(expected.hasNext());
                    assertEquals(16, batches);
                }
            }
            assertEquals(0, device.liveAllocations(), "the loader closes its tensors");
        });
    }

    @Test
    void onlyTheConsumerThreadIssuesKernels() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            try (DeviceDataLoader loader = new DeviceDataLoader(DataLoader.builder(TestData.indexed(500), 32).shuffle(1).build(), device, 3)) {
                for (DeviceBatch batch : loader) {
                    batch.labels().toIntArray();
                }
            }
            assertEquals(Set.of(Thread.currentThread()), device.kernelThreads());
            assertEquals(3, device.hostBuffersAllocated(), "one staging buffer per prefetch slot, from the device");
        });
    }

    @Test
    void theFullBatchesShareTheLoadersTensors() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            try (DeviceDataLoader loader = new DeviceDataLoader(DataLoader.builder(TestData.indexed(100), 30).build(), device)) {
                Iterator<DeviceBatch> it = loader.iterator();
                DeviceBatch first = it.next();
                DeviceBatch second = it.next();
                assertSame(first.features(), second.features());
                it.next();
                DeviceBatch last = it.next();
                assertEquals(10, last.size());
                assertEquals(Shape.of(10, 1, 1, 2), last.features().shape());
                assertEquals(90, TestData.indexOf(last.features().toFloatArray(), 0));
                assertEquals(2, device.liveAllocations());
            }
        });
    }

    @Test
    void anErrorWhileGatheringSurfacesInNext() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            IllegalStateException boom = new IllegalStateException("disk on fire");
            Dataset failing = new FailingDataset(TestData.indexed(100), 3, boom);
            try (DeviceDataLoader loader = new DeviceDataLoader(DataLoader.builder(failing, 10).build(), device)) {
                Iterator<DeviceBatch> it = loader.iterator();
                it.next();
                it.next();
                it.next();
                TesseraException e = assertThrows(TesseraException.class, it::next);
                assertSame(boom, e.getCause());
                assertTrue(e.getMessage().contains("gathering batch 3 of epoch 0 for device host-test failed"), e.getMessage());
                assertTrue(e.getMessage().contains("disk on fire"), e.getMessage());
                assertFalse(it.hasNext());
            }
        });
    }

    @Test
    void closingMidEpochStopsTheThreadAndTheIterator() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            DeviceDataLoader loader = new DeviceDataLoader(DataLoader.builder(TestData.indexed(10_000), 10).shuffle(3).build(), device);
            Iterator<DeviceBatch> it = loader.iterator();
            it.next();
            assertEquals(1, prefetchThreads().size());

            loader.close();

            assertTrue(prefetchThreads().isEmpty(), "close() joins the prefetch thread");
            assertEquals(0, device.liveAllocations());
            IllegalStateException e = assertThrows(IllegalStateException.class, it::next);
            assertTrue(e.getMessage().contains("DeviceDataLoader on device host-test is closed"), e.getMessage());
            assertThrows(IllegalStateException.class, loader::iterator);
            loader.close();
        });
    }

    @Test
    void closingStopsAThreadBlockedInTheDataset() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            CountDownLatch entered = new CountDownLatch(1);
            Dataset blocking = new BlockingDataset(TestData.indexed(100), entered);
            DeviceDataLoader loader = new DeviceDataLoader(DataLoader.builder(blocking, 10).build(), device);
            loader.iterator();
            assertTrue(entered.await(10, TimeUnit.SECONDS));

            loader.close();

            assertTrue(prefetchThreads().isEmpty());
        });
    }

    @Test
    void closingWithoutIteratingIsFine() {
        new DeviceDataLoader(DataLoader.builder(TestData.indexed(10), 5).build(), device).close();
        assertEquals(0, device.liveAllocations());
    }

    @Test
    void anAbandonedEpochIsStoppedByTheNext() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            DataLoader host = DataLoader.builder(TestData.indexed(1000), 10).shuffle(8).build();
            try (DeviceDataLoader loader = new DeviceDataLoader(DataLoader.builder(TestData.indexed(1000), 10).shuffle(8).build(), device)) {
                Iterator<DeviceBatch> abandoned = loader.iterator();
                abandoned.next();
                Thread first = prefetchThreads().get(0);

                Iterator<DeviceBatch> next = loader.iterator();

                assertFalse(first.isAlive());
                assertTrue(first.getName().startsWith("tessera-prefetch-host-test-epoch-0"), first.getName());
                assertTrue(first.isDaemon());
                assertThrows(IllegalStateException.class, abandoned::next);
                Batch want = host.epoch(1).iterator().next();
                float[] wantFeatures = new float[20];
                want.features().get(wantFeatures);
                assertArrayEquals(wantFeatures, next.next().features().toFloatArray());
            }
        });
    }

    @Test
    void readingPastTheEndFails() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            try (DeviceDataLoader loader = new DeviceDataLoader(DataLoader.builder(TestData.indexed(10), 10).build(), device)) {
                Iterator<DeviceBatch> it = loader.iterator();
                it.next();
                assertFalse(it.hasNext());
                assertThrows(java.util.NoSuchElementException.class, it::next);
            }
        });
    }

    @Test
    void rejectsAPrefetchBelowOne() {
        DataLoader loader = DataLoader.builder(TestData.indexed(10), 5).build();
        assertThrows(IllegalArgumentException.class, () -> new DeviceDataLoader(loader, device, 0));
    }

    private static List<Thread> prefetchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("tessera-prefetch-") && t.isAlive())
                .toList();
    }

    /** Delegates to a dataset, but throws {@code error} on gather number {@code failAt} (from 0). */
    private static final class FailingDataset extends ForwardingDataset {
        private final AtomicInteger calls = new AtomicInteger();
        private final int failAt;
        private final RuntimeException error;

        FailingDataset(Dataset delegate, int failAt, RuntimeException error) {
            super(delegate);
            this.failAt = failAt;
            this.error = error;
        }

        @Override
        public void gather(int[] indices, int from, int count, FloatBuffer features, int[] labels, int labelOffset) {
            if (calls.getAndIncrement() == failAt) {
                throw error;
            }
            super.gather(indices, from, count, features, labels, labelOffset);
        }
    }

    /** A dataset whose gather blocks until interrupted, like one reading from a stalled network disk. */
    private static final class BlockingDataset extends ForwardingDataset {
        private final CountDownLatch entered;

        BlockingDataset(Dataset delegate, CountDownLatch entered) {
            super(delegate);
            this.entered = entered;
        }

        @Override
        public void gather(int[] indices, int from, int count, FloatBuffer features, int[] labels, int labelOffset) {
            entered.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private abstract static class ForwardingDataset implements Dataset {
        private final Dataset delegate;

        ForwardingDataset(Dataset delegate) {
            this.delegate = delegate;
        }

        @Override
        public int size() {
            return delegate.size();
        }

        @Override
        public Shape featureShape() {
            return delegate.featureShape();
        }

        @Override
        public int numClasses() {
            return delegate.numClasses();
        }

        @Override
        public int label(int index) {
            return delegate.label(index);
        }

        @Override
        public void gather(int[] indices, int from, int count, FloatBuffer features, int[] labels, int labelOffset) {
            delegate.gather(indices, from, count, features, labels, labelOffset);
        }
    }

    @Test
    void aFailureAtTheFirstBatchSurfaces() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            Dataset failing = new FailingDataset(TestData.indexed(20), 0, new ArithmeticException("bad"));
            try (DeviceDataLoader loader = new DeviceDataLoader(DataLoader.builder(failing, 10).build(), device)) {
                TesseraException e = assertThrows(TesseraException.class, () -> loader.iterator().next());
                assertInstanceOf(ArithmeticException.class, e.getCause());
            }
        });
    }
}
