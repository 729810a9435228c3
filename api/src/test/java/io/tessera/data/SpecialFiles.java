package io.tessera.data;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Files that are not regular files, for the readers' refusal tests. */
public final class SpecialFiles {
    private SpecialFiles() {
    }

    /** A FIFO made with {@code mkfifo} at {@code path}; the calling test is skipped, saying why, where it cannot be made. */
    public static Path fifo(Path path) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
            if (p.waitFor() != 0) {
                throw new IOException(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            System.out.println("skipped the FIFO case: mkfifo is unavailable (" + e.getMessage() + ")");
            Assumptions.abort("mkfifo is unavailable");
        }
        return path;
    }
}
