package io.tessera.examples.spark;

import io.tessera.examples.cli.Options;
import io.tessera.examples.cli.UsageException;
import io.tessera.parallel.Synchronization;

import java.util.List;

/**
 * The {@code --spark} flags of the training commands: where Spark runs and how the workers synchronise.
 *
 * @param master  a Spark master URL such as {@code local[2]} or {@code spark://host:7077}, or {@code submit} for the
 *                master that {@code spark-submit} configured
 * @param workers barrier tasks (replicas); 0 for one per task slot of the master
 * @param sync    gradient all-reduce every step, or parameter averaging every K steps
 */
public record SparkOptions(String master, int workers, Synchronization sync) {

    /** Declares {@code --spark}, {@code --spark-mode}, {@code --average-every} and {@code --workers}. */
    public static Options declare(Options options) {
        return options
                .value("spark", "MASTER", null, "train data-parallel on Apache Spark: local[N] (embedded), spark://HOST:PORT, or submit (spark-submit's)")
                .value("spark-mode", "MODE", "allreduce", "with --spark: allreduce (gradients every step) or average (parameters every K steps)")
                .value("average-every", "K", "8", "with --spark-mode average: steps between parameter averages")
                .value("workers", "N", "0", "with --spark: replicas, one barrier task each (0: one per task slot)");
    }

    /** The options the flags give, or null without {@code --spark}. */
    public static SparkOptions from(Options.Parsed flags) {
        String mode = flags.choice("spark-mode", List.of("allreduce", "average"));
        int every = flags.integer("average-every", 1, 1_000_000);
        int workers = flags.integer("workers", 0, 100_000);
        if (flags.get("spark").isEmpty()) {
            for (String f : List.of("spark-mode", "average-every", "workers")) {
                if (flags.isSet(f)) {
                    throw new UsageException("--" + f + " applies only with --spark MASTER");
                }
            }
            return null;
        }
        if (mode.equals("allreduce") && flags.isSet("average-every")) {
            throw new UsageException("--average-every applies only with --spark-mode average");
        }
        String master = flags.get("spark").get().strip();
        if (master.isEmpty()) {
            throw new UsageException("--spark needs a master URL, e.g. 'local[2]'");
        }
        return new SparkOptions(master, workers, mode.equals("average") ? Synchronization.average(every) : Synchronization.allReduce());
    }
}
