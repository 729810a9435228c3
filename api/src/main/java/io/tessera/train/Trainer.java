package io.tessera.train;

import io.tessera.Device;
import io.tessera.Scope;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.data.DeviceBatch;
import io.tessera.nn.CrossEntropyLoss;
import io.tessera.nn.Layer;
import io.tessera.optim.LearningRateSchedule;
import io.tessera.optim.Optimizer;
import io.tessera.spi.Kernels;

import java.util.ArrayList;
import java.util.List;

/**
 * The tutorial's training loop: {@code fit}, {@code evaluate} and {@code accuracy}, for classifiers trained with
 * softmax cross-entropy. Loss and accuracy accumulate on the device and are read once per epoch. The model's backward
 * pass is asked for parameter gradients only (see {@link Layer#backward(Tensor, boolean)}). Not thread-safe.
 */
public final class Trainer implements AutoCloseable {
    private final Device device;
    private final CrossEntropyLoss lossFunction = new CrossEntropyLoss();
    private final List<TrainingListener> listeners = new ArrayList<>();

    public Trainer(Device device) {
        this.device = device;
    }

    public Trainer addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    public Device device() {
        return device;
    }

    /**
     * Trains for {@code epochs} passes over {@code train} at learning rate {@code lr}, evaluating on {@code val}
     * after each; returns one result per epoch. The same as the schedule overload with
     * {@link LearningRateSchedule#constant()}.
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
     * @throws IllegalArgumentException if {@code epochs < 0} or the schedule gives a negative or non-finite rate
     */
    public List<EpochResult> fit(int epochs, double lr, Layer model, Iterable<DeviceBatch> train, Iterable<DeviceBatch> val,
                                 Optimizer optimizer, LearningRateSchedule schedule) {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        optimizer.setLearningRate(lr);
        List<EpochResult> history = new ArrayList<>();
        Kernels k = device.kernels();
        try (Scope scope = device.scope()) {
            Tensor lossSum = scope.zeros(Shape.of(1));
            for (int epoch = 0; epoch < epochs; epoch++) {
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
                k.fill(lossSum, 0f);
                long samples = 0;
                int batchIndex = 0;
                long start = System.nanoTime();
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
                }
                double trainLoss = samples == 0 ? Double.NaN : lossSum.item() / samples;
                double seconds = (System.nanoTime() - start) / 1e9;
                EvalResult validation = evaluate(model, val);
                EpochResult result = new EpochResult(epoch, rate, trainLoss, validation, seconds, samples / Math.max(seconds, 1e-9));
                history.add(result);
                for (TrainingListener l : listeners) {
                    l.onEpochEnd(result);
                }
            }
        }
        return history;
    }

    /** Mean loss and accuracy of {@code model} over {@code batches}, in evaluation mode; leaves the model in training mode. */
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

    /** The fraction of rows of {@code logits} whose arg-max equals the label (the tutorial's {@code accuracy}). */
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
