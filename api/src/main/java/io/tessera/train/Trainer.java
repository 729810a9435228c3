package io.tessera.train;

import io.tessera.Device;
import io.tessera.Scope;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.data.DeviceBatch;
import io.tessera.data.SeekableEpochs;
import io.tessera.nn.CrossEntropyLoss;
import io.tessera.nn.Layer;
import io.tessera.optim.LearningRateSchedule;
import io.tessera.optim.Optimizer;
import io.tessera.spi.Kernels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tutorial's training loop: {@code fit}, {@code evaluate} and {@code accuracy}, for classifiers trained with
 * softmax cross-entropy. Loss and accuracy accumulate on the device and are read once per epoch. The model's backward
 * pass is asked for parameter gradients only (see {@link Layer#backward(Tensor, boolean)}). Not thread-safe.
 */
public final class Trainer implements AutoCloseable {
    private final Device device;
    private final CrossEntropyLoss lossFunction = new CrossEntropyLoss();
    private final List<TrainingListener> listeners = new ArrayList<>();
    private TrainingCheckpoints checkpoints;
    private Resumed resumed;

    /**
     * A trainer whose loss and metrics run on {@code device}; models and batches given to it must be on that device.
     *
     * @param device the device
     */
    public Trainer(Device device) {
        this.device = device;
    }

    /**
     * Makes {@link #fit} write training checkpoints as {@code checkpoints} says and, if it says so, resume from the
     * newest; null turns checkpoints off. See {@link TrainingCheckpoints}.
     *
     * @param checkpoints the checkpoint settings, or null for none
     * @return this trainer
     */
    public Trainer checkpoints(TrainingCheckpoints checkpoints) {
        this.checkpoints = checkpoints;
        return this;
    }

    /**
     * Where the last {@link #fit} resumed, if it did.
     *
     * @return the resume point of the last {@code fit}, empty if it started from scratch or none ran
     */
    public Optional<Resumed> resumed() {
        return Optional.ofNullable(resumed);
    }

    /**
     * Adds a listener, called on the training thread in the order added.
     *
     * @param listener the listener
     * @return this trainer
     */
    public Trainer addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * The device the loss and metrics run on.
     *
     * @return the constructor's device
     */
    public Device device() {
        return device;
    }

    /**
     * Trains for {@code epochs} passes over {@code train} at learning rate {@code lr}, evaluating on {@code val}
     * after each; returns one result per epoch. The same as the schedule overload with
     * {@link LearningRateSchedule#constant()}.
     *
     * @param epochs the number of epochs, {@code >= 0}
     * @param lr the base learning rate, finite and {@code >= 0}
     * @param model the model, on this trainer's device; trained in place, not closed
     * @param train the training batches, iterated once per epoch
     * @param val the validation batches, iterated once per epoch
     * @param optimizer the optimizer over the model's parameters; its rate is set by this call, it is not closed
     * @return one result per epoch, in order
     */
    public List<EpochResult> fit(int epochs, double lr, Layer model, Iterable<DeviceBatch> train, Iterable<DeviceBatch> val,
                                 Optimizer optimizer) {
        return fit(epochs, lr, model, train, val, optimizer, LearningRateSchedule.constant());
    }

    /**
     * Trains for {@code epochs} passes over {@code train}, evaluating on {@code val} after each; before epoch {@code e}
     * the optimizer's rate is set to {@code schedule.rate(e, lr)}, which each {@link EpochResult} records. The model is
     * in training mode during each pass and evaluation mode during validation. Returns one result per epoch.
     *
     * <p>With {@link #checkpoints(TrainingCheckpoints) checkpoints} set, a checkpoint is written after each epoch
     * (and within epochs at the configured interval); when resuming, the epochs the checkpoint holds are not trained
     * again, their results open the returned list, and listeners hear {@link TrainingListener#onResume} first.
     *
     * <p>The training loss is read at the end of each epoch (and at each checkpoint within one), and the validation
     * loss after each evaluation; when either is NaN or infinite, training stops before that epoch's result is
     * reported to listeners or written to a checkpoint.
     *
     * @param epochs the number of epochs, {@code >= 0}
     * @param lr the base learning rate, finite and {@code >= 0}
     * @param model the model, on this trainer's device; trained in place, not closed
     * @param train the training batches, iterated once per epoch
     * @param val the validation batches, iterated once per epoch
     * @param optimizer the optimizer over the model's parameters; its rate is set by this call, it is not closed
     * @param schedule the rate of each epoch from {@code lr}
     * @return one result per epoch, in order, resumed epochs first
     * @throws IllegalArgumentException if {@code epochs < 0} or the schedule gives a negative or non-finite rate, or
     *                                  checkpoints are set and {@code train} is not {@link SeekableEpochs}
     * @throws ResumeException          if the checkpoint to resume from does not fit this run, or the folder holds
     *                                  checkpoints and resuming was not asked for
     * @throws TrainingDivergedException if the training or validation loss becomes NaN or infinite
     * @throws UncheckedIOException     if a checkpoint cannot be read or written
     */
    public List<EpochResult> fit(int epochs, double lr, Layer model, Iterable<DeviceBatch> train, Iterable<DeviceBatch> val,
                                 Optimizer optimizer, LearningRateSchedule schedule) {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        optimizer.setLearningRate(lr);
        List<EpochResult> history = new ArrayList<>();
        resumed = null;
        TrainingState.Position partial = null;
        int firstEpoch = 0;
        SeekableEpochs data = null;
        if (checkpoints != null) {
            if (!(train instanceof SeekableEpochs s)) {
                throw new IllegalArgumentException("training checkpoints need training data that can seek to a position (a DataLoader or"
                        + " DeviceDataLoader), not " + train.getClass().getName());
            }
            data = s;
            TrainingState.Restored restored = startCheckpoints(model, optimizer, train);
            if (restored != null) {
                resumed = restored.resumed();
                for (TrainingListener l : listeners) {
                    l.onResume(resumed);
                }
                if (restored.position() != null) {
                    history.addAll(resumed.history());
                    firstEpoch = restored.position().epoch();
                    partial = restored.position().batch() > 0 ? restored.position() : null;
                }
            }
        }
        Kernels k = device.kernels();
        try (Scope scope = device.scope()) {
            Tensor lossSum = scope.zeros(Shape.of(1));
            for (int epoch = firstEpoch; epoch < epochs; epoch++) {
                for (TrainingListener l : listeners) {
                    l.onEpochStart(epoch, epochs);
                }
                double rate = schedule.rate(epoch, lr);
                if (!(rate >= 0) || !Double.isFinite(rate)) {
                    throw new IllegalArgumentException("the learning-rate schedule gave " + rate + " for epoch " + epoch
                            + " (base rate " + lr + "); rates must be >= 0 and finite");
                }
                optimizer.setLearningRate(rate);
                model.train(true);
                k.fill(lossSum, partial != null ? partial.lossSum() : 0f);
                long samples = partial != null ? partial.samples() : 0;
                int batchIndex = partial != null ? partial.batch() : 0;
                double earlierSeconds = partial != null ? partial.seconds() : 0;
                partial = null;
                long start = System.nanoTime();
                long lastWrite = start;
                for (DeviceBatch batch : train) {
                    Tensor logits = model.forward(batch.features());
                    Tensor loss = lossFunction.forward(logits, batch.labels());
                    k.axpy(batch.size(), loss, lossSum);
                    model.backward(lossFunction.backward(), false);
                    optimizer.step();
                    samples += batch.size();
                    for (TrainingListener l : listeners) {
                        l.onBatchEnd(epoch, batchIndex);
                    }
                    batchIndex++;
                    if (checkpoints != null && checkpoints.interval().isPresent() && batchIndex < data.batchCount()
                            && System.nanoTime() - lastWrite >= checkpoints.interval().get().toNanos()) {
                        long now = System.nanoTime();
                        float sum = lossSum.item();
                        TrainingDivergedException.requireFinite(epoch, batchIndex, "training loss", sum / (double) samples, rate);
                        write(new TrainingState.Position(epoch, batchIndex, data.nextEpoch() - 1, sum, samples,
                                earlierSeconds + (now - start) / 1e9), model, optimizer, data, history);
                        lastWrite = System.nanoTime();
                    }
                }
                double trainLoss = samples == 0 ? Double.NaN : lossSum.item() / samples;
                double seconds = earlierSeconds + (System.nanoTime() - start) / 1e9;
                if (samples > 0) {
                    TrainingDivergedException.requireFinite(epoch, batchIndex, "training loss", trainLoss, rate);
                }
                EvalResult validation = evaluate(model, val);
                TrainingDivergedException.requireFinite(epoch, batchIndex, "validation loss", validation.loss(), rate);
                EpochResult result = new EpochResult(epoch, rate, trainLoss, validation, seconds, samples / Math.max(seconds, 1e-9));
                history.add(result);
                for (TrainingListener l : listeners) {
                    l.onEpochEnd(result);
                }
                if (checkpoints != null) {
                    write(new TrainingState.Position(epoch + 1, 0, data.nextEpoch(), 0f, 0, 0), model, optimizer, data, history);
                }
            }
        }
        return history;
    }

    private TrainingState.Restored startCheckpoints(Layer model, Optimizer optimizer, Iterable<DeviceBatch> train) {
        try {
            checkpoints.deleteTemporaries();
            if (checkpoints.resumes()) {
                return TrainingState.restore(checkpoints, model, optimizer, train);
            }
            List<Path> earlier = checkpoints.list();
            if (!earlier.isEmpty()) {
                throw new ResumeException(checkpoints.dir() + " holds checkpoints of an earlier run (the newest: " + earlier.get(0).getFileName()
                        + "); resume that run, or write this one's checkpoints to an empty folder");
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint folder " + checkpoints.dir() + ": " + e.getMessage(), e);
        }
    }

    private void write(TrainingState.Position at, Layer model, Optimizer optimizer, SeekableEpochs data, List<EpochResult> history) {
        Path file;
        try {
            file = TrainingState.write(checkpoints, at, model, optimizer, data, history);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a training checkpoint to " + checkpoints.dir() + ": " + e.getMessage(), e);
        }
        for (TrainingListener l : listeners) {
            l.onCheckpoint(file);
        }
    }

    /**
     * Mean loss and accuracy of {@code model} over {@code batches}, in evaluation mode; leaves the model in training
     * mode.
     *
     * @param model the model, on this trainer's device
     * @param batches the batches, iterated once
     * @return the mean loss and accuracy over every sample
     * @throws IllegalArgumentException if {@code batches} gives no batch
     */
    public EvalResult evaluate(Layer model, Iterable<DeviceBatch> batches) {
        model.train(false);
        Kernels k = device.kernels();
        long start = System.nanoTime();
        try (Scope scope = device.scope()) {
            Tensor lossSum = scope.zeros(Shape.of(1));
            Tensor correct = scope.zeros(Shape.of(1));
            long samples = 0;
            for (DeviceBatch batch : batches) {
                Tensor logits = model.forward(batch.features());
                Tensor loss = lossFunction.forward(logits, batch.labels());
                k.axpy(batch.size(), loss, lossSum);
                k.countCorrect(logits, batch.labels(), correct);
                samples += batch.size();
            }
            if (samples == 0) {
                throw new IllegalArgumentException("evaluate: the data loader gave no batches");
            }
            double loss = lossSum.item() / samples;
            double accuracy = correct.item() / samples;
            return new EvalResult(loss, accuracy, samples, (System.nanoTime() - start) / 1e9);
        } finally {
            model.train(true);
        }
    }

    /**
     * The fraction of rows of {@code logits} whose arg-max equals the label (the tutorial's {@code accuracy}).
     *
     * @param logits FLOAT32 {@code [N, C]}; read, not closed
     * @param labels INT32 {@code [N]} on the same device; rows with a label outside {@code [0, C)} count as wrong
     * @return the fraction in {@code [0, 1]} (NaN for {@code N == 0}); arg-max and NaN as {@link Kernels#countCorrect}
     */
    public static double accuracy(Tensor logits, Tensor labels) {
        Device d = logits.device();
        try (Tensor count = d.zeros(Shape.of(1))) {
            d.kernels().countCorrect(logits, labels, count);
            return count.item() / logits.shape().dim(0);
        }
    }

    @Override
    public void close() {
        lossFunction.close();
    }
}
