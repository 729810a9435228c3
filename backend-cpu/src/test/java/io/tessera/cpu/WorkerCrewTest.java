package io.tessera.cpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link WorkerCrew} and {@link CpuThreads} on it: every task runs once, busy workers are skipped, failures reach the
 * caller, an interrupted worker parks again, closing ends the workers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerCrewTest {

    @Test
    void everyTaskRunsOnceAcrossManyRounds() {
        CpuThreads threads = new CpuThreads(3);
        for (int round = 0; round < 2000; round++) {
            int count = 1 + round % 17;
            AtomicInteger[] runs = new AtomicInteger[count];
            for (int i = 0; i < count; i++) {
                runs[i] = new AtomicInteger();
            }
            threads.run(count, i -> runs[i].incrementAndGet());
            for (int i = 0; i < count; i++) {
                assertEquals(1, runs[i].get(), "round " + round + ", task " + i);
            }
        }
    }

    @Test
    void workersJoinTheCaller() {
        CpuThreads threads = new CpuThreads(2);
        Set<String> names = ConcurrentHashMap.newKeySet();
        CountDownLatch both = new CountDownLatch(2);
        threads.run(2, i -> {
            names.add(Thread.currentThread().getName());
            both.countDown();
            try {
                both.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertEquals(2, names.size(), "tasks that wait for each other ran on two threads: " + names);
        assertTrue(names.stream().anyMatch(n -> n.startsWith("tessera-cpu-")), names.toString());
    }

    @Test
    void aCallerFinishesAloneWhileTheWorkerIsBusy() throws InterruptedException {
        CpuThreads threads = new CpuThreads(2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        Thread other = new Thread(() -> threads.run(2, i -> {
            try {
                if (Thread.currentThread().getName().startsWith("tessera-cpu-")) {
                    holding.countDown();
                    release.await();
                } else {
                    holding.await(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        other.start();
        try {
            assertTrue(holding.await(10, TimeUnit.SECONDS), "the worker never took the other thread's second task");
            AtomicInteger done = new AtomicInteger();
            threads.run(5, i -> done.incrementAndGet());
            assertEquals(5, done.get(), "the caller ran every task itself while the only worker was held");
        } finally {
            release.countDown();
            other.join();
        }
    }

    @Test
    void anInterruptedWorkerParksAgainAndKeepsWorking() throws InterruptedException {
        CpuThreads threads = new CpuThreads(2);
        Thread worker = workerOf(threads);
        assertTrue(parksWithin(worker, 2_000), "the idle worker does not park: " + worker.getState());
        worker.interrupt();
        assertTrue(parksWithin(worker, 2_000), "an interrupted idle worker spins instead of parking: " + worker.getState());
        AtomicInteger done = new AtomicInteger();
        threads.run(16, i -> done.incrementAndGet());
        assertEquals(16, done.get());
    }

    @Test
    void closingEndsTheWorkersAndCallersGoOnAlone() throws InterruptedException {
        CpuThreads threads = new CpuThreads(2);
        Thread worker = workerOf(threads);
        threads.close();
        worker.join(10_000);
        assertFalse(worker.isAlive(), "the worker still runs after close: " + worker.getState());
        AtomicInteger done = new AtomicInteger();
        threads.run(8, i -> done.incrementAndGet());
        assertEquals(8, done.get());
    }

    /** The crew's worker thread, found by running two tasks that wait for each other. */
    private static Thread workerOf(CpuThreads threads) {
        Thread[] worker = new Thread[1];
        CountDownLatch both = new CountDownLatch(2);
        threads.run(2, i -> {
            if (Thread.currentThread().getName().startsWith("tessera-cpu-")) {
                worker[0] = Thread.currentThread();
            }
            both.countDown();
            try {
                both.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(worker[0] != null, "no task ran on the worker");
        return worker[0];
    }

    private static boolean parksWithin(Thread thread, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        int parkedInARow = 0;
        while (System.currentTimeMillis() < end) {
            parkedInARow = thread.getState() == Thread.State.WAITING ? parkedInARow + 1 : 0;
            if (parkedInARow == 20) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    @Test
    void aFailingTaskReachesTheCallerAndTheWorkersSurvive() {
        CpuThreads threads = new CpuThreads(2);
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> threads.run(8, i -> {
            if (i == 5) {
                throw new IllegalStateException("task 5");
            }
        }));
        assertEquals("task 5", thrown.getMessage());
        AtomicInteger done = new AtomicInteger();
        threads.run(8, i -> done.incrementAndGet());
        assertEquals(8, done.get());
    }
}
