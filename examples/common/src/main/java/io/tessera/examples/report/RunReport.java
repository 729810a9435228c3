package io.tessera.examples.report;

import io.tessera.train.EpochResult;
import io.tessera.train.EvalResult;
import io.tessera.train.ProgressPrinter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of an example's training run and its two files: the JSON report ({@code --json}) and the curves
 * ({@code --plot}). Both are written atomically.
 *
 * @param initial the evaluation before training, or null when the run skipped it
 * @param history one result per epoch
 * @param test    the final test pass
 * @param seconds wall time of the whole run
 * @param evaluatedOn what the evaluation after each epoch ran on: {@link ProgressPrinter#VALIDATION} or
 *                {@link ProgressPrinter#TEST}, the prefix of its figures in the JSON report and its name in the plot
 */
public record RunReport(EvalResult initial, List<EpochResult> history, EvalResult test, double seconds, String evaluatedOn) {

    public RunReport {
        history = List.copyOf(history);
    }

    /** A report whose epochs were evaluated on a validation set. */
    public RunReport(EvalResult initial, List<EpochResult> history, EvalResult test, double seconds) {
        this(initial, history, test, seconds, ProgressPrinter.VALIDATION);
    }

    /** Writes {@code header} (framework, model, device, settings), then the history and the test result, as JSON. */
    public void writeJson(Path file, Map<String, Object> header) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>(header);
        if (initial != null) {
            root.put("initial", Map.of("val_loss", initial.loss(), "val_acc", initial.accuracy()));
        }
        List<Object> epochs = new ArrayList<>();
        for (EpochResult e : history) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", e.epoch() + 1);
            m.put("lr", e.learningRate());
            m.put("train_loss", e.trainLoss());
            m.put(evaluatedOn + "_loss", e.valLoss());
            m.put(evaluatedOn + "_acc", e.valAccuracy());
            m.put("train_seconds", e.trainSeconds());
            m.put("samples_per_second", e.samplesPerSecond());
            m.put("eval_seconds", e.validation().seconds());
            epochs.add(m);
        }
        root.put("history", epochs);
        root.put("test_loss", test.loss());
        root.put("test_acc", test.accuracy());
        root.put("seconds", seconds);
        String json = Json.write(root);
        AtomicFile.write(file, tmp -> Files.writeString(tmp, json));
    }

    /**
     * Draws the accuracy of each epoch's evaluation and the losses per epoch, epochs numbered from 1 (point 0 is the
     * initial evaluation when there is one).
     */
    public void plot(Path file, String title) throws IOException {
        List<Double> acc = new ArrayList<>();
        List<Double> val = new ArrayList<>();
        List<Double> train = new ArrayList<>();
        if (initial != null) {
            acc.add(initial.accuracy());
            val.add(initial.loss());
            train.add(Double.NaN);
        }
        for (EpochResult e : history) {
            acc.add(e.valAccuracy());
            val.add(e.valLoss());
            train.add(e.trainLoss());
        }
        TrainingPlot.write(file, title, acc, val, train, evaluatedOn.equals(ProgressPrinter.TEST) ? "test" : "validation",
                initial != null ? 0 : 1);
    }
}
