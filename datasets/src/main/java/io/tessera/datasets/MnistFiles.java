package io.tessera.datasets;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A dataset in MNIST's layout: four IDX files (training and test images and labels, {@link #FILES}), each stored
 * gzip-compressed ({@code <file>.gz}) or not, ten classes. {@link #MNIST} and {@link #FASHION_MNIST} are the two the
 * examples use; tests make their own with local mirrors and checksums.
 *
 * <p>Checksums are MD5s of each file's <em>uncompressed</em> contents: the mirrors serve the canonical gzip files, but
 * other copies (Debian's {@code dataset-fashion-mnist}, for one) are compressed anew, so only the contents compare
 * alike everywhere.
 *
 * @param name          the folder name, e.g. {@code mnist}; lower case
 * @param title         the name to show people, e.g. {@code MNIST}
 * @param classes       the names of the ten classes, by label
 * @param contentMd5    the MD5 (lower-case hex) of each file's uncompressed contents, by file name in {@link #FILES}
 * @param mirrors       base URLs, ending in {@code /}, each serving {@code <file>.gz}; tried in order
 * @param systemFolders folders where an operating-system package installs the files, looked at last
 */
public record MnistFiles(String name, String title, List<String> classes, Map<String, String> contentMd5, List<URI> mirrors,
                         List<Path> systemFolders) {

    /** The four files, without the {@code .gz} suffix, in the order they are looked for and downloaded. */
    public static final List<String> FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    /** Where MNIST is downloaded from, in order: the mirrors torchvision uses. */
    public static final List<URI> MNIST_MIRRORS = List.of(
            URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"));

    /** Where Fashion-MNIST is downloaded from, in order: Zalando Research's repository, then torchvision's S3 site. */
    public static final List<URI> FASHION_MNIST_MIRRORS = List.of(
            URI.create("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
            URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"));

    /** LeCun, Cortes and Burges's handwritten digits: 60,000 training and 10,000 test images of 28x28. */
    public static final MnistFiles MNIST = new MnistFiles("mnist", "MNIST",
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
            Map.of("train-images-idx3-ubyte", "6bbc9ace898e44ae57da46a324031adb",
                    "train-labels-idx1-ubyte", "a25bea736e30d166cdddb491f175f624",
                    "t10k-images-idx3-ubyte", "2646ac647ad5339dbf082846283269ea",
                    "t10k-labels-idx1-ubyte", "27ae3e4e09519cfbb04c329615203637"),
            MNIST_MIRRORS, List.of());

    /** Zalando's Fashion-MNIST: MNIST's layout and sizes, with pictures of clothes. */
    public static final MnistFiles FASHION_MNIST = new MnistFiles("fashion-mnist", "Fashion-MNIST",
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
            Map.of("train-images-idx3-ubyte", "f4a8712d7a061bf5bd6d2ca38dc4d50a",
                    "train-labels-idx1-ubyte", "9018921c3c673c538a1fc5bad174d6f9",
                    "t10k-images-idx3-ubyte", "8181f5470baa50b63fa0f6fddb340f0a",
                    "t10k-labels-idx1-ubyte", "15d484375f8d13e6eb1aabb0c3f46965"),
            FASHION_MNIST_MIRRORS, List.of(Path.of("/usr/share/datasets/fashion-mnist")));

    /** The training or the test half of the dataset. */
    public enum Split {
        TRAIN("train"),
        TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }

        /** The images file's name without {@code .gz}, e.g. {@code train-images-idx3-ubyte}. */
        public String images() {
            return prefix + "-images-idx3-ubyte";
        }

        /** The labels file's name without {@code .gz}, e.g. {@code train-labels-idx1-ubyte}. */
        public String labels() {
            return prefix + "-labels-idx1-ubyte";
        }
    }

    public MnistFiles {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(title, "title");
        classes = List.copyOf(classes);
        contentMd5 = Map.copyOf(contentMd5);
        mirrors = List.copyOf(mirrors);
        systemFolders = List.copyOf(systemFolders);
        if (!contentMd5.keySet().equals(java.util.Set.copyOf(FILES))) {
            throw new IllegalArgumentException(title + ": checksums are needed for exactly " + FILES + ", not " + contentMd5.keySet());
        }
        for (URI mirror : mirrors) {
            if (!mirror.toString().endsWith("/")) {
                throw new IllegalArgumentException(title + ": mirror " + mirror + " must end with /");
            }
        }
    }

    /** The number of classes. */
    public int numClasses() {
        return classes.size();
    }

    /** The MD5 of the uncompressed contents of {@code file}, one of {@link #FILES}. */
    public String md5(String file) {
        String md5 = contentMd5.get(file);
        if (md5 == null) {
            throw new IllegalArgumentException(file + " is not one of " + FILES);
        }
        return md5;
    }

    /** This dataset with other mirrors, e.g. a local one. */
    public MnistFiles withMirrors(List<URI> otherMirrors) {
        return new MnistFiles(name, title, classes, contentMd5, otherMirrors, systemFolders);
    }

    /** This dataset with other system folders (none, for tests that must not see the machine's). */
    public MnistFiles withSystemFolders(List<Path> otherFolders) {
        return new MnistFiles(name, title, classes, contentMd5, mirrors, otherFolders);
    }
}
