package io.tessera.datasets;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Checks the built-in checksums against real copies where this machine has them: MNIST under {@code tessera.data}
 * (from {@code TESSERA_DATA}), Fashion-MNIST from Debian's {@code dataset-fashion-mnist} package.
 */
class KnownDatasetsTest {

    @Test
    void mnistChecksumsMatchTheRealFiles() throws IOException {
        String root = System.getProperty("tessera.data", "");
        boolean set = !root.isBlank() && !root.startsWith("${");
        skipUnless(set, "system property tessera.data (from env TESSERA_DATA) is not set");
        Path folder = Path.of(root, "mnist");
        DatasetFolder found = new DatasetLocator(name -> null, Path.of(root, "no-home"), null).locate(MnistFiles.MNIST, Path.of(root));

        assertEquals(folder, found.folder());
        assertChecksums(found);
        assertEquals(60_000, found.load(MnistFiles.Split.TRAIN).size());
    }

    @Test
    void fashionMnistChecksumsMatchDebiansFiles() throws IOException {
        Path debian = Path.of("/usr/share/datasets/fashion-mnist");
        skipUnless(Files.isDirectory(debian), debian + " is missing (apt-get install dataset-fashion-mnist)");
        DatasetFolder found = new DatasetLocator(name -> null, Path.of("/nonexistent-home"), null).locate(MnistFiles.FASHION_MNIST);

        assertEquals(debian, found.folder());
        assertChecksums(found);
        assertEquals(10_000, found.load(MnistFiles.Split.TEST).size());
    }

    private static void assertChecksums(DatasetFolder found) throws IOException {
        for (String file : MnistFiles.FILES) {
            assertEquals(found.dataset().md5(file), Checksums.contentMd5(found.file(file)), file);
        }
    }

    private static void skipUnless(boolean condition, String reason) {
        if (!condition) {
            System.out.println("skipped: " + reason);
        }
        Assumptions.assumeTrue(condition, reason);
    }
}
