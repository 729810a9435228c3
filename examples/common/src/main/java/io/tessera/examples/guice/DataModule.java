package io.tessera.examples.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.tessera.Device;
import io.tessera.data.DataLoader;
import io.tessera.data.Datasets;
import io.tessera.data.DeviceDataLoader;
import io.tessera.data.InMemoryDataset;
import io.tessera.data.Subset;
import io.tessera.examples.data.DatasetFolder;
import io.tessera.examples.data.DatasetLocator;
import io.tessera.examples.data.MnistFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * Binds the datasets and loaders: MNIST or Fashion-MNIST found (or downloaded) by {@link DatasetLocator}, the
 * training set split into training and validation parts as the tutorial does, and a prefetching
 * {@link DeviceDataLoader} for each part on the bound {@link Device}.
 */
public final class DataModule extends AbstractModule {
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
            train = folder.load(MnistFiles.Split.TRAIN);
            test = folder.load(MnistFiles.Split.TEST);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (config.validationSize() < 1 || config.validationSize() >= train.size()) {
            throw new IllegalArgumentException("validation size " + config.validationSize() + " must be between 1 and "
                    + (train.size() - 1) + " (the training set has " + train.size() + " samples)");
        }
        List<Subset> parts = Datasets.randomSplit(train, config.seed(), train.size() - config.validationSize(), config.validationSize());
        DataLoader trainLoader = DataLoader.builder(parts.get(0), config.batchSize()).shuffle(config.seed()).build();
        DataLoader valLoader = DataLoader.builder(parts.get(1), config.evalBatchSize()).build();
        DataLoader testLoader = DataLoader.builder(test, config.evalBatchSize()).build();
        DeviceDataLoader t = new DeviceDataLoader(trainLoader, device);
        DeviceDataLoader v = new DeviceDataLoader(valLoader, device);
        DeviceDataLoader s = new DeviceDataLoader(testLoader, device);
        return new Loaders(folder.dataset(), t, v, s);
    }
}
