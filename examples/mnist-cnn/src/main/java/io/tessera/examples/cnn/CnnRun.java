package io.tessera.examples.cnn;

import com.google.inject.Inject;
import io.tessera.Device;
import io.tessera.examples.guice.DataConfig;
import io.tessera.datasets.DatasetFolder;
import io.tessera.examples.guice.Loaders;
import io.tessera.examples.spark.MnistTrainingData;
import io.tessera.examples.spark.SparkFit;
import io.tessera.examples.report.RunReport;
import io.tessera.nn.Checkpoint;
import io.tessera.nn.Sequential;
import io.tessera.optim.Optimizer;
import io.tessera.train.EpochResult;
import io.tessera.train.EvalResult;
import io.tessera.train.ProgressPrinter;
import io.tessera.train.Trainer;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PyTorch's examples loop: train an epoch, evaluate (on the validation part, or on the test set when there is none),
 * step the learning-rate schedule; then the test accuracy and the optional checkpoint, plot and JSON report.
 */
public final class CnnRun {
    private final Device device;
    private final Sequential model;
    private final Optimizer optimizer;
    private final Loaders loaders;
    private final CnnConfig config;
    private final DataConfig data;

    private final DatasetFolder folder;

    @Inject
    CnnRun(Device device, Sequential model, Optimizer optimizer, Loaders loaders, CnnConfig config, DataConfig data, DatasetFolder folder) {
        this.folder = folder;
        this.device = device;
        this.model = model;
        this.optimizer = optimizer;
        this.loaders = loaders;
        this.config = config;
        this.data = data;
    }

    public RunReport run(PrintStream out, boolean progressBar) throws IOException {
        long start = System.nanoTime();
        boolean split = loaders.val() != loaders.test();
        String evaluatedOn = split ? ProgressPrinter.VALIDATION : ProgressPrinter.TEST;
        out.printf(Locale.ROOT, "%s on %s (%s): model %s, %,d parameters; %,d training images%s, %s%n",
                loaders.dataset().title(), device.id(), device.name(), config.recipe().id(), model.parameterCount(),
                loaders.train().loader().samplesPerEpoch(),
                data.maxShift() > 0 ? " shifted by up to " + data.maxShift() + " px" : "",
                split ? String.format(Locale.ROOT, "%,d validation", loaders.val().loader().samplesPerEpoch())
                        : "evaluated on the test set after each epoch");
        List<EpochResult> history;
        EvalResult test;
        try (Trainer trainer = new Trainer(device)) {
            trainer.addListener(new ProgressPrinter(out, loaders.train().batchCount(), progressBar, evaluatedOn));
            if (config.checkpoints() != null) {
                trainer.checkpoints(config.checkpoints().metadata(metadata()));
                ProgressPrinter.announceCheckpoints(out, config.checkpoints());
            }
            if (config.spark() != null) {
                SparkFit.Job job = new SparkFit.Job("tessera mnist-cnn", config.spark().models(), config.spark().optimizers(),
                        new MnistTrainingData(folder, data), loaders.val(), device, config.epochs(), config.lr(), config.schedule());
                history = SparkFit.fit(config.spark().options(), job, model, optimizer,
                        new ProgressPrinter(out, loaders.train().batchCount(), false, evaluatedOn), out);
            } else {
                history = trainer.fit(config.epochs(), config.lr(), model, loaders.train(), loaders.val(), optimizer, config.schedule());
            }
            test = split || history.isEmpty() ? trainer.evaluate(model, loaders.test()) : history.get(history.size() - 1).validation();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "Test: loss %.4f, accuracy %.4f (%,d images); %.1f s in all%n", test.loss(), test.accuracy(),
                test.samples(), seconds);
        RunReport report = new RunReport(null, history, test, seconds, evaluatedOn);
        if (config.save() != null) {
            Checkpoint.save(model, metadata(), config.save());
            out.println("Saved the model to " + config.save());
        }
        if (config.plot() != null) {
            report.plot(config.plot(), loaders.dataset().title() + " CNN (" + config.recipe().id() + ") on " + device.id()
                    + String.format(Locale.ROOT, ": test accuracy %.4f", test.accuracy()));
            out.println("Wrote the training curves to " + config.plot());
        }
        if (config.json() != null) {
            report.writeJson(config.json(), header());
            out.println("Wrote the run report to " + config.json());
        }
        return report;
    }

    private Map<String, String> metadata() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("input", "1x28x28");
        meta.put("dataset", loaders.dataset().name());
        meta.put("classes", String.join(",", loaders.dataset().classes()));
        if (data.normalize() != null) {
            meta.put("normalize", data.normalize().mean() + "," + data.normalize().std());
        }
        return meta;
    }

    private Map<String, Object> header() {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("framework", "tessera");
        header.put("dataset", loaders.dataset().name());
        header.put("model", "cnn-" + config.recipe().id());
        header.put("layers", model.toString());
        header.put("optimizer", "adam");
        header.put("device", device.id());
        header.put("device_name", device.name());
        header.put("epochs", config.epochs());
        header.put("lr", config.lr());
        header.put("lr_step", config.lrStep());
        header.put("lr_gamma", config.lrGamma());
        header.put("max_shift", data.maxShift());
        header.put("seed", config.seed());
        header.put("batch_size", loaders.train().loader().batchSize());
        header.put("validation", loaders.val() != loaders.test() ? "split" : "test set");
        return header;
    }
}
