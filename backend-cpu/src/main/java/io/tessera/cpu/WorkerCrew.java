package io.tessera.cpu;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Daemon worker threads that join a calling thread's work. A worker that finishes spins for {@link #SPIN_NANOS}
 * before it parks, and a caller that waits for the workers' last tasks spins as long before it blocks: in a training
 * step the products come microseconds apart, and waking a parked thread (a futex and, on a virtual machine, an
 * interrupt to an idle virtual CPU) costs tens of microseconds, as much as a small product takes on one core.
 *
 * <p>Each worker holds at most one piece of work. {@link #join} hands the caller's work to the workers that are free
 * and runs it on the caller too; the work itself must let every participant claim what is left, so that the caller
 * finishes it alone when no worker is free (another thread's product, or a nested call from a worker).
 *
 * <p>Workers are daemon threads, parked when idle, until {@link #close}; the backend makes one crew when its provider
 * loads (once per {@link io.tessera.Devices} registry) and closes it with the backend.
 */
final class WorkerCrew {
    /**
     * How long a worker (and a waiting caller) spins before parking (tuning knob: system property
     * {@code tessera.cpu.spinMicros}, default 50; 0 parks at once).
     */
    static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("tessera.cpu.spinMicros", 50));
    /** How long {@link #join} waits for a worker that is just clearing its previous work before going without it. */
    private static final long HANDOFF_NANOS = TimeUnit.MICROSECONDS.toNanos(5);

    private final Worker[] workers;
    private volatile boolean closed;

    /** A crew of {@code size} workers named {@code name-0}, {@code name-1}, ... */
    WorkerCrew(int size, String name) {
        workers = new Worker[Math.max(0, size)];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(name + "-" + i);
            workers[i].start();
        }
    }

    /** Lets the workers end once their current work is done; later calls of {@link #join} run on the caller alone. */
    void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    /** Runs {@code work} on the calling thread and on up to {@code helpers} free workers; returns when the caller's run does. */
    void join(int helpers, Runnable work) {
        for (int i = 0, given = 0; i < workers.length && given < helpers; i++) {
            if (workers[i].offer(work)) {
                given++;
            }
        }
        work.run();
    }

    /** Waits for {@code latch}: spins for {@link #SPIN_NANOS}, then blocks, ignoring interrupts until it opens. */
    static void await(CountDownLatch latch) {
        long deadline = System.nanoTime() + SPIN_NANOS;
        while (latch.getCount() > 0 && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        if (latch.getCount() == 0) {
            return;
        }
        // The tasks still write into the caller's arrays: wait for them even when interrupted, then say so.
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Worker extends Thread {
        private final AtomicReference<Runnable> work = new AtomicReference<>();
        private volatile boolean parked;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        /** Hands {@code job} to this worker if it is free, or frees itself within {@link #HANDOFF_NANOS}. */
        boolean offer(Runnable job) {
            if (closed) {
                return false;
            }
            if (!work.compareAndSet(null, job)) {
                long deadline = System.nanoTime() + HANDOFF_NANOS;
                do {
                    Thread.onSpinWait();
                    if (System.nanoTime() - deadline > 0) {
                        return false;
                    }
                } while (!work.compareAndSet(null, job));
            }
            if (parked) {
                LockSupport.unpark(this);
            }
            return true;
        }

        @Override
        public void run() {
            for (Runnable job = next(); job != null; job = next()) {
                try {
                    job.run();
                } catch (RuntimeException | Error e) {
                    // The work records its own failures for its caller; a worker outlives whatever escapes.
                } finally {
                    work.set(null);
                }
            }
        }

        /** The next work, or null once the crew is closed. */
        private Runnable next() {
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (true) {
                Runnable job = work.get();
                if (job != null) {
                    return job;
                }
                if (closed) {
                    return null;
                }
                if (System.nanoTime() - deadline < 0) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                if (work.get() == null && !closed) {
                    LockSupport.park(this);
                    // Nothing here answers an interrupt; left set, it would turn every later park into a spin.
                    Thread.interrupted();
                }
                parked = false;
            }
        }
    }
}
