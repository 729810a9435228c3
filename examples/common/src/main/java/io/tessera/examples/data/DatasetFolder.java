package io.tessera.examples.data;

import io.tessera.data.IdxReader;
import io.tessera.data.InMemoryDataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the four files of a dataset were found.
 *
 * @param dataset the dataset
 * @param folder  the folder holding the files
 * @param files   the path of each of {@link MnistFiles#FILES}, gzip-compressed or not
 * @param origin  how the folder was found, e.g. {@code --data}, {@code TESSERA_DATA}, {@code user cache}, {@code download}
 */
public record DatasetFolder(MnistFiles dataset, Path folder, Map<String, Path> files, String origin) {

    public DatasetFolder {
        files = Map.copyOf(files);
        if (!files.keySet().equals(java.util.Set.copyOf(MnistFiles.FILES))) {
            throw new IllegalArgumentException(dataset.title() + " in " + folder + ": need paths for " + MnistFiles.FILES
                    + ", not " + files.keySet());
        }
    }

    /** The path of {@code file}, one of {@link MnistFiles#FILES}. */
    public Path file(String file) {
        Path path = files.get(file);
        if (path == null) {
            throw new IllegalArgumentException(file + " is not one of " + MnistFiles.FILES);
        }
        return path;
    }

    /**
     * Reads one half of the dataset into memory: {@code 1x28x28} features in [0, 1] and labels.
     *
     * @throws io.tessera.data.DatasetFormatException if a file is malformed, naming it
     */
    public InMemoryDataset load(MnistFiles.Split split) throws IOException {
        return IdxReader.readDataset(file(split.images()), file(split.labels()), dataset.numClasses());
    }
}
