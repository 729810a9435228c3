/**
 * Synchronous data-parallel training: replicas of one model, each on its own device or worker, each taking its
 * shard of every global batch, kept in step by an {@link io.tessera.parallel.AllReduce}. {@link
 * io.tessera.parallel.DataParallel} runs the replicas on several devices of one process; the {@code tessera-spark}
 * module runs them as the tasks of an Apache Spark barrier stage. Both use {@link io.tessera.parallel.Replica} for
 * the step, so both give the same numbers.
 */
package io.tessera.parallel;
