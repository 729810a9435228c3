package io.tessera.spark;

import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.data.Batch;
import io.tessera.data.DataLoader;
import io.tessera.data.DeviceBatch;
import io.tessera.nn.Layer;
import io.tessera.optim.LearningRateSchedule;
import io.tessera.optim.Optimizer;
import io.tessera.parallel.ModelFactory;
import io.tessera.parallel.ModelState;
import io.tessera.parallel.OptimizerFactory;
import io.tessera.parallel.ParallelEpoch;
import io.tessera.parallel.Synchronization;
import io.tessera.parallel.WorkerStats;
import io.tessera.train.EpochResult;
import io.tessera.train.EvalResult;
import io.tessera.train.Trainer;
import io.tessera.train.TrainingListener;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Data-parallel training on Apache Spark. Each epoch is one barrier stage of {@code workers} tasks; task {@code r}
 * builds a replica on its executor's default device (a GPU where the executor has one, else the CPU), loads the
 * state the driver holds, and trains its shard of every global batch, synchronised by gradient all-reduce or
 * parameter averaging ({@link Synchronization}). Rank 0 sends the epoch's final state back; the driver validates it
 * on its own device and keeps it. An epoch whose stage fails (a lost executor, a worker that throws) is run again
 * from the state at its start, up to {@link Builder#maxAttempts}; {@link ParallelEpoch#attempts()} says so.
 *
 * <pre>{@code
 * SparkTrainer trainer = SparkTrainer.on(sparkContext).workers(2).synchronization(Synchronization.allReduce()).build();
 * SparkTrainer.Result r = trainer.fit(10, 0.5, schedule, models, optimizers, trainingData, validation, Devices.defaultDevice());
 * }</pre>
 *
 * <p>Everything that can be checked on the driver is checked before a task starts: the worker count against the
 * cluster's task slots (a barrier stage needs all its tasks at once), that there is data, that a global batch splits
 * over the workers, and that the model takes the data's samples and has an output per class. Not thread-safe.
 */
public final class SparkTrainer {
    private static final System.Logger LOG = System.getLogger(SparkTrainer.class.getName());

    private final JavaSparkContext spark;
    private final int workers;
    private final Synchronization sync;
    private final int maxAttempts;
    private final List<TrainingListener> listeners;
    private final List<EpochListener> epochListeners;

    /** Hears each finished epoch on the driver. */
    @FunctionalInterface
    public interface EpochListener {
        /**
         * Called after epoch {@code epoch} was validated; {@code model} is the driver's model holding that epoch's state
         * (read it, save it; do not train it or close it).
         */
        void onEpoch(ParallelEpoch epoch, Layer model);
    }

    /** The trained model and its optimizer on the driver's device (the caller closes them), and the history. */
    public record Result(Layer model, Optimizer optimizer, List<EpochResult> history, List<ParallelEpoch> epochs) {
        /** The epochs that were run more than once. */
        public List<ParallelEpoch> retried() {
            return epochs.stream().filter(e -> e.attempts() > 1).toList();
        }
    }

    private SparkTrainer(Builder b) {
        this.spark = b.spark;
        this.workers = b.workers;
        this.sync = b.sync;
        this.maxAttempts = b.maxAttempts;
        this.listeners = List.copyOf(b.listeners);
        this.epochListeners = List.copyOf(b.epochListeners);
    }

    /** A builder for a trainer on {@code spark}. */
    public static Builder on(JavaSparkContext spark) {
        return new Builder(spark);
    }

    public int workers() {
        return workers;
    }

    public Synchronization synchronization() {
        return sync;
    }

    /**
     * Trains {@code epochs} epochs at the rates {@code schedule.rate(e, lr)} and validates on {@code validation} (batches
     * on {@code driverDevice}) after each.
     *
     * @throws IllegalArgumentException  if the configuration, the data or the model does not fit (before any task)
     * @throws SparkTrainingException    if an epoch failed on every attempt; its cause is the last failure
     */
    public Result fit(int epochs, double lr, LearningRateSchedule schedule, ModelFactory models, OptimizerFactory optimizers,
                      TrainingData data, Iterable<DeviceBatch> validation, Device driverDevice) {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        DataLoader loader = checkData(data);
        Layer model = models.create(driverDevice);
        Optimizer optimizer = null;
        try {
            checkModel(model, loader);
            optimizer = optimizers.create(model.parameters());
            ModelState state = ModelState.capture(model, optimizer);
            List<EpochResult> history = new ArrayList<>();
            List<ParallelEpoch> details = new ArrayList<>();
            try (Trainer validator = new Trainer(driverDevice)) {
                for (int epoch = 0; epoch < epochs; epoch++) {
                    for (TrainingListener l : listeners) {
                        l.onEpochStart(epoch, epochs);
                    }
                    double rate = schedule.rate(epoch, lr);
                    if (!(rate >= 0) || !Double.isFinite(rate)) {
                        throw new IllegalArgumentException("the learning-rate schedule gave " + rate + " for epoch " + epoch);
                    }
                    List<String> failures = new ArrayList<>();
                    List<WorkerReport> reports = null;
                    long start = System.nanoTime();
                    while (reports == null) {
                        try {
                            reports = runEpoch(models, optimizers, data, state, epoch, rate);
                        } catch (Exception e) {
                            failures.add(rootMessage(e));
                            LOG.log(System.Logger.Level.WARNING, "epoch " + epoch + ", attempt " + failures.size() + " of " + maxAttempts
                                    + " failed: " + rootMessage(e) + (failures.size() < maxAttempts ? "; running it again from its start" : ""));
                            if (failures.size() >= maxAttempts) {
                                throw new SparkTrainingException("epoch " + epoch + " failed " + maxAttempts + " times; the last: "
                                        + rootMessage(e) + " (all: " + failures + ")", e);
                            }
                        }
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    state = reports.get(0).state();
                    state.applyTo(model, optimizer);
                    EvalResult val = validator.evaluate(model, validation);
                    WorkerStats first = reports.get(0).stats();
                    EpochResult result = new EpochResult(epoch, rate, first.lossSum() / Math.max(first.samples(), 1), val, seconds,
                            first.samples() / Math.max(seconds, 1e-9));
                    io.tessera.train.TrainingDivergedException.requireFinite(result);
                    ParallelEpoch detail = new ParallelEpoch(result, failures.size() + 1, failures,
                            reports.stream().map(r -> r.device() + "@" + r.host()).toList(), reports.stream().map(WorkerReport::stats).toList());
                    history.add(result);
                    details.add(detail);
                    for (TrainingListener l : listeners) {
                        l.onEpochEnd(result);
                    }
                    for (EpochListener l : epochListeners) {
                        l.onEpoch(detail, model);
                    }
                }
            }
            return new Result(model, optimizer, history, details);
        } catch (RuntimeException | Error e) {
            if (optimizer != null) {
                optimizer.close();
            }
            model.close();
            throw e;
        }
    }

    private List<WorkerReport> runEpoch(ModelFactory models, OptimizerFactory optimizers, TrainingData data, ModelState state, int epoch,
                                        double rate) {
        Broadcast<ModelState> shared = spark.broadcast(state);
        try {
            EpochTask task = new EpochTask(models, optimizers, data, shared, epoch, rate, sync, workers);
            ClassTag<WorkerReport> tag = ClassTag$.MODULE$.apply(WorkerReport.class);
            JavaRDD<Integer> ranks = spark.parallelize(IntStream.range(0, workers).boxed().toList(), workers);
            RDD<WorkerReport> stage = ranks.rdd().barrier().mapPartitions(task, false, tag);
            spark.setJobDescription("tessera epoch " + epoch + " (" + workers + " workers, " + sync + ")");
            List<WorkerReport> reports = new ArrayList<>(new JavaRDD<>(stage, tag).collect());
            reports.sort(Comparator.comparingInt(WorkerReport::rank));
            if (reports.size() != workers || reports.get(0).state() == null) {
                throw new IllegalStateException("epoch " + epoch + " returned " + reports.size() + " reports for " + workers + " workers");
            }
            return reports;
        } finally {
            shared.destroy();
        }
    }

    private DataLoader checkData(TrainingData data) {
        DataLoader loader;
        try {
            loader = data.open();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot open the training data on the driver: " + e.getMessage(), e);
        }
        if (loader.samplesPerEpoch() == 0 || loader.batchCount() == 0) {
            throw new IllegalArgumentException("the training data has no samples (" + loader + ")");
        }
        if (loader.batchSize() < workers) {
            throw new IllegalArgumentException("a global batch of " + loader.batchSize() + " cannot be split over " + workers
                    + " workers; use a batch of at least " + workers);
        }
        return loader;
    }

    private static void checkModel(Layer model, DataLoader loader) {
        Iterator<Batch> batches = loader.epoch(0).iterator();
        Batch batch = batches.next();
        int rows = Math.min(2, batch.size());
        Shape sample = batch.featureShape();
        Device device = model.parameters().isEmpty() ? null : model.parameters().get(0).device();
        if (device == null) {
            throw new IllegalArgumentException(model + " has no parameters to train");
        }
        int[] dims = new int[sample.rank() + 1];
        dims[0] = rows;
        System.arraycopy(sample.dims(), 0, dims, 1, sample.rank());
        float[] features = new float[rows * batch.rowSize()];
        batch.features().duplicate().get(features);
        model.train(false);
        Shape out;
        try (Tensor x = device.of(features, Shape.of(dims))) {
            out = model.forward(x).shape();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the training data's samples (" + sample + ") do not fit " + model + ": " + e.getMessage(), e);
        } finally {
            model.train(true);
        }
        int classes = loader.dataset().numClasses();
        if (out.rank() != 2 || out.dim(0) != rows || out.dim(1) < classes) {
            throw new IllegalArgumentException("the model maps samples of " + sample + " to " + out + ", not to " + rows + " rows of "
                    + classes + " class scores (the training data has " + classes + " classes)");
        }
    }

    /**
     * The task's own exception where Spark's message carries it (a stage failure names the failed task's exception
     * on a later line), preferring the first failure over peers that only lost their connection to it.
     */
    static String rootMessage(Throwable e) {
        String fallback = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = String.valueOf(t.getMessage());
            for (String line : message.split("\\R")) {
                String l = line.strip();
                if (l.matches("[\\w.$]+(Exception|Error)(: .*)?") && !l.startsWith("org.apache.spark.")) {
                    if (!l.contains("AllReduceException")) {
                        return l;
                    }
                    fallback = fallback == null ? l : fallback;
                }
            }
            if (!(t instanceof org.apache.spark.SparkException) && fallback == null) {
                fallback = t.getClass().getName() + ": " + message.lines().findFirst().orElse("");
            }
        }
        return fallback != null ? fallback : e.toString().lines().findFirst().orElse(e.toString());
    }

    /** Configures a {@link SparkTrainer}. */
    public static final class Builder {
        private final JavaSparkContext spark;
        private int workers;
        private Synchronization sync = Synchronization.allReduce();
        private int maxAttempts = 3;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private final List<EpochListener> epochListeners = new ArrayList<>();

        private Builder(JavaSparkContext spark) {
            if (spark == null) {
                throw new IllegalArgumentException("a Spark context is needed");
            }
            this.spark = spark;
            this.workers = spark.defaultParallelism();
        }

        /** The number of replicas, one barrier task each; by default the context's default parallelism (its task slots). */
        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /** All-reduce every step (the default) or parameter averaging every K steps. */
        public Builder synchronization(Synchronization sync) {
            if (sync == null) {
                throw new IllegalArgumentException("the synchronisation must not be null");
            }
            this.sync = sync;
            return this;
        }

        /** How many times an epoch is started before the run gives up (default 3). */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("an epoch needs at least one attempt, not " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /** Hears {@code onEpochStart} and {@code onEpochEnd} on the driver. */
        public Builder listener(TrainingListener listener) {
            listeners.add(listener);
            return this;
        }

        /** Hears each epoch's details (attempts, workers, all-reduce time) on the driver, with the driver's model. */
        public Builder epochListener(EpochListener listener) {
            epochListeners.add(listener);
            return this;
        }

        /**
         * @throws IllegalArgumentException if there are fewer than one worker, or more than the cluster's task slots
         */
        public SparkTrainer build() {
            if (workers < 1) {
                throw new IllegalArgumentException("data-parallel training needs at least 1 worker, not " + workers);
            }
            int slots = spark.defaultParallelism();
            if (workers > slots) {
                throw new IllegalArgumentException("a barrier stage runs all " + workers + " workers at once, but " + spark.master()
                        + " has " + slots + " task slots; ask for at most " + slots + " workers or give the cluster more cores");
            }
            return new SparkTrainer(this);
        }
    }
}
