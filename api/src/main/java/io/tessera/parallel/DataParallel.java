package io.tessera.parallel;

import io.tessera.Device;
import io.tessera.data.DataLoader;
import io.tessera.data.DeviceBatch;
import io.tessera.nn.Layer;
import io.tessera.optim.LearningRateSchedule;
import io.tessera.optim.Optimizer;
import io.tessera.train.EpochResult;
import io.tessera.train.EvalResult;
import io.tessera.train.Trainer;
import io.tessera.train.TrainingListener;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Synchronous data-parallel training over several devices of one process: one replica and one thread per device,
 * kept in step by a {@link LocalAllReduce}. Two {@code cpu} replicas, a CPU and a GPU, or two GPUs: the same
 * {@link Replica} step as the Spark trainer, so the same numbers.
 *
 * <pre>{@code
 * var parallel = new DataParallel(List.of(Devices.get("opencl-jocl:0"), Devices.get("opencl-jocl:1")), Synchronization.allReduce());
 * DataParallel.Result r = parallel.fit(10, 0.5, device -> mnistModel(device), params -> new SGD(params, 0.5), trainLoader, val, schedule);
 * }</pre>
 *
 * <p>The training loader yields global batches (on the host); validation batches must be on the first device, whose
 * replica is validated after each epoch and returned. Not thread-safe.
 */
public final class DataParallel {
    private final List<Device> devices;
    private final Synchronization sync;
    private final List<TrainingListener> listeners = new ArrayList<>();

    /**
     * The outcome: the first replica's model and optimizer (the caller closes them) and the history.
     *
     * @param model     the first replica's model, on the first device; owned by the caller
     * @param optimizer its optimizer; owned by the caller
     * @param history   one result per epoch
     * @param epochs    one account per epoch, with each replica's statistics
     */
    public record Result(Layer model, Optimizer optimizer, List<EpochResult> history, List<ParallelEpoch> epochs) {
    }

    /**
     * Data-parallel training with one replica on each of {@code devices}.
     *
     * @param devices the devices, at least one; the first holds the validated replica. A device may be listed twice
     * @param sync how the replicas stay in step
     * @throws IllegalArgumentException if {@code devices} is empty
     */
    public DataParallel(List<Device> devices, Synchronization sync) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("data-parallel training needs at least one device");
        }
        this.devices = List.copyOf(devices);
        this.sync = sync;
    }

    /**
     * Hears {@code onEpochStart} and {@code onEpochEnd}.
     *
     * @param listener the listener, called on the calling thread
     * @return this object
     */
    public DataParallel addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * Trains {@code epochs} epochs of {@code train}'s global batches, the rate of epoch {@code e} being
     * {@code schedule.rate(e, lr)}; validates on {@code val} after each.
     *
     * @param epochs the number of epochs
     * @param lr the base learning rate
     * @param models builds each replica's model, once per device
     * @param optimizers builds each replica's optimizer
     * @param train the global batches, on the host
     * @param val the validation batches, on the first device
     * @param schedule the rate of each epoch from {@code lr}
     * @return the first replica and the history
     * @throws IllegalArgumentException if the global batch is smaller than the number of devices
     * @throws AllReduceException       (or the replica's own exception) when a replica fails; the other replicas are
     *                                  released and every replica is closed
     */
    public Result fit(int epochs, double lr, ModelFactory models, OptimizerFactory optimizers, DataLoader train,
                      Iterable<DeviceBatch> val, LearningRateSchedule schedule) {
        int n = devices.size();
        if (train.batchSize() < n) {
            throw new IllegalArgumentException("a global batch of " + train.batchSize() + " cannot be split over " + n + " devices");
        }
        List<Layer> replicas = new ArrayList<>();
        List<Optimizer> optimizerList = new ArrayList<>();
        List<Replica> steps = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "tessera-replica");
            t.setDaemon(true);
            return t;
        });
        boolean done = false;
        try {
            LocalAllReduce group = LocalAllReduce.group(n);
            for (int r = 0; r < n; r++) {
                Layer model = models.create(devices.get(r));
                replicas.add(model);
                optimizerList.add(optimizers.create(model.parameters()));
            }
            ModelState start = ModelState.capture(replicas.get(0), optimizerList.get(0));
            for (int r = 0; r < n; r++) {
                if (r > 0) {
                    start.applyTo(replicas.get(r), optimizerList.get(r));
                }
                steps.add(new Replica(replicas.get(r), optimizerList.get(r), group.member(r), sync));
            }
            List<String> ids = devices.stream().map(Device::id).toList();
            List<EpochResult> history = new ArrayList<>();
            List<ParallelEpoch> details = new ArrayList<>();
            try (Trainer validator = new Trainer(devices.get(0))) {
                for (int epoch = 0; epoch < epochs; epoch++) {
                    for (TrainingListener l : listeners) {
                        l.onEpochStart(epoch, epochs);
                    }
                    double rate = schedule.rate(epoch, lr);
                    List<WorkerStats> stats = runEpoch(threads, group, steps, train, epoch, rate);
                    WorkerStats first = stats.get(0);
                    EvalResult validation = validator.evaluate(replicas.get(0), val);
                    double seconds = stats.stream().mapToDouble(WorkerStats::seconds).max().orElse(0);
                    EpochResult result = new EpochResult(epoch, rate, first.lossSum() / Math.max(first.samples(), 1), validation,
                            seconds, first.samples() / Math.max(seconds, 1e-9));
                    io.tessera.train.TrainingDivergedException.requireFinite(result);
                    history.add(result);
                    details.add(new ParallelEpoch(result, 1, List.of(), ids, stats));
                    for (TrainingListener l : listeners) {
                        l.onEpochEnd(result);
                    }
                }
            }
            done = true;
            return new Result(replicas.get(0), optimizerList.get(0), history, details);
        } finally {
            threads.shutdownNow();
            for (Replica s : steps) {
                s.close();
            }
            for (int r = done ? 1 : 0; r < replicas.size(); r++) {
                optimizerList.get(r).close();
                replicas.get(r).close();
            }
        }
    }

    private static List<WorkerStats> runEpoch(ExecutorService threads, LocalAllReduce group, List<Replica> steps, DataLoader train,
                                              int epoch, double rate) {
        List<Future<WorkerStats>> futures = new ArrayList<>();
        for (Replica step : steps) {
            futures.add(threads.submit(() -> {
                try {
                    return step.trainEpoch(train.epoch(epoch), rate);
                } catch (RuntimeException | Error e) {
                    group.abort(e);
                    throw e;
                }
            }));
        }
        List<WorkerStats> stats = new ArrayList<>();
        RuntimeException failure = null;
        for (Future<WorkerStats> f : futures) {
            try {
                stats.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                group.abort(e);
                throw new AllReduceException("interrupted while the replicas trained epoch " + epoch, e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (failure == null || failure instanceof AllReduceException && !(cause instanceof AllReduceException)) {
                    failure = cause instanceof RuntimeException re ? re : new AllReduceException("a replica failed in epoch " + epoch + ": " + cause, cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return stats;
    }
}
