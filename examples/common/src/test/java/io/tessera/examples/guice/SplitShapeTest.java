package io.tessera.examples.guice;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.data.DatasetFormatException;
import io.tessera.datasets.DatasetFolder;
import io.tessera.examples.data.DatasetShapeTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loaders read and check every split when they are built, before a command trains its first epoch. */
class SplitShapeTest {
    @TempDir
    Path dir;

    @Test
    void aTestSetOfAnotherShapeIsRefusedWhenTheLoadersAreBuilt() throws IOException {
        DatasetFolder wrongTest = DatasetShapeTest.folder(dir, 28, 28, 14, 56);
        DataConfig config = new DataConfig("mnist", dir, 2, 2, 2, 1);
        Device device = Devices.registry().defaultDevice("cpu");
        UncheckedIOException wrapped = assertThrows(UncheckedIOException.class, () -> new DataModule(config).loaders(wrongTest, device));
        DatasetFormatException e = assertInstanceOf(DatasetFormatException.class, wrapped.getCause());
        assertEquals(dir.resolve("t10k-images-idx3-ubyte"), e.file());
        assertTrue(e.getMessage().contains("test split") && e.getMessage().contains("14x56") && e.getMessage().contains("28x28"),
                e.getMessage());
    }
}
