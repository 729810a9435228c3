package io.tessera.examples.cnn;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import io.tessera.examples.cli.Command;
import io.tessera.examples.cli.Options;
import io.tessera.examples.cli.TrainingFlags;
import io.tessera.examples.spark.SparkOptions;
import io.tessera.examples.spark.SparkRecipe;
import io.tessera.optim.Adam;
import io.tessera.examples.cli.UsageException;
import io.tessera.examples.guice.DataConfig;
import io.tessera.examples.guice.DataModule;
import io.tessera.examples.guice.DeviceModule;
import io.tessera.examples.guice.Loaders;
import io.tessera.examples.guice.Provisioning;
import io.tessera.examples.report.RunReport;
import io.tessera.nn.Sequential;
import io.tessera.optim.Optimizer;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code tessera mnist-cnn}: a convolutional network on MNIST or Fashion-MNIST, on the best available device. */
public final class CnnCommand implements Command {

    @Override
    public String name() {
        return "mnist-cnn";
    }

    @Override
    public String summary() {
        return "train a CNN (PyTorch's examples net, or a batch-norm net) on MNIST or Fashion-MNIST";
    }

    @Override
    public Options options() {
        StringBuilder models = new StringBuilder();
        for (CnnRecipe r : CnnRecipe.values()) {
            models.append(String.format("%n  %-9s %s (default %d epoch%s)", r.id(), r.summary(), r.epochs(), r.epochs() == 1 ? "" : "s"));
        }
        Options options = new Options(name(), "Trains a convolutional network with Adam (batch 64) on the 60,000 training images and\n"
                + "evaluates it on the 10,000 test images after every epoch, as PyTorch's MNIST example does\n"
                + "(--validation N holds N training images out instead). Images are normalised with MNIST's\n"
                + "mean and std. Models:" + models);
        TrainingFlags.device(options)
                .value("model", "NAME", CnnRecipe.EXAMPLES.id(), "the network and its recipe: " + String.join(" or ", CnnRecipe.ids()))
                .value("epochs", "N", null, "epochs (default: the model's)")
                .value("lr", "RATE", null, "Adam's learning rate in the first epoch (default: the model's)")
                .value("lr-step", "N", null, "multiply the rate by --lr-gamma every N epochs; 0 keeps it constant (default: the model's)")
                .value("lr-gamma", "G", null, "the factor of each decay (default: the model's)")
                .value("shift", "PX", null, "shift training images at random by up to PX pixels (default: the model's)")
                .value("batch-size", "N", "64", "training batch size")
                .value("max-batches", "N", "0", "train on N batches' worth of images (a seeded sample) per epoch, for a quick check; 0: all")
                .value("validation", "N", "0", "hold out N training images for validation (0: evaluate on the test set)");
        TrainingFlags.checkpoints(options);
        SparkOptions.declare(options);
        return TrainingFlags.dataAndOutputs(options, "1", "seed of the initial weights, dropout, shuffles and shifts");
    }

    @Override
    public int run(Options.Parsed flags, PrintStream out) throws Exception {
        train(flags, out, System.console() != null);
        return 0;
    }

    /** Runs as the flags say and returns the report. */
    public RunReport train(Options.Parsed flags, PrintStream out, boolean progressBar) throws Exception {
        CnnRecipe recipe = CnnRecipe.byId(flags.choice("model", CnnRecipe.ids()));
        String dataset = flags.choice("dataset", List.of("mnist", "fashion"));
        long seed = flags.longValue("seed");
        int epochs = flags.isSet("epochs") ? flags.integer("epochs", 0, TrainingFlags.MAX_EPOCHS) : recipe.epochs();
        double lr = flags.isSet("lr") ? flags.number("lr", 0) : recipe.lr();
        int lrStep = flags.isSet("lr-step") ? flags.integer("lr-step", 0, TrainingFlags.MAX_EPOCHS) : recipe.lrStep();
        double lrGamma = flags.isSet("lr-gamma") ? flags.number("lr-gamma", 0) : recipe.lrGamma();
        int batch = flags.integer("batch-size", 1);
        int validation = flags.integer("validation", 0, 10_000_000);
        int shift = flags.isSet("shift") ? flags.integer("shift", 0, DataModule.IMAGE_SIZE - 1) : recipe.maxShift();
        int maxBatches = flags.integer("max-batches", 0);
        Map<String, String> run = new LinkedHashMap<>();
        run.put("model", recipe.id());
        run.put("dataset", dataset);
        run.put("lr", Double.toString(lr));
        run.put("lr-step", Integer.toString(lrStep));
        run.put("lr-gamma", Double.toString(lrGamma));
        run.put("batch-size", Integer.toString(batch));
        run.put("validation", Integer.toString(validation));
        run.put("shift", Integer.toString(shift));
        run.put("max-batches", Integer.toString(maxBatches));
        run.put("seed", Long.toString(seed));
        SparkOptions spark = SparkOptions.from(flags);
        if (spark != null && flags.isSet("checkpoint-dir")) {
            throw new UsageException("--checkpoint-dir is for one-device runs; with --spark the driver holds each epoch's state");
        }
        SparkRecipe sparkRecipe = spark == null ? null
                : new SparkRecipe(spark, device -> recipe.model(device, seed), params -> new Adam(params, lr));
        CnnConfig config = new CnnConfig(recipe, epochs, lr, lrStep, lrGamma, seed, flags.path("save").orElse(null),
                flags.path("plot").orElse(null), flags.path("json").orElse(null), TrainingFlags.checkpoints(flags, run, Map.of()), sparkRecipe);
        long trainLimit = (long) maxBatches * batch;
        if (trainLimit > Integer.MAX_VALUE) {
            throw new UsageException("--max-batches " + maxBatches + " x --batch-size " + batch + " is more samples than a run can take");
        }
        DataConfig data = new DataConfig(dataset, flags.path("data").orElse(null), batch, 1000, validation, seed,
                DataConfig.Normalization.MNIST, shift, (int) trainLimit);
        Injector injector = Guice.createInjector(
                new DeviceModule(flags.get("device").orElse(null)),
                new DataModule(data),
                new CnnModelModule(config));
        try {
            try (Loaders loaders = injector.getInstance(Loaders.class);
                 Sequential model = injector.getInstance(Sequential.class);
                 Optimizer optimizer = injector.getInstance(Optimizer.class)) {
                return injector.getInstance(CnnRun.class).run(out, progressBar);
            }
        } catch (ProvisionException e) {
            throw Provisioning.unwrap(e);
        }
    }
}
