package io.tessera.train;

import io.tessera.data.SeekableEpochs;
import io.tessera.nn.Buffer;
import io.tessera.nn.Checkpoint;
import io.tessera.nn.CheckpointException;
import io.tessera.nn.CheckpointFile;
import io.tessera.nn.Layer;
import io.tessera.optim.Optimizer;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes and restores training checkpoints: the model's records, the optimizer's state tensors ({@code slot}) and
 * counters, the position, the data order, the partial sums of an unfinished epoch, the run's settings and the history.
 */
final class TrainingState {
    static final String FORMAT = "1";
    private static final System.Logger LOG = System.getLogger(TrainingState.class.getName());

    /** Where training stands: the next epoch and how many of its batches are done, with their partial sums. */
    record Position(int epoch, int batch, int dataEpoch, float lossSum, long samples, double seconds) {
    }

    /** A restored checkpoint: what the caller reports, and the partial sums of the epoch it continues. */
    record Restored(Resumed resumed, Position position) {
    }

    private TrainingState() {
    }

    static Path write(TrainingCheckpoints cp, Position at, Layer model, Optimizer optimizer, SeekableEpochs data,
                      List<EpochResult> history) throws IOException {
        CheckpointFile.Builder b = new CheckpointFile.Builder();
        new TreeMap<>(cp.metadata()).forEach(b::meta);
        Checkpoint.writeModel(model, b);
        for (Buffer s : optimizer.stateTensors()) {
            b.tensor("slot", s.name(), s.shape(), s.value().toFloatArray());
        }
        b.keyed("state", "trainer.format", FORMAT);
        b.keyed("state", "position.epoch", Integer.toString(at.epoch()));
        b.keyed("state", "position.batch", Integer.toString(at.batch()));
        b.keyed("state", "data.epoch", Integer.toString(at.dataEpoch()));
        b.keyed("state", "data.order", data.order());
        b.keyed("state", "epoch.loss_sum_f32", Integer.toString(Float.floatToRawIntBits(at.lossSum())));
        b.keyed("state", "epoch.samples", Long.toString(at.samples()));
        b.keyed("state", "epoch.seconds", Double.toString(at.seconds()));
        b.keyed("state", "optimizer.class", optimizer.getClass().getName());
        new TreeMap<>(optimizer.counters()).forEach((k, v) -> b.keyed("state", "optimizer.counter." + k, Long.toString(v)));
        new TreeMap<>(cp.runSettings()).forEach((k, v) -> b.keyed("state", "run." + k, v));
        for (EpochResult r : history) {
            EvalResult v = r.validation();
            b.record("history", Integer.toString(r.epoch()), Double.toString(r.learningRate()), Double.toString(r.trainLoss()),
                    Double.toString(v.loss()), Double.toString(v.accuracy()), Long.toString(v.samples()), Double.toString(v.seconds()),
                    Double.toString(r.trainSeconds()), Double.toString(r.samplesPerSecond()));
        }
        Path file = cp.file(at.epoch(), at.batch());
        b.write(file);
        cp.prune();
        return file;
    }

    /**
     * Restores the newest readable checkpoint into the model, optimizer and data; null when the folder holds none
     * (or none readable, which is logged).
     *
     * @throws ResumeException if the newest readable checkpoint does not fit this run
     */
    static Restored restore(TrainingCheckpoints cp, Layer model, Optimizer optimizer, Iterable<?> train) throws IOException {
        List<String> skipped = new ArrayList<>();
        for (Path p : cp.list()) {
            CheckpointFile f;
            Map<String, String> state;
            List<EpochResult> history;
            Position at;
            try {
                f = CheckpointFile.read(p, Checkpoint.TENSOR_KINDS);
                state = state(f);
                at = position(f, state);
                history = history(f);
            } catch (CheckpointException e) {
                skipped.add(p + ": " + e.getMessage().replace("checkpoint " + p + ": ", ""));
                LOG.log(Level.WARNING, () -> "Checkpoint " + p + " cannot be read (" + e.getMessage() + "); trying the one before it");
                continue;
            }
            try {
                apply(f, state, at, cp, model, optimizer, train);
            } catch (CheckpointException e) {
                throw new ResumeException("cannot resume from " + p + ": " + e.getMessage().replace("checkpoint " + p + ": ", ""), e);
            }
            return new Restored(new Resumed(p, at.epoch(), at.batch(), history, skipped), at);
        }
        if (!skipped.isEmpty()) {
            LOG.log(Level.WARNING, () -> "No checkpoint in " + cp.dir() + " could be read; training starts from the beginning");
        }
        return skipped.isEmpty() ? null : new Restored(new Resumed(null, 0, 0, List.of(), skipped), null);
    }

    private static Map<String, String> state(CheckpointFile f) throws CheckpointException {
        Map<String, String> state = new HashMap<>();
        for (CheckpointFile.Record r : f.records("state")) {
            state.put(r.field(0), r.field(1));
        }
        if (!FORMAT.equals(state.get("trainer.format"))) {
            throw f.problem(state.containsKey("trainer.format")
                    ? "training state format " + CheckpointFile.printable(state.get("trainer.format")) + " is not supported (this Tessera reads " + FORMAT + ")"
                    : "holds a model but no training state (it was not written by a Trainer)");
        }
        return state;
    }

