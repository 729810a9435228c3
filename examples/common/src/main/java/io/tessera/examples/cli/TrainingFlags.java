package io.tessera.examples.cli;

import io.tessera.train.TrainingCheckpoints;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The flags every training command shares, declared once so their names and help read the same everywhere. */
public final class TrainingFlags {
    /** The most epochs a training command takes. */
    public static final int MAX_EPOCHS = 100_000;
    private static final int MAX_KEEP = 10_000;
    /** A year: longer intervals would overflow the interval's nanoseconds. */
    private static final double MAX_MINUTES = 525_600;

    private TrainingFlags() {
    }

    /** {@code --checkpoint-dir}, {@code --resume}, {@code --keep}, {@code --checkpoint-every}. */
    public static Options checkpoints(Options options) {
        return options
                .path("checkpoint-dir", "DIR", null, "write a training checkpoint (model, optimizer, data position, history) here after every epoch")
                .flag("resume", "continue from the newest readable checkpoint in --checkpoint-dir (from the start if there is none)")
                .value("keep", "N", Integer.toString(TrainingCheckpoints.DEFAULT_KEEP), "checkpoints kept in --checkpoint-dir")
                .value("checkpoint-every", "MINUTES", "0", "also checkpoint within an epoch every MINUTES minutes; 0: at epoch ends only");
    }

    /**
     * The checkpoints the flags ask for, or null without {@code --checkpoint-dir}.
     *
     * @param run      the settings a resumed run must share with the interrupted one (flag name to value)
     * @param metadata model metadata written into each checkpoint, so that {@code predict} can read it
     * @throws UsageException for {@code --resume} or {@code --keep} without {@code --checkpoint-dir}, or a bad value
     */
    public static TrainingCheckpoints checkpoints(Options.Parsed flags, Map<String, String> run, Map<String, String> metadata) {
        Optional<Path> dir = flags.path("checkpoint-dir");
        if (dir.isEmpty()) {
            for (String needsDir : List.of("resume", "keep", "checkpoint-every")) {
                if (flags.isSet(needsDir)) {
                    throw new UsageException("flag --" + needsDir + " needs --checkpoint-dir");
                }
            }
            return null;
        }
        if (Files.exists(dir.get()) && !Files.isDirectory(dir.get())) {
            throw new UsageException("--checkpoint-dir " + dir.get() + " is not a folder");
        }
        TrainingCheckpoints c = TrainingCheckpoints.in(dir.get()).keepLast(flags.integer("keep", 1, MAX_KEEP)).resume(flags.bool("resume"))
                .run(run).metadata(metadata);
        double minutes = flags.numberInRange("checkpoint-every", 0, MAX_MINUTES);
        if (minutes > 0) {
            c = c.every(Duration.ofMillis(Math.max(1, (long) (minutes * 60_000))));
        }
        return c;
    }

    /** {@code --device}. */
    public static Options device(Options options) {
        return options.value("device", "ID", null, "device id, e.g. cpu or opencl-jocl:0 (default: the best available; see 'tessera devices')");
    }

    /**
     * {@code --data}, {@code --dataset}, {@code --seed} (with its default and what it seeds) and the outputs
     * {@code --save}, {@code --plot} and {@code --json}, which {@link Options#parse} checks before the command trains.
     */
    public static Options dataAndOutputs(Options options, String seedDefault, String seedHelp) {
        return options
                .path("data", "DIR", null, "folder holding the dataset's four IDX files (default: $TESSERA_DATA, the user cache, or download)")
                .value("dataset", "NAME", "mnist", "mnist or fashion")
                .value("seed", "N", seedDefault, seedHelp)
                .output("save", "FILE", "save the trained model here (for 'tessera predict')")
                .output("plot", "FILE.png", "write the accuracy and loss curves as a PNG")
                .output("json", "FILE", "write the history, test accuracy, device and time as JSON");
    }
}
