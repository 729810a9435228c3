package io.tessera.parallel;

import java.io.Serializable;

/**
 * What one replica did in one epoch.
 *
 * @param lossSum         the summed training loss of the samples that {@code samples} counts
 * @param samples         in all-reduce mode the samples of every replica (the global count); in averaging mode too,
 *                        after the epoch's final average
 * @param steps           the global batches this replica took its shard of
 * @param seconds         wall time of the epoch on this replica
 * @param allReduceSeconds time inside {@link AllReduce#sum}, waiting for slower peers included
 * @param bytesSent       bytes this replica handed to the all-reduce (4 per float per call)
 * @param sums            the number of all-reduce calls
 */
public record WorkerStats(double lossSum, long samples, int steps, double seconds, double allReduceSeconds, long bytesSent,
                          int sums) implements Serializable {
}
