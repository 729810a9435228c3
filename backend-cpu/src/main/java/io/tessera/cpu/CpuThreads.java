package io.tessera.cpu;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * The threads the CPU backend's own kernels (convolutions, pooling, batch-norm, dropout, Adam) split their work over:
 * an owned {@link ForkJoinPool} of {@code threads - 1} daemon workers plus the calling thread. Work comes as numbered
 * tasks that every participant claims one at a time, so when the other cores are busy the caller does the tasks
 * nobody took instead of waiting. Which thread runs a task is left to chance; kernels that must be deterministic
 * give each task its own output (or partial result) and combine them in task order.
 */
final class CpuThreads {
    private final int threads;
    private final ForkJoinPool pool;

    CpuThreads(int threads) {
        this.threads = Math.max(1, threads);
        this.pool = this.threads > 1 ? new ForkJoinPool(this.threads - 1, CpuThreads::newWorker, null, false) : null;
    }

    private static ForkJoinWorkerThread newWorker(ForkJoinPool pool) {
        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setName("tessera-cpu-" + t.getPoolIndex());
        t.setDaemon(true);
        return t;
    }

    int threads() {
        return threads;
    }

    /** Runs {@code task.accept(i)} for every {@code i} in {@code [0, count)}, on as many threads as help; returns when all ran. */
    void run(int count, IntConsumer task) {
        if (count <= 0) {
            return;
        }
        if (pool == null || count == 1) {
            for (int i = 0; i < count; i++) {
                task.accept(i);
            }
            return;
        }
        Round round = new Round(count, task);
        for (int i = 1; i < Math.min(threads, count); i++) {
            pool.execute(round::work);
        }
        round.work();
        round.await();
    }

    /** Runs {@code task.accept(i)} in order on the calling thread when {@code parallel} is false, else as {@link #run}. */
    void run(boolean parallel, int count, IntConsumer task) {
        if (parallel) {
            run(count, task);
        } else {
            for (int i = 0; i < count; i++) {
                task.accept(i);
            }
        }
    }

    private static final class Round {
        private final int count;
        private final IntConsumer task;
        private final AtomicInteger next = new AtomicInteger();
        private final CountDownLatch done;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Round(int count, IntConsumer task) {
            this.count = count;
            this.task = task;
            this.done = new CountDownLatch(count);
        }

        void work() {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                try {
                    if (failure.get() == null) {
                        task.accept(i);
                    }
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }
        }

        void await() {
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable t = failure.get();
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
        }
    }
}
