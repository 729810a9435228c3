package io.tessera.nn;

import io.tessera.data.SpecialFiles;
import io.tessera.reference.ReferenceDevice;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Checkpoint#load} refuses what is not a regular file before it reads a byte ({@code /dev/zero} would be read
 * for ever, a FIFO would block), and checks the magic and the declared sizes against the file's length before it
 * allocates.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CheckpointSpecialFilesTest {
    private final ReferenceDevice device = new ReferenceDevice("special");

    @TempDir
    Path dir;

    private CheckpointException refused(Path file) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file, device));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        return e;
    }

    @Test
    void devZeroIsRefused() {
        Path zero = Path.of("/dev/zero");
        Assumptions.assumeTrue(Files.exists(zero), "no /dev/zero on this system");
        assertTrue(refused(zero).getMessage().contains("not a regular file"));
    }

    @Test
    void aFifoIsRefusedWithoutBlocking() throws Exception {
        Path fifo = SpecialFiles.fifo(dir.resolve("model.fifo"));
        assertTrue(refused(fifo).getMessage().contains("not a regular file"));
    }

    @Test
    void aFolderIsRefused() {
        assertTrue(refused(dir).getMessage().contains("a directory"));
    }

    @Test
    void aHeaderDeclaringMoreThanTheFileHoldsIsRefusedBeforeAllocating() throws IOException {
        Path file = dir.resolve("liar.tsr");
        byte[] b = new byte[64];
        System.arraycopy("TSRACKPT".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 8);
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(8, CheckpointFile.VERSION).putInt(12, 0x7fff_ffff);
        Files.write(file, b);
        assertTrue(refused(file).getMessage().contains("truncated"));
        Files.write(file, "not a checkpoint at all".getBytes(StandardCharsets.US_ASCII));
        assertTrue(refused(file).getMessage().contains("TSRACKPT"));
    }

    @Test
    void aLinkToAGoodCheckpointLoads() throws IOException {
        Path file = dir.resolve("model.tsr");
        try (Sequential m = Sequential.of(new Flatten(), new Linear(4, 2, device, new SplittableRandom(1)))) {
            Checkpoint.save(m, Map.of(), file);
        }
        Path link;
        try {
            link = Files.createSymbolicLink(dir.resolve("link.tsr"), file);
        } catch (UnsupportedOperationException | IOException e) {
            Assumptions.abort("symbolic links are not supported here: " + e.getMessage());
            return;
        }
        try (Sequential loaded = Checkpoint.load(link, device).model()) {
            assertEquals(2, loaded.layers().size());
        }
    }
}
