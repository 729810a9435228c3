/**
 * Data-parallel training on Apache Spark: {@link io.tessera.spark.SparkTrainer} runs each epoch as one barrier stage
 * whose tasks are the replicas of {@link io.tessera.parallel.Replica}, synchronised through
 * a TCP all-reduce ({@link io.tessera.parallel.SocketAllReduce}) whose addresses are swapped by one {@link org.apache.spark.BarrierTaskContext#allGather}. Spark is a provided dependency.
 */
package io.tessera.spark;
