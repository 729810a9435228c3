package io.tessera.examples.custom;

import com.google.inject.Inject;
import io.tessera.Device;
import io.tessera.examples.guice.DataConfig;
import io.tessera.examples.guice.Loaders;
import io.tessera.examples.report.RunReport;
import io.tessera.nn.Checkpoint;
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
 * Trains the residual MLP an epoch at a time, evaluating on the test set after each (PyTorch's examples loop); then
 * the optional checkpoint, plot and JSON report.
 */
public final class CustomRun {
    /** The model's name in the JSON report and the checkpoints' run settings. */
    public static final String MODEL = "residual-mlp";

    private final Device device;
    private final ResidualMlp model;
    private final Optimizer optimizer;
    private final Loaders loaders;
    private final CustomConfig config;
    private final DataConfig data;

    @Inject
    CustomRun(Device device, ResidualMlp model, Optimizer optimizer, Loaders loaders, CustomConfig config, DataConfig data) {
        this.device = device;
        this.model = model;
        this.optimizer = optimizer;
        this.loaders = loaders;
        this.config = config;
        this.data = data;
    }

    public RunReport run(PrintStream out, boolean progressBar) throws IOException {
        long start = System.nanoTime();
        out.printf(Locale.ROOT, "%s on %s (%s): %s, %,d parameters; %,d training images, evaluated on the test set after each epoch%n",
                loaders.dataset().title(), device.id(), device.name(), model, model.parameterCount(),
                loaders.train().loader().samplesPerEpoch());
        List<EpochResult> history;
        EvalResult test;
        try (Trainer trainer = new Trainer(device)) {
            trainer.addListener(new ProgressPrinter(out, loaders.train().batchCount(), progressBar, ProgressPrinter.TEST));
            if (config.checkpoints() != null) {
                trainer.checkpoints(config.checkpoints().metadata(metadata()));
                ProgressPrinter.announceCheckpoints(out, config.checkpoints());
            }
            history = trainer.fit(config.epochs(), config.lr(), model, loaders.train(), loaders.test(), optimizer, config.schedule());
            test = history.isEmpty() ? trainer.evaluate(model, loaders.test()) : history.get(history.size() - 1).validation();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "Test: loss %.4f, accuracy %.4f (%,d images); %.1f s in all%n", test.loss(), test.accuracy(),
                test.samples(), seconds);
        RunReport report = new RunReport(null, history, test, seconds, ProgressPrinter.TEST);
        if (config.save() != null) {
            Checkpoint.save(model, metadata(), config.save());
            out.println("Saved the model to " + config.save());
        }
        if (config.plot() != null) {
            report.plot(config.plot(), loaders.dataset().title() + " residual MLP on " + device.id()
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
        meta.put("normalize", data.normalize().mean() + "," + data.normalize().std());
        return meta;
    }

    private Map<String, Object> header() {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("framework", "tessera");
        header.put("dataset", loaders.dataset().name());
        header.put("model", MODEL);
        header.put("layers", model.toString());
        header.put("layer_sizes", model.layerSizes());
        header.put("parameters", model.parameterCount());
        header.put("optimizer", "adam");
        header.put("device", device.id());
        header.put("device_name", device.name());
        header.put("epochs", config.epochs());
        header.put("lr", config.lr());
        header.put("lr_gamma", config.lrGamma());
        header.put("seed", config.seed());
        header.put("batch_size", loaders.train().loader().batchSize());
        header.put("max_batches", data.trainLimit() / data.batchSize());
        header.put("validation", "test set");
        return header;
    }
}
