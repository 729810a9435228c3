package io.tessera.examples.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.tessera.Device;
import io.tessera.data.BatchTransform;
import io.tessera.data.DataLoader;
import io.tessera.data.Dataset;
import io.tessera.data.Datasets;
import io.tessera.data.DeviceDataLoader;
import io.tessera.data.InMemoryDataset;
import io.tessera.data.Subset;
import io.tessera.datasets.DatasetFolder;
import io.tessera.datasets.DatasetLocator;
import io.tessera.datasets.MnistFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * Binds the datasets and loaders: MNIST or Fashion-MNIST found (or downloaded) by {@link DatasetLocator}, the
 * training set split into training and validation parts as the tutorial does (or, with a validation size of 0, all
 * of it for training and the test set for validation, as PyTorch's examples CNN does), the configured normalisation
 * and augmentation, and a prefetching
 * {@link DeviceDataLoader} for each part on the bound {@link Device}.
 */
public final class DataModule extends AbstractModule {
    /** The side of the square images the examples' models take: MNIST's 28. */
    public static final int IMAGE_SIZE = 28;

    private final DataConfig config;
    private final DatasetLocator locator;

    public DataModule(DataConfig config) {
        this(config, DatasetLocator.standard());
    }

    public DataModule(DataConfig config, DatasetLocator locator) {
        this.config = config;
        this.locator = locator;
    }

    /** The dataset a {@code --dataset} value names. */
    public static MnistFiles dataset(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "mnist" -> MnistFiles.MNIST;
            case "fashion", "fashion-mnist" -> MnistFiles.FASHION_MNIST;
            default -> throw new IllegalArgumentException("unknown dataset '" + name + "'; use mnist or fashion");
        };
    }

    @Override
    protected void configure() {
        bind(DataConfig.class).toInstance(config);
    }

    @Provides
    @Singleton
    DatasetFolder folder() {
        try {
            return locator.locate(dataset(config.dataset()), config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Provides
    @Singleton
    Loaders loaders(DatasetFolder folder, Device device) {
        InMemoryDataset train;
        InMemoryDataset test;
        try {
            train = folder.load(MnistFiles.Split.TRAIN, IMAGE_SIZE, IMAGE_SIZE);
            test = folder.load(MnistFiles.Split.TEST, IMAGE_SIZE, IMAGE_SIZE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (config.validationSize() >= train.size()) {
            throw new IllegalArgumentException("validation size " + config.validationSize() + " must be below "
                    + train.size() + " (the training set has " + train.size() + " samples)");
        }
        BatchTransform normalize = normalize(config);
        Dataset valPart = config.validationSize() > 0 ? parts(train, config).get(1) : null;
        DeviceDataLoader t = new DeviceDataLoader(trainLoader(train, config), device);
        DeviceDataLoader s = new DeviceDataLoader(withTransform(DataLoader.builder(test, config.evalBatchSize()), normalize).build(), device);
        DeviceDataLoader v = valPart == null ? s
                : new DeviceDataLoader(withTransform(DataLoader.builder(valPart, config.evalBatchSize()), normalize).build(), device);
        return new Loaders(folder.dataset(), t, v, s);
    }

    /**
     * The training loader {@code config} asks for over the training split {@code train}: the seeded validation split
     * left out, the optional limit, shuffled, augmented and normalised. The same on every machine that runs it (the
     * Spark workers each build it from the files).
     */
    public static DataLoader trainLoader(InMemoryDataset train, DataConfig config) {
        Dataset trainPart = config.validationSize() > 0 ? parts(train, config).get(0) : train;
        if (config.trainLimit() > 0 && config.trainLimit() < trainPart.size()) {
            trainPart = Datasets.randomSplit(trainPart, config.seed() + 1, config.trainLimit(), trainPart.size() - config.trainLimit()).get(0);
        }
        DataLoader.Builder trainBuilder = DataLoader.builder(trainPart, config.batchSize()).shuffle(config.seed());
        if (config.maxShift() > 0) {
            trainBuilder.transform(BatchTransform.randomShift(config.maxShift(), config.seed()));
        }
        return withTransform(trainBuilder, normalize(config)).build();
    }

    private static List<Subset> parts(InMemoryDataset train, DataConfig config) {
        return Datasets.randomSplit(train, config.seed(), train.size() - config.validationSize(), config.validationSize());
    }

    private static BatchTransform normalize(DataConfig config) {
        return config.normalize() == null ? null : BatchTransform.normalize(config.normalize().mean(), config.normalize().std());
    }

    private static DataLoader.Builder withTransform(DataLoader.Builder builder, BatchTransform transform) {
        return transform == null ? builder : builder.transform(transform);
    }
}
