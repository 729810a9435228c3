package io.tessera.train;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and how often a {@link Trainer} writes training checkpoints, how many it keeps, and whether
 * {@link Trainer#fit} resumes from the newest one: Keras' {@code BackupAndRestore}, PyTorch's save-per-epoch recipe.
 * Immutable; the {@code with}-style methods return a changed copy.
 *
 * <p>A training checkpoint is a model checkpoint ({@code io.tessera.nn.Checkpoint} loads it, so does
 * {@code tessera predict}) with the optimizer's state, the position in the data, the history so far and the run's
 * settings beside the model (see {@code docs/checkpoint-format.md}). Files are named by position:
 * {@code epoch-0003.tsr} after epoch 3 (counted from 0) is complete, {@code epoch-0004-batch-000120.tsr} after 120
 * batches of epoch 4 (only with {@link #every}). Each is written atomically (temporary file, flush, rename), so a
 * kill at any instant leaves every finished checkpoint intact; the oldest beyond {@link #keepLast} are deleted after a
 * new one is written, and temporaries left by a killed writer are deleted when training starts.
 *
 * <p>Resuming restores the model's parameters, buffers and counters, the optimizer's state, the data order and
 * position (so shuffles, augmentation and dropout masks repeat) and the history, then continues: on a deterministic
 * backend a resumed run ends with the same weights, bit for bit, as an uninterrupted one. A newest checkpoint that
 * cannot be read (truncated, corrupt) is reported and the one before it is used. One checkpoint folder serves one
 * {@code fit} call: a run made of phases should be one {@code fit} with a {@link io.tessera.optim.LearningRateSchedule}.
 */
public final class TrainingCheckpoints {
    /** Checkpoints kept unless stated otherwise. */
    public static final int DEFAULT_KEEP = 3;
    private static final Pattern NAME = Pattern.compile("epoch-(\\d{4,9})(?:-batch-(\\d{6,9}))?\\.tsr");

    private final Path dir;
    private final int keep;
    private final Duration every;
    private final boolean resume;
    private final Map<String, String> run;
    private final Map<String, String> metadata;

    private TrainingCheckpoints(Path dir, int keep, Duration every, boolean resume, Map<String, String> run,
                                Map<String, String> metadata) {
        this.dir = dir;
        this.keep = keep;
        this.every = every;
        this.resume = resume;
        this.run = run;
        this.metadata = metadata;
    }

    /**
     * Checkpoints in {@code dir} (created when the first is written) at every epoch end, keeping {@value
     * #DEFAULT_KEEP}.
     *
     * @param dir the folder
     * @return the settings; resuming is off
     */
    public static TrainingCheckpoints in(Path dir) {
        return new TrainingCheckpoints(Objects.requireNonNull(dir, "dir"), DEFAULT_KEEP, null, false, Map.of(), Map.of());
    }

    /**
     * Keeps the newest {@code count} checkpoints, at least 1.
     *
     * @param count the number kept, {@code >= 1}
     * @return a changed copy
     * @throws IllegalArgumentException if {@code count < 1}
     */
    public TrainingCheckpoints keepLast(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("keep at least 1 checkpoint, not " + count);
        }
        return new TrainingCheckpoints(dir, count, every, resume, run, metadata);
    }

    /**
     * Also writes a checkpoint within an epoch whenever {@code interval} has passed since the last one.
     *
     * @param interval the wall time between checkpoints, positive
     * @return a changed copy
     * @throws IllegalArgumentException if the interval is zero or negative
     */
    public TrainingCheckpoints every(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the checkpoint interval must be positive, not " + interval);
        }
        return new TrainingCheckpoints(dir, keep, interval, resume, run, metadata);
    }

    /**
     * Whether {@code fit} starts from the newest readable checkpoint in the folder (and from scratch when there is
     * none).
     *
     * @param resume whether to resume
     * @return a changed copy
     */
    public TrainingCheckpoints resume(boolean resume) {
        return new TrainingCheckpoints(dir, keep, every, resume, run, metadata);
    }

    /**
     * Settings of the run (flags, hyperparameters) stored in every checkpoint; resuming from a checkpoint whose
     * settings differ fails with a {@link ResumeException} naming the first difference. Keys are
     * {@code [A-Za-z0-9_.-]+}, values one line.
     *
     * @param settings the settings; copied
     * @return a changed copy
     */
    public TrainingCheckpoints run(Map<String, String> settings) {
        return new TrainingCheckpoints(dir, keep, every, resume, Map.copyOf(new LinkedHashMap<>(settings)), metadata);
    }

    /**
     * Model metadata written into every checkpoint as {@code meta} records (what {@code Checkpoint.load} returns),
     * e.g. the input shape and classes, so that a training checkpoint serves as a model file too.
     *
     * @param metadata the metadata; copied
     * @return a changed copy
     */
    public TrainingCheckpoints metadata(Map<String, String> metadata) {
        return new TrainingCheckpoints(dir, keep, every, resume, run, Map.copyOf(metadata));
    }

    /**
     * The model metadata.
     *
     * @return the metadata, unmodifiable
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * The folder.
     *
     * @return the folder
     */
    public Path dir() {
        return dir;
    }

    /**
     * How many checkpoints are kept.
     *
     * @return the number kept, {@code >= 1}
     */
    public int keep() {
        return keep;
    }

    /**
     * The interval of checkpoints within an epoch, if any.
     *
     * @return the interval, or empty for epoch ends only
     */
    public Optional<Duration> interval() {
        return Optional.ofNullable(every);
    }

    /**
     * Whether {@code fit} resumes.
     *
     * @return true if {@code fit} resumes
     */
    public boolean resumes() {
        return resume;
    }

    /**
     * The run's settings.
     *
     * @return the settings, unmodifiable
     */
    public Map<String, String> runSettings() {
        return run;
    }

    /**
     * The checkpoint files in the folder, newest position first; empty when the folder does not exist.
     *
     * @return the files, a new list
     * @throws IOException if the folder cannot be listed
     */
    public List<Path> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                if (NAME.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)) {
                    found.add(p);
                }
            }
        }
        found.sort(Comparator.comparingLong(TrainingCheckpoints::positionKey).reversed());
        return found;
    }

    /** The file for the position "next: epoch {@code epoch}, batch {@code batch}". */
    Path file(int epoch, int batch) {
        return dir.resolve(batch == 0 ? String.format("epoch-%04d.tsr", epoch - 1) : String.format("epoch-%04d-batch-%06d.tsr", epoch, batch));
    }

    /** Orders files by the position they resume at: next epoch, then next batch. */
    private static long positionKey(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (!m.matches()) {
            return -1;
        }
        long epoch = Long.parseLong(m.group(1));
        return m.group(2) == null ? (epoch + 1) << 32 : epoch << 32 | Long.parseLong(m.group(2));
    }

    /** Deletes temporaries a killed writer left ({@code .epoch-*.tmp}). */
    void deleteTemporaries() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".epoch-*.tmp")) {
            for (Path p : files) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Deletes all but the newest {@link #keep()} checkpoints. */
    void prune() throws IOException {
        List<Path> all = list();
        for (Path p : all.subList(Math.min(keep, all.size()), all.size())) {
            Files.deleteIfExists(p);
        }
    }

    @Override
    public String toString() {
        return "TrainingCheckpoints[" + dir + ", keep " + keep + (every != null ? ", every " + every : "") + (resume ? ", resume" : "") + "]";
    }
}
