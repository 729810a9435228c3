package io.tessera.spi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Looks for a native shared library where the Linux dynamic loader would find it, in Java, so that a backend can
 * report a missing driver library before it loads native code whose own loader prints to the console.
 *
 * <p>On Linux it searches {@code LD_LIBRARY_PATH}, the loader's cache {@code /etc/ld.so.cache}, the folders that
 * {@code /etc/ld.so.conf} names (with its {@code include} lines) and the default library folders. When the system
 * property {@value #SEARCH_PATH_PROPERTY} is set (a {@link java.io.File#pathSeparator}-separated list of folders,
 * possibly empty) only those folders are searched; this is for tests and for installations that load the library
 * from an unusual place. On other systems, where the rules differ, the answer is {@link Result#conclusive()
 * inconclusive} and the backend should simply try to load. Stateless and thread-safe; reads files only.
 */
public final class SharedLibraryProbe {
    /** System property replacing the search path (folders separated by {@link java.io.File#pathSeparator}). */
    public static final String SEARCH_PATH_PROPERTY = "tessera.native.searchPath";

    private static final Path CACHE = Path.of("/etc/ld.so.cache");
    private static final Path CONF = Path.of("/etc/ld.so.conf");
    private static final int MAX_CACHE_BYTES = 64 << 20;
    private static final List<String> DEFAULT_FOLDERS = List.of("/lib", "/usr/lib", "/lib64", "/usr/lib64", "/usr/local/lib");

    private SharedLibraryProbe() {
    }

    /**
     * What a search found.
     *
     * @param found      the first file found with one of the names, if any
     * @param searched   a short description of where the search looked, for messages
     * @param conclusive whether an empty {@code found} means the dynamic loader would not find the library either
     */
    public record Result(Optional<Path> found, String searched, boolean conclusive) {
        /**
         * True when the library is certainly absent: the search was conclusive and found nothing.
         *
         * @return true if conclusive and nothing was found
         */
        public boolean absent() {
            return conclusive && found.isEmpty();
        }
    }

    /**
     * Throws {@link BackendUnavailableException} when none of {@code fileNames} is certainly installed: "no
     * {@code what}: FIRST-NAME is not installed (searched ...). {@code advice}. Platform: ...". Does nothing when one
     * was found or the search was inconclusive.
     *
     * @param what the library's description, e.g. {@code "OpenCL ICD loader"}
     * @param advice what to install, one sentence
     * @param fileNames the file names, first the one named in the message
     * @throws BackendUnavailableException if the search was conclusive and found none
     */
    public static void require(String what, String advice, String... fileNames) throws BackendUnavailableException {
        Result library = find(fileNames);
        if (library.absent()) {
            throw new BackendUnavailableException("no " + what + ": " + fileNames[0] + " is not installed (searched " + library.searched()
                    + "). " + Character.toUpperCase(advice.charAt(0)) + advice.substring(1) + ". Platform: "
                    + BackendUnavailableException.platform());
        }
    }

    /**
     * Searches for the first of {@code fileNames} (e.g. {@code libOpenCL.so.1}, {@code libOpenCL.so}).
     *
     * @param fileNames the file names, in order of preference
     * @return what the search found
     */
    public static Result find(String... fileNames) {
        String override = System.getProperty(SEARCH_PATH_PROPERTY);
        if (override != null) {
            List<Path> folders = split(override);
            return new Result(inFolders(folders, fileNames), SEARCH_PATH_PROPERTY + "=" + override, true);
        }
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return new Result(Optional.empty(), "nothing (not Linux)", false);
        }
        String where = "LD_LIBRARY_PATH, " + CACHE + ", the folders of " + CONF + " and " + String.join(", ", DEFAULT_FOLDERS);
        Optional<Path> first = inFolders(split(Optional.ofNullable(System.getenv("LD_LIBRARY_PATH")).orElse("")), fileNames)
                .or(() -> inCache(fileNames));
        if (first.isPresent()) {
            return new Result(first, where, true);
        }
        Set<Path> folders = confFolders(CONF, new LinkedHashSet<>());
        String arch = multiarch();
        for (String d : DEFAULT_FOLDERS) {
            folders.add(Path.of(d));
            if (arch != null) {
                folders.add(Path.of(d, arch));
            }
        }
        return new Result(inFolders(folders, fileNames), where, true);
    }

    private static List<Path> split(String path) {
        List<Path> out = new ArrayList<>();
        for (String part : path.split(java.io.File.pathSeparator)) {
            if (!part.isBlank()) {
                out.add(Path.of(part.strip()));
            }
        }
        return out;
    }

    private static Optional<Path> inFolders(Iterable<Path> folders, String... names) {
        for (Path folder : folders) {
            for (String name : names) {
                Path p = folder.resolve(name);
                if (Files.isRegularFile(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** The cache holds each library's name and full path as NUL-terminated strings; a path ending in a name counts. */
    private static Optional<Path> inCache(String... names) {
        byte[] bytes;
        try {
            if (!Files.isRegularFile(CACHE) || Files.size(CACHE) > MAX_CACHE_BYTES) {
                return Optional.empty();
            }
            bytes = Files.readAllBytes(CACHE);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                continue;
            }
            if (i > start && bytes[start] == '/') {
                String s = new String(bytes, start, i - start, StandardCharsets.ISO_8859_1);
                for (String name : names) {
                    if (s.endsWith("/" + name) && Files.isRegularFile(Path.of(s))) {
                        return Optional.of(Path.of(s));
                    }
                }
            }
            start = i + 1;
        }
        return Optional.empty();
    }

    private static Set<Path> confFolders(Path conf, Set<Path> visited) {
        Set<Path> out = new LinkedHashSet<>();
        if (!visited.add(conf.toAbsolutePath().normalize()) || !Files.isRegularFile(conf)) {
            return out;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(conf, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return out;
        }
        for (String raw : lines) {
            String line = raw.replaceFirst("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("include ")) {
                for (String pattern : line.substring("include ".length()).strip().split("\\s+")) {
                    out.addAll(included(conf, pattern, visited));
                }
            } else if (line.startsWith("/")) {
                out.add(Path.of(line));
            }
        }
        return out;
    }

    private static Set<Path> included(Path conf, String pattern, Set<Path> visited) {
        Set<Path> out = new LinkedHashSet<>();
        Path p = Path.of(pattern);
        if (!p.isAbsolute()) {
            p = conf.toAbsolutePath().getParent().resolve(p);
        }
        Path folder = p.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            return out;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, p.getFileName().toString())) {
            ds.forEach(files::add);
        } catch (IOException | RuntimeException e) {
            return out;
        }
        files.sort(null);
        for (Path f : files) {
            out.addAll(confFolders(f, visited));
        }
        return out;
    }

    private static String multiarch() {
        String arch = System.getProperty("os.arch", "");
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64" -> "aarch64-linux-gnu";
            case "arm" -> "arm-linux-gnueabihf";
            case "ppc64le" -> "powerpc64le-linux-gnu";
            case "riscv64" -> "riscv64-linux-gnu";
            case "s390x" -> "s390x-linux-gnu";
            default -> null;
        };
    }
}
