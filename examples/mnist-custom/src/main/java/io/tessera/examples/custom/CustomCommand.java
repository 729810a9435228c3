package io.tessera.examples.custom;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import io.tessera.examples.cli.Command;
import io.tessera.examples.cli.Options;
import io.tessera.examples.cli.TrainingFlags;
import io.tessera.examples.cli.UsageException;
import io.tessera.examples.guice.DataConfig;
import io.tessera.examples.guice.DataModule;
import io.tessera.examples.guice.DeviceModule;
import io.tessera.examples.guice.Loaders;
import io.tessera.examples.guice.Provisioning;
import io.tessera.examples.report.RunReport;
import io.tessera.nn.Layer;
import io.tessera.optim.Optimizer;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code tessera mnist-custom}: a residual MLP written as forward code only (autograd), on MNIST or Fashion-MNIST. */
public final class CustomCommand implements Command {

    @Override
    public String name() {
        return "mnist-custom";
    }

    @Override
    public String summary() {
        return "train a residual MLP written as forward code only (autograd ops) on MNIST or Fashion-MNIST";
    }

    @Override
    public Options options() {
        Options options = new Options(name(), "Trains a residual MLP defined by its forward pass alone (a Module; the backward pass comes\n"
                + "from autograd) with Adam on the 60,000 training images and evaluates it on the 10,000 test\n"
                + "images after every epoch, the rate decayed by --lr-gamma after each epoch. Images are normalised with MNIST's mean and std. The net: flatten,\n"
                + "784 -> 256, two residual blocks x + W2 relu(W1 x) of 256 -> 256 -> 256, ReLU, 256 -> 10.");
        TrainingFlags.device(options)
                .value("epochs", "N", "5", "epochs")
                .value("lr", "RATE", "0.001", "Adam's learning rate in the first epoch")
                .value("lr-gamma", "G", "0.7", "multiply the rate by G after every epoch (PyTorch's StepLR(1, G), as its MNIST example); 1: constant")
                .value("batch-size", "N", "128", "training batch size")
                .value("max-batches", "N", "0", "train on N batches' worth of images (a seeded sample) per epoch, for a quick check; 0: all");
        TrainingFlags.checkpoints(options);
        return TrainingFlags.dataAndOutputs(options, "1", "seed of the initial weights and the shuffles");
    }

    @Override
    public int run(Options.Parsed flags, PrintStream out) throws Exception {
        train(flags, out, System.console() != null);
        return 0;
    }

    /** Runs as the flags say and returns the report. */
    public RunReport train(Options.Parsed flags, PrintStream out, boolean progressBar) throws Exception {
        String dataset = flags.choice("dataset", List.of("mnist", "fashion"));
        long seed = flags.longValue("seed");
        int epochs = flags.integer("epochs", 0, TrainingFlags.MAX_EPOCHS);
        double lr = flags.number("lr", 0);
        double lrGamma = flags.number("lr-gamma", 0);
        if (!(lrGamma > 0 && lrGamma <= 1)) {
            throw new UsageException("--lr-gamma must be in (0, 1], got " + lrGamma);
        }
        int batch = flags.integer("batch-size", 1);
        int maxBatches = flags.integer("max-batches", 0);
        Map<String, String> run = new LinkedHashMap<>();
        run.put("model", CustomRun.MODEL);
        run.put("dataset", dataset);
        run.put("lr", Double.toString(lr));
        run.put("lr-gamma", Double.toString(lrGamma));
        run.put("batch-size", Integer.toString(batch));
        run.put("max-batches", Integer.toString(maxBatches));
        run.put("seed", Long.toString(seed));
        CustomConfig config = new CustomConfig(epochs, lr, lrGamma, seed, flags.path("save").orElse(null), flags.path("plot").orElse(null),
                flags.path("json").orElse(null), TrainingFlags.checkpoints(flags, run, Map.of()));
        long trainLimit = (long) maxBatches * batch;
        if (trainLimit > Integer.MAX_VALUE) {
            throw new UsageException("--max-batches " + maxBatches + " x --batch-size " + batch + " is more samples than a run can take");
        }
        DataConfig data = new DataConfig(dataset, flags.path("data").orElse(null), batch, 1000, 0, seed,
                DataConfig.Normalization.MNIST, 0, (int) trainLimit);
        Injector injector = Guice.createInjector(
                new DeviceModule(flags.get("device").orElse(null)),
                new DataModule(data),
                new CustomModelModule(config));
        try {
            try (Loaders loaders = injector.getInstance(Loaders.class);
                 Layer model = injector.getInstance(Layer.class);
                 Optimizer optimizer = injector.getInstance(Optimizer.class)) {
                return injector.getInstance(CustomRun.class).run(out, progressBar);
            }
        } catch (ProvisionException e) {
            throw Provisioning.unwrap(e);
        }
    }
}