    private static Position position(CheckpointFile f, Map<String, String> state) throws CheckpointException {
        try {
            Position at = new Position(Integer.parseInt(required(f, state, "position.epoch")),
                    Integer.parseInt(required(f, state, "position.batch")), Integer.parseInt(required(f, state, "data.epoch")),
                    Float.intBitsToFloat(Integer.parseInt(required(f, state, "epoch.loss_sum_f32"))),
                    Long.parseLong(required(f, state, "epoch.samples")), Double.parseDouble(required(f, state, "epoch.seconds")));
            if (at.epoch() < 0 || at.batch() < 0 || at.dataEpoch() < 0 || at.samples() < 0) {
                throw f.problem("negative training position " + at);
            }
            return at;
        } catch (NumberFormatException e) {
            throw f.problem("a training-position value is not a number (" + CheckpointFile.printable(e.getMessage()) + ")");
        }
    }

    private static String required(CheckpointFile f, Map<String, String> state, String key) throws CheckpointException {
        String v = state.get(key);
        if (v == null) {
            throw f.problem("its training state lacks '" + key + "'");
        }
        return v;
    }

    private static List<EpochResult> history(CheckpointFile f) throws CheckpointException {
        List<EpochResult> history = new ArrayList<>();
        for (CheckpointFile.Record r : f.records("history")) {
            if (r.fields().size() != 9) {
                throw f.problem("header line " + r.line() + " ('" + r + "'): a history record has 9 fields");
            }
            try {
                List<String> x = r.fields();
                EvalResult v = new EvalResult(Double.parseDouble(x.get(3)), Double.parseDouble(x.get(4)), Long.parseLong(x.get(5)),
                        Double.parseDouble(x.get(6)));
                history.add(new EpochResult(Integer.parseInt(x.get(0)), Double.parseDouble(x.get(1)), Double.parseDouble(x.get(2)), v,
                        Double.parseDouble(x.get(7)), Double.parseDouble(x.get(8))));
            } catch (NumberFormatException e) {
                throw f.problem("header line " + r.line() + " ('" + r + "'): " + CheckpointFile.printable(e.getMessage()));
            }
        }
        return history;
    }

    /** Checks everything against this run, then writes the values; nothing changes when a check fails. */
    private static void apply(CheckpointFile f, Map<String, String> state, Position at, TrainingCheckpoints cp, Layer model,
                              Optimizer optimizer, Iterable<?> train) throws CheckpointException {
        Map<String, String> saved = new TreeMap<>();
        state.forEach((k, v) -> {
            if (k.startsWith("run.")) {
                saved.put(k.substring(4), v);
            }
        });
        Map<String, String> now = new TreeMap<>(cp.runSettings());
        if (!saved.equals(now)) {
            throw f.problem("it was written by a run with other settings (" + difference(saved, now)
                    + "); resume with the same settings, or use another checkpoint folder");
        }
        String optimizerClass = state.get("optimizer.class");
        if (!optimizer.getClass().getName().equals(optimizerClass)) {
            throw f.problem("its optimizer is " + CheckpointFile.printable(String.valueOf(optimizerClass)) + ", this run's "
                    + optimizer.getClass().getName());
        }
        if (!(train instanceof SeekableEpochs data)) {
            throw f.problem("resuming needs training data that can seek to a position (a DataLoader or DeviceDataLoader), not "
                    + train.getClass().getName());
        }
        String order = state.get("data.order");
        if (!data.order().equals(order)) {
            throw f.problem("its data order was '" + CheckpointFile.printable(String.valueOf(order)) + "', this run's is '" + data.order() + "'");
        }
        int batch = at.batch();
        if (batch >= data.batchCount()) {
            throw f.problem("its position, batch " + batch + ", is past the " + data.batchCount() + " batches of an epoch");
        }
        List<Buffer> slots = optimizer.stateTensors();
        List<CheckpointFile.Record> savedSlots = f.records("slot");
        if (slots.size() != savedSlots.size()) {
            throw f.problem("its optimizer state has " + savedSlots.size() + " tensors, this optimizer's " + slots.size());
        }
        List<float[]> slotValues = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            Buffer s = slots.get(i);
            CheckpointFile.Record r = savedSlots.get(i);
            if (!s.name().equals(r.field(0)) || !s.shape().equals(r.shape())) {
                throw f.problem("optimizer state " + i + " is " + s.name() + " " + s.shape() + ", the checkpoint has "
                        + CheckpointFile.printable(r.field(0)) + " " + r.shape());
            }
            float[] v = f.values(r);
            Checkpoint.checkValues(f, Checkpoint.ValueCheck.FINITE, "optimizer state " + s.name(), v, s.nonNegative());
            slotValues.add(v);
        }
        Map<String, Long> counters = new LinkedHashMap<>();
        for (String name : optimizer.counters().keySet()) {
            String v = state.get("optimizer.counter." + name);
            if (v == null) {
                throw f.problem("its optimizer state lacks the counter '" + name + "'");
            }
            try {
                counters.put(name, Long.parseLong(v));
            } catch (NumberFormatException e) {
                throw f.problem("its optimizer counter '" + name + "' is not a number");
            }
        }
        Checkpoint.restore(f, model, Checkpoint.ValueCheck.FINITE);
        for (int i = 0; i < slots.size(); i++) {
            slots.get(i).load(slotValues.get(i));
        }
        counters.forEach(optimizer::setCounter);
        data.seek(at.dataEpoch(), batch);
    }

    private static String difference(Map<String, String> saved, Map<String, String> now) {
        for (Map.Entry<String, String> e : saved.entrySet()) {
            String mine = now.get(e.getKey());
            if (!e.getValue().equals(mine)) {
                return e.getKey() + " " + CheckpointFile.printable(e.getValue()) + " there, " + (mine == null ? "not set" : mine) + " here";
            }
        }
        for (String k : now.keySet()) {
            if (!saved.containsKey(k)) {
                return k + " not set there, " + now.get(k) + " here";
            }
        }
        return "none";
    }
}
