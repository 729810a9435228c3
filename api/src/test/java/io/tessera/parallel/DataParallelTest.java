package io.tessera.parallel;

import io.tessera.Device;
import io.tessera.data.DataLoader;
import io.tessera.data.DeviceDataLoader;
import io.tessera.data.InMemoryDataset;
import io.tessera.nn.Layer;
import io.tessera.optim.LearningRateSchedule;
import io.tessera.optim.Optimizer;
import io.tessera.reference.ReferenceDevice;
import io.tessera.train.Trainer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** In-process data parallelism over two devices against one device with the global batch. */
class DataParallelTest {
    private static final int STEPS = 50;
    private final Device first = new ReferenceDevice("ref-a");
    private final Device second = new ReferenceDevice("ref-b");
    private final InMemoryDataset oneBatch = ParityFixture.dataset(128, 1);

    /** One global batch of 128 per epoch, so each epoch is one step: compared after every step. */
    private List<List<float[]>> parallel(Synchronization sync, List<Device> devices, OptimizerFactory optimizers) {
        return ParityFixture.inProcess(devices, sync, oneBatch, 128, STEPS, optimizers, 0.2);
    }

    @Test
    void allReduceOverTwoDevicesMatchesOneDeviceWithTheGlobalBatch() {
        List<List<float[]>> single = ParityFixture.singleDevice(first, oneBatch, 128, STEPS, ParityFixture::sgd, 0.2);
        List<List<float[]>> two = parallel(Synchronization.allReduce(), List.of(first, second), ParityFixture::sgd);
        for (int s = 0; s < STEPS; s++) {
            ParityFixture.assertClose(single.get(s), two.get(s), 1e-5, "step " + (s + 1));
        }
        assertEquals(0, second.liveAllocations(), "the second replica is closed");
    }

    @Test
    void replicasSharingOneDeviceTakeTurnsAndMatch() {
        List<List<float[]>> single = ParityFixture.singleDevice(first, oneBatch, 128, 10, ParityFixture::sgd, 0.2);
        List<List<float[]>> shared = parallel(Synchronization.allReduce(), List.of(first, first), ParityFixture::sgd);
        ParityFixture.assertClose(single.get(9), shared.get(9), 1e-5, "after 10 steps");
    }

    @Test
    void averagingEveryStepWithPlainSgdIsGradientAveraging() {
        OptimizerFactory plain = params -> new io.tessera.optim.SGD(params, 0.2);
        List<List<float[]>> single = ParityFixture.singleDevice(first, oneBatch, 128, 20, plain, 0.2);
        List<List<float[]>> averaged = parallel(Synchronization.average(1), List.of(first, second), plain);
        for (int s = 0; s < 20; s++) {
            ParityFixture.assertClose(single.get(s), averaged.get(s), 1e-5, "step " + (s + 1));
        }
    }

    @Test
    void averagingEveryStepOverEpochsOfSeveralStepsIsGradientAveraging() {
        OptimizerFactory plain = params -> new io.tessera.optim.SGD(params, 0.2);
        InMemoryDataset data = ParityFixture.dataset(512, 1);
        List<List<float[]>> single = ParityFixture.singleDevice(first, data, 128, 3, plain, 0.2);
        List<List<float[]>> after = ParityFixture.inProcess(List.of(first, second), Synchronization.average(1), data, 128, 3, plain, 0.2);
        for (int e = 0; e < 3; e++) {
            ParityFixture.assertClose(single.get(e), after.get(e), 1e-5, "epoch " + (e + 1));
        }
    }

    @Test
    void averagingEveryFewStepsStillLearns() {
        InMemoryDataset data = ParityFixture.dataset(1024, 2);
        DataLoader train = ParityFixture.loader(data, 64);
        try (DeviceDataLoader val = new DeviceDataLoader(ParityFixture.loader(ParityFixture.dataset(256, 9), 64), first);
             Trainer trainer = new Trainer(first)) {
            DataParallel.Result r = new DataParallel(List.of(first, second), Synchronization.average(4))
                    .fit(3, 0.1, ParityFixture::model, ParityFixture::sgd, train, val, LearningRateSchedule.constant());
            try (Layer model = r.model(); Optimizer ignored = r.optimizer()) {
                assertTrue(r.history().get(2).valAccuracy() > 0.9, "validation accuracy " + r.history().get(2).valAccuracy());
                assertEquals(trainer.evaluate(model, val).accuracy(), r.history().get(2).valAccuracy(), 1e-12);
                ParallelEpoch e = r.epochs().get(0);
                assertEquals(16, e.workers().get(0).steps());
                assertEquals(4 + 1, e.workers().get(0).sums(), "an average every 4 of 16 steps, then the loss totals");
            }
        }
    }

    @Test
    void aFailingReplicaReleasesTheOtherWithItsError() {
        DataLoader train = ParityFixture.loader(oneBatch, 32);
        ModelFactory failing = device -> {
            if (device == second) {
                throw new IllegalStateException("replica on ref-b cannot start");
            }
            return ParityFixture.model(device);
        };
        try (DeviceDataLoader val = new DeviceDataLoader(train, first)) {
            var e = assertThrows(IllegalStateException.class, () -> new DataParallel(List.of(first, second), Synchronization.allReduce())
                    .fit(1, 0.1, failing, ParityFixture::sgd, train, val, LearningRateSchedule.constant()));
            assertTrue(e.getMessage().contains("ref-b"), e.getMessage());
        }
        assertEquals(0, first.liveAllocations(), "the replica that was built is closed");
    }

    @Test
    void aBatchSmallerThanTheReplicaCountIsRefused() {
        DataLoader train = ParityFixture.loader(oneBatch, 1);
        try (DeviceDataLoader val = new DeviceDataLoader(train, first)) {
            var e = assertThrows(IllegalArgumentException.class, () -> new DataParallel(List.of(first, second), Synchronization.allReduce())
                    .fit(1, 0.1, ParityFixture::model, ParityFixture::sgd, train, val, LearningRateSchedule.constant()));
            assertTrue(e.getMessage().contains("batch of 1") && e.getMessage().contains("2 devices"), e.getMessage());
        }
    }

    @Test
    void localAllReduceSumsInRankOrderAndAbortReleasesWaiters() throws InterruptedException {
        LocalAllReduce group = LocalAllReduce.group(3);
        float[][] values = {{1, 2}, {10, 20}, {100, 200}};
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            int rank = r;
            Thread thread = new Thread(() -> group.member(rank).sum(values[rank]));
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        for (float[] v : values) {
            assertArrayEquals(new float[] {111, 222}, v);
        }

        LocalAllReduce waiting = LocalAllReduce.group(2);
        AtomicReference<Throwable> seen = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                waiting.member(0).sum(new float[1]);
            } catch (AllReduceException e) {
                seen.set(e);
            }
            done.countDown();
        });
        t.start();
        Thread.sleep(50);
        waiting.abort(new IllegalStateException("worker 1 died"));
        done.await();
        t.join();
        assertTrue(seen.get().getMessage().contains("worker 1 died"), seen.get().getMessage());

        LocalAllReduce slow = LocalAllReduce.group(2, Duration.ofMillis(100));
        var timeout = assertThrows(AllReduceException.class, () -> slow.member(1).sum(new float[1]));
        assertTrue(timeout.getMessage().contains("waited more than"), timeout.getMessage());
    }
}
