package io.tessera.datasets;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Finds the four files of an {@link MnistFiles} dataset, downloading them when they are nowhere to be found.
 *
 * <p>Folders are tried in this order; the first that holds all four files (each as {@code <file>.gz} or
 * {@code <file>}) wins:
 * <ol>
 *   <li>{@code DIR/<name>}, then {@code DIR} itself, for a folder {@code DIR} given by the caller ({@code --data});</li>
 *   <li>{@code $TESSERA_DATA/<name>}, then {@code $TESSERA_DATA} itself;</li>
 *   <li>the user cache, {@code $XDG_CACHE_HOME/tessera/datasets/<name>}, by default
 *       {@code ~/.cache/tessera/datasets/<name>};</li>
 *   <li>the dataset's {@linkplain MnistFiles#systemFolders() system folders}, e.g. Debian's
 *       {@code /usr/share/datasets/fashion-mnist}.</li>
 * </ol>
 * Files lying directly in {@code DIR} or {@code $TESSERA_DATA} (not in a {@code <name>} subfolder) count only if the
 * training labels' checksum shows they are this dataset, since MNIST and Fashion-MNIST use the same file names.
 *
 * <p>A folder given by the caller must exist: a missing one is an error naming it, not a reason to fall back. When no
 * folder has the files, the missing ones are downloaded into {@code DIR/<name>} if a folder was given, else into the
 * user cache, from the dataset's mirrors, with checksums; folders are created only for a download a mirror answers.
 * Thread-safe.
 */
public final class DatasetLocator {
    /** The environment variable naming the folder that holds {@code mnist/}, {@code fashion-mnist/}. */
    public static final String DATA_ENV = "TESSERA_DATA";

    private static final System.Logger LOG = System.getLogger(DatasetLocator.class.getName());
    private static final String FROM_DATA_DIR = "--data";
    private static final String USER_CACHE = "user cache";

    private final Function<String, String> env;
    private final Path userHome;
    private final Downloader downloader;

    /**
     * @param env        looks up environment variables ({@code TESSERA_DATA}, {@code XDG_CACHE_HOME}); null for unset
     * @param userHome   the user's home folder, for {@code ~/.cache}
     * @param downloader fetches missing files; null to never download
     */
    public DatasetLocator(Function<String, String> env, Path userHome, Downloader downloader) {
        this.env = Objects.requireNonNull(env, "env");
        this.userHome = Objects.requireNonNull(userHome, "userHome");
        this.downloader = downloader;
    }

    /** Reads this process's environment and {@code user.home}, and downloads with the default timeouts. */
    public static DatasetLocator standard() {
        return new DatasetLocator(System::getenv, Path.of(System.getProperty("user.home")), new Downloader());
    }

    /** {@link #locate(MnistFiles, Path)} without a folder from the caller. */
    public DatasetFolder locate(MnistFiles dataset) throws IOException {
        return locate(dataset, null);
    }

    /**
     * Finds the dataset, or downloads it; see the class description for the order.
     *
     * @param dataDir a folder named by the user ({@code --data}), or null; it must exist (a missing one is an error,
     *                not a reason to look elsewhere)
     * @throws DatasetUnavailableException when {@code dataDir} is not a folder; when the dataset is neither found nor
     *                                     downloaded, saying where it was looked for, what every mirror answered and
     *                                     where to put the files
     */
    public DatasetFolder locate(MnistFiles dataset, Path dataDir) throws IOException {
        if (dataDir != null && !Files.isDirectory(dataDir)) {
            throw new DatasetUnavailableException("--data " + dataDir + (Files.exists(dataDir) ? " is not a folder" : " does not exist")
                    + "; give the folder that holds " + dataset.name() + "/ (or the four files), or leave --data out to use $"
                    + DATA_ENV + ", the user cache or a download", null);
        }
        List<String> looked = new ArrayList<>();
        for (Candidate candidate : candidates(dataset, dataDir)) {
            String verdict = check(dataset, candidate);
            if (verdict == null) {
                DatasetFolder found = new DatasetFolder(dataset, candidate.folder, files(dataset, candidate.folder), candidate.origin);
                LOG.log(Level.INFO, "{0}: using {1} (from {2})", dataset.title(), candidate.folder, candidate.origin);
                return found;
            }
            LOG.log(Level.DEBUG, "{0}: not in {1} ({2}): {3}", dataset.title(), candidate.folder, candidate.origin, verdict);
            looked.add(candidate.folder + " (" + candidate.origin + "): " + verdict);
        }
        if (env.apply(DATA_ENV) == null || env.apply(DATA_ENV).isBlank()) {
            looked.add("$" + DATA_ENV + ": not set");
        }
        Path target = downloadFolder(dataset, dataDir);
        if (downloader == null) {
            throw new DatasetUnavailableException(notFound(dataset, looked, "Downloading is switched off.", target), null);
        }
        try {
            for (String file : MnistFiles.FILES) {
                if (find(target, file) == null) {
                    downloader.download(dataset.mirrors(), file + ".gz", dataset.md5(file), target.resolve(file + ".gz"));
                }
            }
        } catch (DownloadException e) {
            throw new DatasetUnavailableException(notFound(dataset, looked, e.getMessage(), target), e);
        }
        return new DatasetFolder(dataset, target, files(dataset, target), "download");
    }

