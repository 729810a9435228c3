package io.tessera.examples.mnist;

import com.google.inject.Inject;
import io.tessera.Device;
import io.tessera.datasets.DatasetFolder;
import io.tessera.examples.guice.DataConfig;
import io.tessera.examples.guice.Loaders;
import io.tessera.examples.spark.MnistTrainingData;
import io.tessera.examples.spark.SparkFit;
import io.tessera.examples.report.RunReport;
import io.tessera.nn.Checkpoint;
import io.tessera.nn.Layer;
import io.tessera.optim.Optimizer;
import io.tessera.train.EpochResult;
import io.tessera.train.EvalResult;
import io.tessera.train.ProgressPrinter;
import io.tessera.train.Trainer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tutorial's script: {@code history = [evaluate(model, val_loader)]}, {@code history += fit(5, 0.5, ...)},
 * {@code history += fit(5, 0.1, ...)}, then the test accuracy; plus the optional checkpoint, plot and JSON report.
 */
public final class TutorialRun {
    private final Device device;
    private final Layer model;
    private final Optimizer optimizer;
    private final Loaders loaders;
    private final TutorialConfig config;

    /** The outcome: the initial evaluation, one result per epoch, the test pass and the wall time. */
    public record Result(EvalResult initial, List<EpochResult> history, EvalResult test, double seconds) {
        RunReport report() {
            return new RunReport(initial, history, test, seconds);
        }
    }

    private final DatasetFolder folder;
    private final DataConfig data;

    @Inject
    TutorialRun(Device device, Layer model, Optimizer optimizer, Loaders loaders, TutorialConfig config, DatasetFolder folder, DataConfig data) {
        this.folder = folder;
        this.data = data;
        this.device = device;
        this.model = model;
        this.optimizer = optimizer;
        this.loaders = loaders;
        this.config = config;
    }

    public Result run(PrintStream out, boolean progressBar) throws IOException {
        long start = System.nanoTime();
        out.printf(Locale.ROOT, "%s on %s (%s): %s, %,d parameters; %,d training / %,d validation / %,d test images%n",
                loaders.dataset().title(), device.id(), device.name(), model, model.parameterCount(),
                loaders.train().loader().samplesPerEpoch(), loaders.val().loader().samplesPerEpoch(),
                loaders.test().loader().samplesPerEpoch());
        List<EpochResult> history = new ArrayList<>();
        EvalResult initial;
        EvalResult test;
        try (Trainer trainer = new Trainer(device)) {
            trainer.addListener(new ProgressPrinter(out, loaders.train().batchCount(), progressBar));
            if (config.checkpoints() != null) {
                trainer.checkpoints(config.checkpoints().metadata(metadata()));
                ProgressPrinter.announceCheckpoints(out, config.checkpoints());
            }
            initial = trainer.evaluate(model, loaders.val());
            out.printf(Locale.ROOT, "Before training: val_loss: %.4f, val_acc: %.4f%n", initial.loss(), initial.accuracy());
            if (config.spark() != null) {
                SparkFit.Job job = new SparkFit.Job("tessera mnist", config.spark().models(), config.spark().optimizers(),
                        new MnistTrainingData(folder, data), loaders.val(), device, config.epochs(), config.lr(), config.schedule());
                history.addAll(SparkFit.fit(config.spark().options(), job, model, optimizer,
                        new ProgressPrinter(out, loaders.train().batchCount(), false), out));
            } else {
                history.addAll(trainer.fit(config.epochs(), config.lr(), model, loaders.train(), loaders.val(), optimizer, config.schedule()));
            }
            test = trainer.evaluate(model, loaders.test());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "Test: loss %.4f, accuracy %.4f (%,d images); %.1f s in all%n", test.loss(), test.accuracy(),
                test.samples(), seconds);
        Result result = new Result(initial, history, test, seconds);
        if (config.save() != null) {
            Checkpoint.save(model, metadata(), config.save());
            out.println("Saved the model to " + config.save());
        }
        if (config.plot() != null) {
            plot(result, config.plot());
            out.println("Wrote the training curves to " + config.plot());
        }
        if (config.json() != null) {
            writeJson(result, config.json());
            out.println("Wrote the run report to " + config.json());
        }
        return result;
    }

    private Map<String, String> metadata() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("input", "1x28x28");
        meta.put("dataset", loaders.dataset().name());
        meta.put("classes", String.join(",", loaders.dataset().classes()));
        return meta;
    }

    private void plot(Result r, Path file) throws IOException {
        r.report().plot(file, loaders.dataset().title() + " on " + device.id() + String.format(Locale.ROOT,
                ": test accuracy %.4f", r.test().accuracy()));
    }

    private void writeJson(Result r, Path file) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("framework", "tessera");
        header.put("dataset", loaders.dataset().name());
        header.put("model", model.toString());
        header.put("device", device.id());
        header.put("device_name", device.name());
        header.put("epochs", config.epochs());
        header.put("lr", config.lr());
        header.put("seed", config.seed());
        header.put("batch_size", loaders.train().loader().batchSize());
        r.report().writeJson(file, header);
    }
}
