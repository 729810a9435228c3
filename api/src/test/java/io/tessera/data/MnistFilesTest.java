package io.tessera.data;

import io.tessera.Shape;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads the real MNIST files from {@code $TESSERA_DATA/mnist} (system property {@code tessera.data}, which Surefire
 * sets from the environment). Skipped, saying why, where it is not set; CI sets it.
 */
class MnistFilesTest {
    private static final int[] TRAIN_CLASS_COUNTS = {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949};
    private static final int[] TEST_CLASS_COUNTS = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};

    private Path mnist;

    @BeforeEach
    void findMnist() {
        String root = System.getProperty("tessera.data", "");
        boolean set = !root.isBlank() && !root.startsWith("${");
        String reason = "real-MNIST test skipped: system property tessera.data (from env TESSERA_DATA) is not set";
        if (!set) {
            System.out.println(reason);
        }
        Assumptions.assumeTrue(set, reason);
        mnist = Path.of(root, "mnist");
        assertTrue(Files.isDirectory(mnist), "tessera.data is " + root + ", but " + mnist + " is not a folder");
    }

    @Test
    void trainingSetHas60000LabelledImages() throws IOException {
        InMemoryDataset train = IdxReader.readDataset(mnist.resolve("train-images-idx3-ubyte.gz"),
                mnist.resolve("train-labels-idx1-ubyte.gz"), 10);

        assertEquals(60_000, train.size());
        assertEquals(Shape.of(1, 28, 28), train.featureShape());
        assertArrayEquals(TRAIN_CLASS_COUNTS, classCounts(train));
        assertEquals(5, train.label(0), "the first training digit is a 5");
    }

    @Test
    void testSetHas10000LabelledImages() throws IOException {
        InMemoryDataset test = IdxReader.readDataset(mnist.resolve("t10k-images-idx3-ubyte.gz"),
                mnist.resolve("t10k-labels-idx1-ubyte.gz"), 10);

        assertEquals(10_000, test.size());
        assertArrayEquals(TEST_CLASS_COUNTS, classCounts(test));
        assertEquals(7, test.label(0), "the first test digit is a 7");
    }

    @Test
    void theTutorialsSplitAndLoaderCoverTheTrainingSet() throws IOException {
        InMemoryDataset train = IdxReader.readDataset(mnist.resolve("train-images-idx3-ubyte.gz"),
                mnist.resolve("train-labels-idx1-ubyte.gz"), 10);
        var parts = Datasets.randomSplit(train, 42, 50_000, 10_000);
        DataLoader loader = DataLoader.builder(parts.get(0), 128).shuffle(42).build();

        assertEquals(391, loader.batchCount());
        int samples = 0;
        double sum = 0;
        for (Batch batch : loader) {
            samples += batch.size();
            for (int i = 0; i < batch.features().limit(); i++) {
                float x = batch.features().get(i);
                assertTrue(x >= 0f && x <= 1f);
                sum += x;
            }
        }
        assertEquals(50_000, samples);
        double mean = sum / (50_000.0 * 784);
        assertEquals(0.1307, mean, 0.002, "MNIST's well-known mean pixel value");
    }

    private static int[] classCounts(Dataset data) {
        int[] counts = new int[data.numClasses()];
        for (int i = 0; i < data.size(); i++) {
            counts[data.label(i)]++;
        }
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        assertEquals(data.size(), total);
        return counts;
    }
}
