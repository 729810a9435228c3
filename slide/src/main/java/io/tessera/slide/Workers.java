package io.tessera.slide;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * A fixed set of platform threads that the SLIDE layers split a batch over: {@link #forRanges} cuts {@code [0, count)}
 * into one contiguous range per worker and runs range {@code w} with worker index {@code w} (worker 0 on the calling
 * thread), so each worker can keep its own scratch. It returns when every range is done and rethrows the first failure.
 * Not reentrant; one caller at a time. Closing stops the threads.
 */
public final class Workers implements AutoCloseable {
    /** A range of work for one worker. */
    @FunctionalInterface
    public interface RangeTask {
        void run(int worker, int from, int to);
    }

    private final int threads;
    private final ExecutorService pool;

    /** @param threads at least 1; 1 runs everything on the caller's thread */
    public Workers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "tessera-slide-worker");
            t.setDaemon(true);
            return t;
        };
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, daemons);
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code task} over {@code [0, count)} split into at most {@link #threads()} ranges. */
    public void forRanges(int count, RangeTask task) {
        int parts = Math.min(threads, count);
        if (parts <= 1) {
            if (count > 0) {
                task.run(0, 0, count);
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>(parts - 1);
        for (int w = 1; w < parts; w++) {
            int worker = w;
            int from = (int) ((long) count * w / parts);
            int to = (int) ((long) count * (w + 1) / parts);
            futures.add(pool.submit(() -> task.run(worker, from, to)));
        }
        Throwable failure = null;
        try {
            task.run(0, 0, (int) ((long) count / parts));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException("a SLIDE worker failed", failure);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
