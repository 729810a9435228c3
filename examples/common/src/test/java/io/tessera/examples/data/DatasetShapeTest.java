package io.tessera.examples.data;

import io.tessera.data.DatasetFormatException;
import io.tessera.datasets.DatasetFolder;
import io.tessera.datasets.MnistFiles;
import io.tessera.examples.guice.DataModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Images with as many pixels as MNIST's but another shape (56x14) are refused, naming both shapes and the file;
 * {@link #folder} writes a folder of tiny splits of any image shape.
 */
public class DatasetShapeTest {
    @TempDir
    Path dir;

    private DatasetFolder folder(int rows, int cols) throws IOException {
        return folder(dir, rows, cols, rows, cols);
    }

    /** The four files of 6 training and 4 test images of the given shapes in {@code dir}. */
    public static DatasetFolder folder(Path dir, int trainRows, int trainCols, int testRows, int testCols) throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        for (String file : MnistFiles.FILES) {
            Path p = dir.resolve(file);
            int n = file.startsWith("train") ? 6 : 4;
            int rows = file.startsWith("train") ? trainRows : testRows;
            int cols = file.startsWith("train") ? trainCols : testCols;
            ByteBuffer b = file.contains("images")
                    ? ByteBuffer.allocate(16 + n * rows * cols).putInt(0x803).putInt(n).putInt(rows).putInt(cols)
                    : ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
            Files.write(p, b.array());
            files.put(file, p);
        }
        return new DatasetFolder(MnistFiles.MNIST, dir, files, "test");
    }

    @Test
    void imagesOfAnotherShapeWithTheSamePixelCountAreRefused() throws IOException {
        DatasetFolder wrong = folder(56, 14);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> wrong.load(MnistFiles.Split.TRAIN, DataModule.IMAGE_SIZE, DataModule.IMAGE_SIZE));
        assertEquals(dir.resolve("train-images-idx3-ubyte"), e.file());
        assertTrue(e.getMessage().contains("56x14") && e.getMessage().contains("28x28") && e.getMessage().contains("train split"),
                e.getMessage());
    }

    @Test
    void imagesOfTheModelsShapeLoad() throws IOException {
        DatasetFolder right = folder(28, 28);
        assertEquals(4, right.load(MnistFiles.Split.TEST, DataModule.IMAGE_SIZE, DataModule.IMAGE_SIZE).size());
    }
}
