package io.tessera.nn;

import io.tessera.TemporaryFiles;
import io.tessera.reference.ReferenceDevice;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The temporary files of {@link Checkpoint#save}: stale ones of killed runs removed, and the saved file's mode. */
class CheckpointTemporariesTest {
    private final ReferenceDevice device = new ReferenceDevice("tmp");

    @TempDir
    Path dir;

    private void save(Path file) throws IOException {
        try (Sequential m = Sequential.of(new Flatten(), new Linear(4, 2, device, new SplittableRandom(1)))) {
            Checkpoint.save(m, Map.of(), file);
        }
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aSaveRemovesTheTemporariesAKilledEarlierRunLeftButNotAnotherTargetsOrFreshOnes() throws IOException {
        Path file = dir.resolve("model.tsr");
        Path stale = Files.write(dir.resolve(".model.tsr.12345.tmp"), new byte[1000]);
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(86_400 * 3)));
        Path otherTarget = Files.write(dir.resolve(".other.tsr.12345.tmp"), new byte[10]);
        Files.setLastModifiedTime(otherTarget, FileTime.from(Instant.now().minusSeconds(86_400 * 3)));
        Path fresh = Files.write(dir.resolve(".model.tsr.777.tmp"), new byte[10]);

        save(file);

        assertEquals(List.of(".model.tsr.777.tmp", ".other.tsr.12345.tmp", "model.tsr"), names(),
                "the stale temporary of model.tsr is gone; another target's and a fresh one (a running save's) stay");
        assertTrue(Files.exists(fresh) && Files.exists(otherTarget));
    }

    @Test
    void aFailedSaveLeavesNoTemporary() throws IOException {
        Path folderInTheWay = Files.createDirectories(dir.resolve("model.tsr").resolve("child"));
        try {
            save(folderInTheWay.getParent());
        } catch (IOException expected) {
            // The rename over a non-empty folder fails.
        }
        assertEquals(List.of("model.tsr"), names());
    }

    @Test
    void aCheckpointGetsThePermissionsOfAPlainFileNotOwnerOnly() throws IOException {
        Assumptions.assumeTrue(Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null,
                "skipped: the file system has no POSIX permissions");
        Path plain = Files.createFile(dir.resolve("plain"));
        Set<PosixFilePermission> umaskMode = Files.getPosixFilePermissions(plain);
        Path file = dir.resolve("model.tsr");
        save(file);
        assertEquals(umaskMode, Files.getPosixFilePermissions(file), "the umask's mode, as for any file the user creates");
        assertFalse(TemporaryFiles.isTemporaryOf(file, file));
    }
}
