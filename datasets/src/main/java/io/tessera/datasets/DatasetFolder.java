package io.tessera.datasets;

import io.tessera.data.DatasetFormatException;
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

    /**
     * {@link #load(MnistFiles.Split)}, refusing images of another size than the model takes: a 56x14 file has as many
     * pixels as a 28x28 one and would otherwise train, scrambled.
     *
     * @throws io.tessera.data.DatasetFormatException naming the split, the images file, its image shape and the one wanted
     */
    public InMemoryDataset load(MnistFiles.Split split, int rows, int cols) throws IOException {
        InMemoryDataset d = load(split);
        int r = d.featureShape().dim(-2);
        int c = d.featureShape().dim(-1);
        if (r != rows || c != cols) {
            throw new DatasetFormatException(file(split.images()), "the " + split.name().toLowerCase(java.util.Locale.ROOT)
                    + " split holds " + r + "x" + c + " images, but the model takes " + rows + "x" + cols + " images ("
                    + dataset.title() + "'s shape); nothing was trained");
        }
        return d;
    }
}
