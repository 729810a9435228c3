package io.tessera.examples.spark;

import io.tessera.data.DataLoader;
import io.tessera.datasets.DatasetFolder;
import io.tessera.datasets.MnistFiles;
import io.tessera.examples.guice.DataConfig;
import io.tessera.examples.guice.DataModule;
import io.tessera.spark.TrainingData;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The examples' training loader as a recipe each Spark worker runs: the IDX files at the paths the driver found (every
 * executor must see them at those paths: the same machine, or a shared file system), split, shuffled and augmented as
 * {@link DataModule#trainLoader} does with the run's {@link DataConfig}.
 */
public final class MnistTrainingData implements TrainingData {
    private static final long serialVersionUID = 1L;

    private final String dataset;
    private final String folder;
    private final HashMap<String, String> files = new LinkedHashMap<>();
    private final String origin;
    private final int batchSize;
    private final int validationSize;
    private final long seed;
    private final double[] normalize;
    private final int maxShift;
    private final int trainLimit;

    public MnistTrainingData(DatasetFolder located, DataConfig config) {
        this.dataset = config.dataset();
        this.folder = located.folder().toAbsolutePath().toString();
        located.files().forEach((name, path) -> files.put(name, path.toAbsolutePath().toString()));
        this.origin = located.origin();
        this.batchSize = config.batchSize();
        this.validationSize = config.validationSize();
        this.seed = config.seed();
        this.normalize = config.normalize() == null ? null : new double[] {config.normalize().mean(), config.normalize().std()};
        this.maxShift = config.maxShift();
        this.trainLimit = config.trainLimit();
    }

    @Override
    public DataLoader open() throws IOException {
        Map<String, Path> paths = new HashMap<>();
        files.forEach((name, path) -> paths.put(name, Path.of(path)));
        MnistFiles kind = DataModule.dataset(dataset);
        DataConfig config = new DataConfig(dataset, null, batchSize, batchSize, validationSize, seed,
                normalize == null ? null : new DataConfig.Normalization(normalize[0], normalize[1]), maxShift, trainLimit);
        DatasetFolder located = new DatasetFolder(kind, Path.of(folder), paths, origin);
        return DataModule.trainLoader(located.load(MnistFiles.Split.TRAIN, DataModule.IMAGE_SIZE, DataModule.IMAGE_SIZE), config);
    }

    @Override
    public String toString() {
        return "MnistTrainingData[" + dataset + " in " + folder + ", batch " + batchSize + "]";
    }
}
