package io.tessera.examples.report;

import io.tessera.TemporaryFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a report file whole or not at all: into a temporary file beside the target ({@link TemporaryFiles}: deleted
 * when the write fails, and those of killed earlier runs deleted by the next write), then renamed over it.
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    /** What fills the temporary file. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(Path tmp) throws IOException;
    }

    public static void write(Path file, Writer writer) throws IOException {
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        TemporaryFiles.replace(target, writer::writeTo);
    }
}
