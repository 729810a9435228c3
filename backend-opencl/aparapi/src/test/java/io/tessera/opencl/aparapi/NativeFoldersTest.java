package io.tessera.opencl.aparapi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JNI folders killed runs left in the temporary folder are removed; a running process's and others' are kept. */
class NativeFoldersTest {
    @TempDir
    Path tmp;

    private Path folder(String name, String file, Instant modified) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.write(dir.resolve(file), new byte[100]);
        Files.setLastModifiedTime(dir, FileTime.from(modified));
        return dir;
    }

    @Test
    void removesOnlyStaleAparapiFolders() throws IOException {
        Instant start = Instant.now();
        Path stale = folder("Aparapi123456789", "libaparapi.so", start.minusSeconds(3600));
        Path current = folder("Aparapi987654321", "libaparapi.so", start.plusSeconds(1));
        Path notAparapis = folder("Aparapi55", "notes.txt", start.minusSeconds(3600));
        Path otherName = folder("something-else", "libaparapi.so", start.minusSeconds(3600));

        assertEquals(1, NativeFolders.removeStale(tmp, start));

        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(current) && Files.exists(notAparapis) && Files.exists(otherName));
    }
}
