package io.tessera.examples.mnist;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import io.tessera.examples.cli.Command;
import io.tessera.examples.cli.Options;
import io.tessera.examples.cli.TrainingFlags;
import io.tessera.examples.cli.UsageException;
import io.tessera.examples.spark.SparkOptions;
import io.tessera.examples.spark.SparkRecipe;
import io.tessera.optim.SGD;
import io.tessera.examples.guice.DataConfig;
import io.tessera.examples.guice.DataModule;
import io.tessera.examples.guice.DeviceModule;
import io.tessera.examples.guice.Loaders;
import io.tessera.examples.guice.Provisioning;
import io.tessera.nn.Layer;
import io.tessera.optim.Optimizer;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code tessera mnist}: the tutorial end to end, on the best available device. */
public final class MnistCommand implements Command {

    @Override
    public String name() {
        return "mnist";
    }

    @Override
    public String summary() {
        return "train the tutorial's MLP on MNIST (or Fashion-MNIST) and report test accuracy";
    }

    @Override
    public Options options() {
        Options options = new Options(name(), "Trains the tutorial's MnistModel (784 -> hidden ReLU -> 10) with SGD: evaluate, then the first half\n"
                + "of the epochs at --lr and the rest at --lr/5 (the tutorial: fit(5, 0.5) then fit(5, 0.1)), then\n"
                + "reports accuracy on the 10,000 test images. 10,000 training images are held out for validation.");
        TrainingFlags.device(options)
                .value("epochs", "N", "10", "total epochs")
                .value("lr", "RATE", "0.5", "learning rate of the first half of the epochs")
                .value("batch-size", "N", "128", "training batch size (validation and test use twice this)")
                .value("hidden", "N", "32", "hidden units")
                .value("momentum", "M", "0", "SGD momentum (the tutorial: 0)")
                .value("model", "KIND", "layers", "layers: the fused Linear/ReLU layers; ops: the same net written with autograd ops");
        TrainingFlags.checkpoints(options);
        SparkOptions.declare(options);
        return TrainingFlags.dataAndOutputs(options, "42", "seed of the initial weights, the split and the shuffles");
    }

    @Override
    public int run(Options.Parsed flags, PrintStream out) throws Exception {
        train(flags, out, System.console() != null);
        return 0;
    }

    /** Runs the tutorial as the flags say and returns its result. */
    public TutorialRun.Result train(Options.Parsed flags, PrintStream out, boolean progressBar) throws Exception {
        String dataset = flags.choice("dataset", List.of("mnist", "fashion"));
        int batch = flags.integer("batch-size", 1, Integer.MAX_VALUE / 2);
        long seed = flags.longValue("seed");
        double lr = flags.number("lr", 0);
        int epochs = flags.integer("epochs", 0, TrainingFlags.MAX_EPOCHS);
        int hidden = flags.integer("hidden", 1, 1 << 16);
        double momentum = flags.numberAtLeast("momentum", 0);
        boolean ops = flags.choice("model", List.of("layers", "ops")).equals("ops");
        Map<String, String> run = new LinkedHashMap<>();
        run.put("dataset", dataset);
        run.put("epochs", Integer.toString(epochs));
        run.put("lr", Double.toString(lr));
        run.put("batch-size", Integer.toString(batch));
        run.put("hidden", Integer.toString(hidden));
        run.put("momentum", Double.toString(momentum));
        run.put("model", ops ? "ops" : "layers");
        run.put("seed", Long.toString(seed));
        SparkOptions spark = SparkOptions.from(flags);
        if (spark != null && flags.isSet("checkpoint-dir")) {
            throw new UsageException("--checkpoint-dir is for one-device runs; with --spark the driver holds each epoch's state");
        }
        SparkRecipe sparkRecipe = spark == null ? null : new SparkRecipe(spark,
                device -> ops ? new OpsMlp(784, hidden, 10, seed, device) : MlpModelModule.mnistModel(784, hidden, 10, seed, device),
                params -> new SGD(params, lr, momentum, 0));
        TutorialConfig config = new TutorialConfig(epochs, lr, hidden, seed, flags.path("save").orElse(null),
                flags.path("plot").orElse(null), flags.path("json").orElse(null), TrainingFlags.checkpoints(flags, run, Map.of()), sparkRecipe);
        DataConfig data = new DataConfig(dataset, flags.path("data").orElse(null), batch, batch * 2, 10_000, seed);
        Injector injector = Guice.createInjector(
                new DeviceModule(flags.get("device").orElse(null)),
                new DataModule(data),
                new MlpModelModule(784, config.hidden(), 10, seed, lr, momentum, ops),
                new AbstractModule() {
                    @Override
                    protected void configure() {
                        bind(TutorialConfig.class).toInstance(config);
                    }
                });
        try {
            try (Loaders loaders = injector.getInstance(Loaders.class);
                 Layer model = injector.getInstance(Layer.class);
                 Optimizer optimizer = injector.getInstance(Optimizer.class)) {
                return injector.getInstance(TutorialRun.class).run(out, progressBar);
            }
        } catch (ProvisionException e) {
            throw Provisioning.unwrap(e);
        }
    }
}
