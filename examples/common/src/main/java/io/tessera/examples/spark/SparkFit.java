package io.tessera.examples.spark;

import io.tessera.Device;
import io.tessera.data.DeviceBatch;
import io.tessera.nn.Layer;
import io.tessera.optim.LearningRateSchedule;
import io.tessera.optim.Optimizer;
import io.tessera.parallel.ModelFactory;
import io.tessera.parallel.ModelState;
import io.tessera.parallel.OptimizerFactory;
import io.tessera.parallel.ParallelEpoch;
import io.tessera.parallel.WorkerStats;
import io.tessera.spark.SparkTrainer;
import io.tessera.spark.TrainingData;
import io.tessera.train.EpochResult;
import io.tessera.train.TrainingListener;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** Runs a training command's {@code fit} on Spark, as {@code --spark} asks, and leaves the trained state in the command's model. */
public final class SparkFit {
    private SparkFit() {
    }

    /** What the command's own training loop needs of a run: the model and optimizer to continue with, the recipe. */
    public record Job(String app, ModelFactory models, OptimizerFactory optimizers, TrainingData data, Iterable<DeviceBatch> validation,
                      Device device, int epochs, double lr, LearningRateSchedule schedule) {
    }

    /**
     * Trains {@code job} on the Spark master {@code options} names and copies the trained state into {@code model} and
     * {@code optimizer}; prints the master, the workers and the mode first, and each epoch's synchronisation figures.
     */
    public static List<EpochResult> fit(SparkOptions options, Job job, Layer model, Optimizer optimizer, TrainingListener progress,
                                        PrintStream out) {
        SparkConf conf = new SparkConf();
        boolean local = !options.master().equals("submit");
        if (local) {
            conf.setMaster(options.master());
        } else if (!conf.contains("spark.master")) {
            throw new IllegalArgumentException("--spark submit: no master was configured; run the jar with spark-submit --master URL, or give --spark URL");
        }
        conf.setIfMissing("spark.app.name", job.app());
        if (local && options.master().startsWith("local")) {
            conf.set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            spark.setLogLevel("WARN");
            SparkTrainer.Builder builder = SparkTrainer.on(spark).synchronization(options.sync()).listener(progress)
                    .epochListener((e, m) -> out.println(describe(e)));
            if (options.workers() > 0) {
                builder.workers(options.workers());
            }
            SparkTrainer trainer = builder.build();
            out.printf(Locale.ROOT, "Spark %s (Spark %s): %d workers, %s; validated on the driver's %s%n", spark.master(), spark.version(),
                    trainer.workers(), options.sync(), job.device().id());
            SparkTrainer.Result r = trainer.fit(job.epochs(), job.lr(), job.schedule(), job.models(), job.optimizers(), job.data(),
                    job.validation(), job.device());
            try (Layer trained = r.model(); Optimizer trainedOptimizer = r.optimizer()) {
                ModelState.capture(trained, trainedOptimizer).applyTo(model, optimizer);
            }
            return r.history();
        }
    }

    static String describe(ParallelEpoch e) {
        WorkerStats w = e.workers().get(0);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  spark: %d workers (%s), %d steps; all-reduce %.1f%% of the epoch, %.1f KB per worker per step",
                e.workers().size(), String.join(", ", e.devices()), w.steps(), 100 * e.allReduceShare(), e.bytesPerStep() / 1024));
        if (e.attempts() > 1) {
            line.append(String.format(Locale.ROOT, "; run %d times, earlier attempts failed: %s", e.attempts(), String.join(" | ", e.failures())));
        }
        return line.toString();
    }
}
