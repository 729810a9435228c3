package io.tessera.examples.cli;

/** The flags every training command shares, declared once so their names and help read the same everywhere. */
public final class TrainingFlags {
    private TrainingFlags() {
    }

    /** {@code --device}. */
    public static Options device(Options options) {
        return options.value("device", "ID", null, "device id, e.g. cpu or opencl-jocl:0 (default: the best available; see 'tessera devices')");
    }

    /** {@code --data}, {@code --dataset}, {@code --seed} (with its default and what it seeds) and the outputs. */
    public static Options dataAndOutputs(Options options, String seedDefault, String seedHelp) {
        return options
                .value("data", "DIR", null, "folder holding the dataset's four IDX files (default: $TESSERA_DATA, the user cache, or download)")
                .value("dataset", "NAME", "mnist", "mnist or fashion")
                .value("seed", "N", seedDefault, seedHelp)
                .value("save", "FILE", null, "save the trained model here (for 'tessera predict')")
                .value("plot", "FILE.png", null, "write the accuracy and loss curves as a PNG")
                .value("json", "FILE", null, "write the history, test accuracy, device and time as JSON");
    }
}