    /** Where missing files are downloaded to: {@code dataDir/<name>} when a folder is given, else the user cache. */
    public Path downloadFolder(MnistFiles dataset, Path dataDir) {
        return dataDir != null ? dataDir.resolve(dataset.name()) : cacheFolder(dataset);
    }

    /** The user cache folder of the dataset: {@code $XDG_CACHE_HOME/tessera/datasets/<name>} or {@code ~/.cache/...}. */
    public Path cacheFolder(MnistFiles dataset) {
        String xdg = env.apply("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : userHome.resolve(".cache");
        return cache.resolve("tessera").resolve("datasets").resolve(dataset.name());
    }

    private List<Candidate> candidates(MnistFiles dataset, Path dataDir) {
        List<Candidate> list = new ArrayList<>();
        if (dataDir != null) {
            list.add(new Candidate(dataDir.resolve(dataset.name()), FROM_DATA_DIR, false));
            list.add(new Candidate(dataDir, FROM_DATA_DIR, true));
        }
        String root = env.apply(DATA_ENV);
        if (root != null && !root.isBlank()) {
            list.add(new Candidate(Path.of(root).resolve(dataset.name()), DATA_ENV, false));
            list.add(new Candidate(Path.of(root), DATA_ENV, true));
        }
        list.add(new Candidate(cacheFolder(dataset), USER_CACHE, false));
        for (Path system : dataset.systemFolders()) {
            list.add(new Candidate(system, "system package", false));
        }
        return list;
    }

    /** Null when the candidate holds the dataset, else why not. */
    private static String check(MnistFiles dataset, Candidate candidate) {
        if (!Files.isDirectory(candidate.folder)) {
            return "not a folder";
        }
        List<String> missing = new ArrayList<>();
        for (String file : MnistFiles.FILES) {
            if (find(candidate.folder, file) == null) {
                missing.add(file);
            }
        }
        if (missing.size() == MnistFiles.FILES.size()) {
            return "none of the files";
        }
        if (!missing.isEmpty()) {
            return "lacks " + String.join(", ", missing);
        }
        if (candidate.mustIdentify) {
            String labels = MnistFiles.Split.TRAIN.labels();
            try {
                String md5 = Checksums.contentMd5(find(candidate.folder, labels));
                if (!md5.equalsIgnoreCase(dataset.md5(labels))) {
                    return "its " + labels + " is not " + dataset.title() + "'s (content MD5 " + md5 + ", expected " + dataset.md5(labels) + ")";
                }
            } catch (IOException e) {
                return "cannot read " + labels + ": " + e.getMessage();
            }
        }
        return null;
    }

    private static Map<String, Path> files(MnistFiles dataset, Path folder) throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        for (String file : MnistFiles.FILES) {
            Path path = find(folder, file);
            if (path == null) {
                throw new IOException(dataset.title() + ": " + folder + " lost " + file + " while it was being read");
            }
            files.put(file, path);
        }
        return files;
    }

    /** {@code folder/file.gz} or {@code folder/file}, whichever is a regular file, or null. */
    private static Path find(Path folder, String file) {
        for (String name : new String[] {file + ".gz", file}) {
            Path path = folder.resolve(name);
            if (Files.isRegularFile(path)) {
                return path;
            }
        }
        return null;
    }

    private String notFound(MnistFiles dataset, List<String> looked, String downloadProblem, Path target) {
        String nl = System.lineSeparator();
        StringBuilder b = new StringBuilder();
        b.append(dataset.title()).append(" was not found, and could not be downloaded.").append(nl);
        b.append("Looked in:").append(nl);
        for (String line : looked) {
            b.append("  ").append(line).append(nl);
        }
        b.append(downloadProblem).append(nl);
        b.append("To run offline, put these four files (gzip-compressed as named, or uncompressed without .gz) into ")
                .append(target).append(nl);
        for (String file : MnistFiles.FILES) {
            b.append("  ").append(file).append(".gz").append(nl);
        }
        b.append("or into DIR/").append(dataset.name()).append(" and pass --data DIR or set ").append(DATA_ENV).append("=DIR.");
        return b.toString();
    }

    private record Candidate(Path folder, String origin, boolean mustIdentify) {
    }
}
