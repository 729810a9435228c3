package io.tessera.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link IdxReader} refuses what is not a regular file before opening it: a FIFO would block, a device never end. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IdxSpecialFilesTest {
    @TempDir
    Path dir;

    private static void assertRefused(Path file) {
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(file));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }

    @Test
    void aFifoIsRefusedWithoutBlocking() throws Exception {
        Path fifo = SpecialFiles.fifo(dir.resolve("train-images-idx3-ubyte"));
        assertRefused(fifo);
    }

    @Test
    void devZeroAndAFolderAreRefused() {
        assertRefused(dir);
        Path zero = Path.of("/dev/zero");
        if (Files.exists(zero)) {
            assertRefused(zero);
        }
    }
}
