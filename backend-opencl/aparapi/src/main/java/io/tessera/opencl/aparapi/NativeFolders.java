package io.tessera.opencl.aparapi;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Aparapi unpacks its JNI library (about 2.8 MB) into a new {@code java.io.tmpdir/Aparapi<digits>} folder in every
 * process and deletes it only on a normal JVM exit, so each killed run left one behind. Before Aparapi is first
 * touched, the folders of processes that started before this one are removed: those named so and holding nothing but
 * {@code lib*} files. Failures are ignored (a folder in use on Windows, another user's folder).
 */
final class NativeFolders {
    private static final Pattern NAME = Pattern.compile("Aparapi[0-9]+");
    private static final Instant RUN_START = ProcessHandle.current().info().startInstant().orElseGet(Instant::now);

    private NativeFolders() {
    }

    /** Removes the stale folders of earlier runs under {@code java.io.tmpdir}. */
    static void removeStale() {
        removeStale(Path.of(System.getProperty("java.io.tmpdir")), RUN_START);
    }

    /** Removes the folders under {@code tmp} that Aparapi made before {@code before}; returns how many. */
    static int removeStale(Path tmp, Instant before) {
        int removed = 0;
        FileTime limit = FileTime.from(before);
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, p -> NAME.matcher(p.getFileName().toString()).matches())) {
            dirs.forEach(candidates::add);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        for (Path dir : candidates) {
            try {
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                        || Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS).compareTo(limit) >= 0) {
                    continue;
                }
                List<Path> files;
                try (Stream<Path> s = Files.list(dir)) {
                    files = s.toList();
                }
                if (!files.stream().allMatch(f -> f.getFileName().toString().startsWith("lib")
                        && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))) {
                    continue;
                }
                for (Path f : files) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(dir);
                removed++;
            } catch (IOException | RuntimeException e) {
                // Not ours to remove after all; leave it.
            }
        }
        return removed;
    }
}
