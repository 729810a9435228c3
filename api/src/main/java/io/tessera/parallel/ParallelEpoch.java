package io.tessera.parallel;

import io.tessera.train.EpochResult;

import java.util.List;

/**
 * One epoch of data-parallel training, as its driver saw it.
 *
 * @param result   the epoch as a single-device {@link io.tessera.train.Trainer} reports it (validated on the driver's
 *                 replica)
 * @param attempts how many times the epoch was started: 1 unless a worker failed and it was run again from the
 *                 state at the epoch's start
 * @param failures why each earlier attempt failed, oldest first; empty when {@code attempts} is 1
 * @param devices  the device id of each replica, by rank
 * @param workers  each replica's account of the successful attempt, by rank
 */
public record ParallelEpoch(EpochResult result, int attempts, List<String> failures, List<String> devices, List<WorkerStats> workers) {

    /**
     * Copies the lists into unmodifiable ones.
     *
     * @param result the epoch's result
     * @param attempts the attempts, {@code >= 1}
     * @param failures why earlier attempts failed
     * @param devices the replicas' device ids
     * @param workers the replicas' accounts
     */
    public ParallelEpoch {
        failures = List.copyOf(failures);
        devices = List.copyOf(devices);
        workers = List.copyOf(workers);
    }

    /**
     * The slowest replica's epoch time in all-reduce calls, over its epoch time: the share of the epoch spent
     * synchronising.
     *
     * @return the share, in {@code [0, 1]}
     */
    public double allReduceShare() {
        double share = 0;
        for (WorkerStats w : workers) {
            share = Math.max(share, w.allReduceSeconds() / Math.max(w.seconds(), 1e-9));
        }
        return share;
    }

    /**
     * Bytes each replica handed to the all-reduce per global step, on average.
     *
     * @return replica 0's bytes per step; 0 when it took no step
     */
    public double bytesPerStep() {
        WorkerStats w = workers.get(0);
        return w.steps() == 0 ? 0 : (double) w.bytesSent() / w.steps();
    }
}
