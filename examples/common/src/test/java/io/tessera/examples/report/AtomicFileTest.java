package io.tessera.examples.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A report is written whole or not at all, and leaves no temporary file behind, not even a killed run's. */
class AtomicFileTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path file = Files.writeString(dir.resolve("run.json"), "old");
        assertThrows(IOException.class, () -> AtomicFile.write(file, tmp -> {
            Files.writeString(tmp, "half");
            throw new IOException("disk full");
        }));
        assertEquals(List.of("run.json"), names());
        assertEquals("old", Files.readString(file));
    }

    @Test
    void theNextWriteRemovesAKilledRunsTemporary() throws IOException {
        Path stale = Files.writeString(dir.resolve(".run.json.4242.tmp"), "{\"half");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(3600)));
        AtomicFile.write(dir.resolve("run.json"), tmp -> Files.writeString(tmp, "{}"));
        assertEquals(List.of("run.json"), names());
    }
}
