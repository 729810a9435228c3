package io.tessera;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The temporary files of atomic saves: {@code .NAME.RANDOM.tmp} beside the target {@code NAME}, written and then
 * renamed over it. They are created like any plain file, so the saved file gets the permissions the umask gives
 * (not the owner-only mode of {@link Files#createTempFile}). Before each one is made, the temporaries of the same
 * target left by runs that started before this one (killed while saving) are deleted. Stateless and thread-safe.
 */
public final class TemporaryFiles {
    private static final String SUFFIX = ".tmp";
    /** When this process started: temporaries older than that belong to an earlier run, which cannot finish them. */
    private static final Instant RUN_START = ProcessHandle.current().info().startInstant().orElseGet(Instant::now);

    private TemporaryFiles() {
    }

    /**
     * Deletes the stale temporaries of {@code target}, then creates a new, empty one beside it.
     *
     * @param target the file the temporary will be renamed to
     * @return the new temporary file, empty; the caller deletes it if the save fails
     * @throws IOException if the folder cannot be listed or the file cannot be created
     */
    public static Path create(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        removeStale(abs, RUN_START);
        while (true) {
            Path tmp = abs.resolveSibling(prefix(abs) + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()) + SUFFIX);
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                // Another name next time.
            }
        }
    }

    /** What fills a temporary file. */
    @FunctionalInterface
    public interface Filler {
        /**
         * Writes the whole content.
         *
         * @param tmp the temporary file, empty; whatever the filler opens on it is closed before it returns
         * @throws IOException if writing fails
         */
        void fill(Path tmp) throws IOException;
    }

    /**
     * Writes {@code target} whole or not at all: a new temporary beside it ({@link #create}), filled, then renamed over
     * it atomically; the temporary is deleted when anything fails.
     *
     * @param target the file to write; its folder must exist
     * @param filler writes the content into the temporary
     * @throws IOException if filling or renaming fails; the target is left as it was
     */
    public static void replace(Path target, Filler filler) throws IOException {
        Path tmp = create(target);
        try {
            filler.fill(tmp);
            Files.move(tmp, target.toAbsolutePath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Whether {@code candidate} is named like a temporary of {@code target}.
     *
     * @param candidate a file beside the target
     * @param target    the saved file
     * @return true if the name is {@code .NAME.RANDOM.tmp} for the target's {@code NAME}
     */
    public static boolean isTemporaryOf(Path candidate, Path target) {
        String n = candidate.getFileName().toString();
        String p = prefix(target);
        return n.startsWith(p) && n.endsWith(SUFFIX) && n.length() > p.length() + SUFFIX.length();
    }

    /**
     * Deletes the regular files beside {@code target} named like its temporaries and last modified before
     * {@code before}. Files that cannot be deleted are left.
     *
     * @param target the saved file
     * @param before temporaries last modified before this instant are stale
     * @return how many were deleted
     * @throws IOException if the folder cannot be listed
     */
    public static int removeStale(Path target, Instant before) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        FileTime limit = FileTime.from(before);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, p -> isTemporaryOf(p, abs))) {
            for (Path p : files) {
                try {
                    if (Files.isRegularFile(p) && Files.getLastModifiedTime(p).compareTo(limit) < 0 && Files.deleteIfExists(p)) {
                        removed++;
                    }
                } catch (IOException e) {
                    // Someone else's file, or gone already: not ours to insist on.
                }
            }
        }
        return removed;
    }

    private static String prefix(Path target) {
        return "." + target.getFileName() + ".";
    }
}
