package io.tessera.cpu;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * The threads the CPU backend's kernels (GEMM, convolutions, pooling, batch-norm, dropout, Adam) split their work over:
 * a {@link WorkerCrew} of {@code threads - 1} daemon workers plus the calling thread. Work comes as numbered
 * tasks that every participant claims one at a time, so when the other cores are busy the caller does the tasks
 * nobody took instead of waiting. Which thread runs a task is left to chance; kernels that must be deterministic
 * give each task its own output (or partial result) and combine them in task order.
 */
final class CpuThreads {
    /** Elements from which a memory-bound kernel is split over threads (tuning knob: {@code tessera.cpu.parallelElements}). */
    static final int PARALLEL_ELEMENTS = Integer.getInteger("tessera.cpu.parallelElements", 1 << 16);
    /** Elements per task of a kernel split by index ranges. */
    static final int RANGE = Math.max(1024, PARALLEL_ELEMENTS / 4);

    /** Work on the indices {@code [lo, hi)} of an element-wise kernel. */
    @FunctionalInterface
    interface Range {
        void run(int lo, int hi);
    }

    private final int threads;
    private final WorkerCrew crew;

    CpuThreads(int threads) {
        this.threads = Math.max(1, threads);
        this.crew = this.threads > 1 ? new WorkerCrew(this.threads - 1, "tessera-cpu") : null;
    }

    int threads() {
        return threads;
    }

    /** Ends the worker threads; later work runs on the calling thread alone. */
    void close() {
        if (crew != null) {
            crew.close();
        }
    }

    /** Whether there are threads beside the caller's. */
    boolean parallel() {
        return crew != null;
    }

    /** Runs {@code task.accept(i)} for every {@code i} in {@code [0, count)}, on as many threads as help; returns when all ran. */
    void run(int count, IntConsumer task) {
        if (count <= 0) {
            return;
        }
        if (crew == null || count == 1) {
            for (int i = 0; i < count; i++) {
                task.accept(i);
            }
            return;
        }
        Round round = new Round(count, task);
        crew.join(Math.min(threads, count) - 1, round::work);
        round.await();
    }

    /** Whether an element-wise kernel over {@code size} elements is worth splitting over the threads. */
    boolean splits(long size) {
        return crew != null && size >= PARALLEL_ELEMENTS;
    }

    /**
     * Runs {@code task} over {@code [0, size)}: in ranges of {@link #RANGE} elements on as many threads as help when
     * {@link #splits} says so, else as one range on the calling thread. Hot kernels test {@link #splits} themselves
     * first and call their range loop directly when it says no, so that the small sizes of a training step do not
     * allocate a capturing lambda per call.
     */
    void ranges(int size, Range task) {
        if (!splits(size)) {
            task.run(0, size);
            return;
        }
        int tasks = (size + RANGE - 1) / RANGE;
        run(tasks, t -> {
            int lo = t * RANGE;
            task.run(lo, Math.min(size, lo + RANGE));
        });
    }

    /**
     * Runs {@code task.accept(i)} for every item {@code i} in {@code [0, count)} of a memory-bound kernel whose items
     * (planes, say) hold {@code itemSize} elements each: on the calling thread when {@link #splits} says no, else in
     * tasks of consecutive items of about {@link #RANGE} elements, so that small items do not cost a task each.
     */
    void items(int count, long itemSize, IntConsumer task) {
        if (!splits(count * itemSize)) {
            for (int i = 0; i < count; i++) {
                task.accept(i);
            }
            return;
        }
        int per = (int) Math.max(1, RANGE / Math.max(1, itemSize));
        run((count + per - 1) / per, t -> {
            for (int i = t * per, end = Math.min(count, i + per); i < end; i++) {
                task.accept(i);
            }
        });
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
            WorkerCrew.await(done);
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
