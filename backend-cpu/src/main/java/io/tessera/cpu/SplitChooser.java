package io.tessera.cpu;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides, for one class of products (a size range and a pair of transposes), whether splitting them over the threads
 * pays, from the times of earlier calls. Whether it does depends on what else runs on the cores: alone, a product of
 * 3.2 M multiply-adds ran 1.5x faster on two cores than on one; beside the data loader's busy thread, a worker
 * descheduled mid-chunk made the caller wait and the split lost. So the chooser takes the mode with the lower running
 * mean of nanoseconds per multiply-add, and every {@value #EXPLORE}th call the other one, to notice when the load
 * changes. Safe to share between threads: a race only loses a sample. The choice never changes a product's value
 * ({@link VectorGemm} computes split and serial products bit-identically).
 */
final class SplitChooser {
    /** One call in this many takes the mode that is currently slower. */
    static final int EXPLORE = 16;
    /** Samples of each mode taken, alternating, before the means decide. */
    private static final int WARM = 4;
    /** Weight of the newest sample in the running means. */
    private static final double NEW = 1.0 / 8;

    private final AtomicInteger calls = new AtomicInteger();
    private volatile double serialMean = Double.NaN;
    private volatile double splitMean = Double.NaN;

    /** Whether the next call should split. */
    boolean split() {
        int call = calls.getAndIncrement();
        if (call < 2 * WARM) {
            return (call & 1) == 1;
        }
        boolean splitFaster = splitMean < serialMean;
        return call % EXPLORE == 0 ? !splitFaster : splitFaster;
    }

    /** Records a call's time: {@code nanos} for {@code work} multiply-adds, split or not. */
    void record(boolean split, long nanos, long work) {
        double sample = (double) nanos / work;
        double mean = split ? splitMean : serialMean;
        double next;
        if (Double.isNaN(mean)) {
            next = sample;
        } else {
            // A garbage collection or a preempted caller within one call must not decide the next hundred.
            next = mean + NEW * (Math.min(sample, 4 * mean) - mean);
        }
        if (split) {
            splitMean = next;
        } else {
            serialMean = next;
        }
    }

    @Override
    public String toString() {
        return String.format("serial %.4f ns, split %.4f ns per multiply-add after %d calls", serialMean, splitMean, calls.get());
    }
}
