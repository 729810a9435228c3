package io.tessera.parallel;

import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An {@link AllReduce} group of threads in one process, e.g. one training thread per device. Each member adds its
 * chunk of the total (a reduce-scatter over shared memory), then copies the whole total: two barriers per sum, no
 * copies of the inputs. {@link #abort} releases every waiting member with an {@link AllReduceException}; the group
 * cannot be used after that. Thread-safe.
 */
public final class LocalAllReduce {
    private final int size;
    private final long timeoutNanos;
    private final float[][] inputs;
    private final CyclicBarrier deposited;
    private final CyclicBarrier added;
    private float[] total = new float[0];
    private String mismatch;
    private volatile Throwable abortCause;

    private LocalAllReduce(int size, Duration timeout) {
        if (size < 1) {
            throw new IllegalArgumentException("an all-reduce group needs at least one member, not " + size);
        }
        this.size = size;
        this.timeoutNanos = timeout.toNanos();
        this.inputs = new float[size][];
        this.deposited = new CyclicBarrier(size, this::checkLengths);
        this.added = new CyclicBarrier(size);
    }

    /**
     * A group of {@code size} members that wait at most ten minutes for each other.
     *
     * @param size the number of members, {@code >= 1}
     * @return the group
     * @throws IllegalArgumentException if {@code size < 1}
     */
    public static LocalAllReduce group(int size) {
        return group(size, Duration.ofMinutes(10));
    }

    /**
     * A group of {@code size} members that wait at most {@code timeout} for each other in one sum.
     *
     * @param size the number of members, {@code >= 1}
     * @param timeout the longest wait in one sum
     * @return the group
     * @throws IllegalArgumentException if {@code size < 1}
     */
    public static LocalAllReduce group(int size, Duration timeout) {
        return new LocalAllReduce(size, timeout);
    }

    /**
     * The number of members.
     *
     * @return the size
     */
    public int size() {
        return size;
    }

    /**
     * The member of rank {@code rank}, for one thread.
     *
     * @param rank the rank, {@code 0 .. size() - 1}
     * @return a new member handle; use each rank from one thread
     * @throws IllegalArgumentException if the rank is out of range
     */
    public AllReduce member(int rank) {
        if (rank < 0 || rank >= size) {
            throw new IllegalArgumentException("rank " + rank + " is outside the group of " + size);
        }
        return new Member(rank);
    }

    /**
     * Releases every member waiting in a sum, and fails every later sum, naming {@code cause}.
     *
     * @param cause the reason, chained to the members' exceptions
     */
    public void abort(Throwable cause) {
        abortCause = cause;
        deposited.reset();
        added.reset();
    }

    private void checkLengths() {
        int n = inputs[0].length;
        mismatch = null;
        for (int r = 1; r < size; r++) {
            if (inputs[r].length != n) {
                mismatch = "all-reduce members gave arrays of different lengths: rank 0 " + n + ", rank " + r + " " + inputs[r].length;
                return;
            }
        }
        if (total.length != n) {
            total = new float[n];
        }
    }

    private void await(CyclicBarrier barrier, int rank) {
        Throwable aborted = abortCause;
        if (aborted != null) {
            throw new AllReduceException("the all-reduce group was aborted: " + aborted, aborted);
        }
        try {
            barrier.await(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort(e);
            throw new AllReduceException("rank " + rank + " was interrupted in an all-reduce", e);
        } catch (TimeoutException e) {
            abort(e);
            throw new AllReduceException("rank " + rank + " waited more than " + Duration.ofNanos(timeoutNanos)
                    + " for the other members of an all-reduce of " + size, e);
        } catch (BrokenBarrierException e) {
            Throwable cause = abortCause;
            throw new AllReduceException("the all-reduce group was aborted" + (cause == null ? "" : ": " + cause), cause == null ? e : cause);
        }
    }

    private final class Member implements AllReduce {
        private final int rank;

        Member(int rank) {
            this.rank = rank;
        }

        @Override
        public int rank() {
            return rank;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public void sum(float[] values) {
            inputs[rank] = values;
            await(deposited, rank);
            if (mismatch != null) {
                throw new AllReduceException(mismatch);
            }
            int n = values.length;
            float[] t = total;
            int from = (int) ((long) n * rank / size);
            int to = (int) ((long) n * (rank + 1) / size);
            for (int i = from; i < to; i++) {
                float s = inputs[0][i];
                for (int r = 1; r < size; r++) {
                    s += inputs[r][i];
                }
                t[i] = s;
            }
            await(added, rank);
            System.arraycopy(t, 0, values, 0, n);
            inputs[rank] = null;
        }
    }
}
