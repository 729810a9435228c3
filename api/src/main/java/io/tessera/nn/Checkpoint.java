package io.tessera.nn;

import io.tessera.Device;
import io.tessera.spi.LayerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Saves and loads models in Tessera's versioned binary format ({@link CheckpointFile}, documented in
 * {@code docs/checkpoint-format.md}): the architecture as {@code layer} records, every parameter, buffer and counter
 * of every layer, and string metadata. Never Java serialization.
 *
 * <p>{@link #load} builds a new {@link Sequential} through the {@link LayerFactory}s on the class path;
 * {@link #restore} writes a checkpoint's values into a model that already exists (PyTorch's {@code load_state_dict}),
 * which is how a model of a user's own class is reloaded: build it with its constructor, then restore. Both check
 * everything before changing anything: layer types and attributes, parameter and buffer names and shapes, and (unless
 * {@link ValueCheck#NONE} is given) that every value is finite and non-negative buffers such as batch-norm variances
 * hold no negative value. Training checkpoints ({@code io.tessera.train}) are model checkpoints with more records, so
 * they load here too. Version 1 and 2 files still load.
 */
public final class Checkpoint {
    /** The format version this code writes and the newest it reads. */
    public static final int VERSION = CheckpointFile.VERSION;
    /** The record kinds that carry float32 values. */
    public static final List<String> TENSOR_KINDS = List.of("param", "buffer", "slot");
    /** Record kinds a model loader passes over: the training state that {@code io.tessera.train} adds. */
    private static final List<String> TRAINING_KINDS = List.of("optimizer", "slot", "state", "history");

    private Checkpoint() {
    }

    /** How loaded values are checked. */
    public enum ValueCheck {
        /** Every value finite, non-negative buffers non-negative: the default. */
        FINITE,
        /** No check of the values, for looking into a diverged run. */
        NONE
    }

    /**
     * Reads a checkpoint into an existing model of the same architecture (for a user's
     * {@link io.tessera.autograd.Module}: construct it, then restore into it); values checked, nothing changed when a
     * check fails. Returns the checkpoint's metadata.
     *
     * @param file the checkpoint to read
     * @param model the model whose parameters, buffers and counters are overwritten (on its own device)
     * @return the metadata, a new map in file order
     * @throws IOException if the file cannot be read; a {@link CheckpointException} (naming the file) if it is not a
     *                     valid checkpoint or does not fit the model
     */
    public static Map<String, String> restore(Path file, Layer model) throws IOException {
        return restore(CheckpointFile.read(file, TENSOR_KINDS), model, ValueCheck.FINITE);
    }

    /**
     * A loaded model and the metadata saved with it.
     *
     * @param model    the model, owned by the caller (close it)
     * @param metadata the checkpoint's {@code meta} records by key
     */
    public record Loaded(Sequential model, Map<String, String> metadata) {
    }

    /**
     * Writes {@code model} and {@code metadata} to {@code file} atomically (a temporary file, then a rename).
     * Reads the parameters from the device (synchronises). A {@link Sequential} is written layer by layer; any other
     * layer (a user's {@link io.tessera.autograd.Module}) as one layer with its parameters by name.
     *
     * @param model the model written; not changed
     * @param metadata string metadata, keys {@code [A-Za-z0-9_.-]+}, one-line values
     * @param file the target; its folder is created if missing
     * @throws IOException if the file cannot be written; the old file, if any, is then left as it was
     * @throws IllegalArgumentException if a metadata key or value is malformed, or the model holds a nested
     *                                  {@link Sequential}
     */
    public static void save(Layer model, Map<String, String> metadata, Path file) throws IOException {
        CheckpointFile.Builder b = new CheckpointFile.Builder();
        new TreeMap<>(metadata).forEach(b::meta);
        writeModel(model, b);
        b.write(file);
    }

    /**
     * Appends the {@code layer}, {@code param}, {@code buffer} and {@code counter} records of {@code model} (a
     * {@link Sequential} is written as its layers) to {@code b}. Reads the values from the device (synchronises).
     *
     * @param model the model written; not changed
     * @param b the builder appended to
     * @throws IllegalArgumentException if the model holds a nested {@link Sequential}
     */
    public static void writeModel(Layer model, CheckpointFile.Builder b) {
        for (Layer layer : layersOf(model)) {
            if (layer instanceof Sequential) {
                throw new IllegalArgumentException("nested Sequential layers are not supported in checkpoints; flatten the model");
            }
            LayerSpec spec = layer.spec();
            List<String> attributes = new ArrayList<>();
            new TreeMap<>(spec.attributes()).forEach((k, v) -> attributes.add(k + "=" + v));
            b.record("layer", prepend(spec.type(), attributes));
            for (Parameter p : layer.parameters()) {
                b.tensor("param", p.name(), p.shape(), p.value().toFloatArray());
            }
            for (Buffer buffer : layer.buffers()) {
                b.tensor("buffer", buffer.name(), buffer.shape(), buffer.value().toFloatArray());
            }
            layer.counters().forEach((name, value) -> b.record("counter", name, Long.toString(value)));
        }
    }

    /**
     * Loads a checkpoint onto {@code device}, with layer factories found by {@link ServiceLoader}; values checked.
     *
     * @param file the checkpoint to read
     * @param device the device the model is built on
     * @return the model and metadata
     * @throws IOException if the file cannot be read; a {@link CheckpointException} (naming the file) if it is not a
     *                     valid checkpoint or does not fit the model
     */
    public static Loaded load(Path file, Device device) throws IOException {
        return load(file, device, factories(), ValueCheck.FINITE);
    }

    /**
     * Loads a checkpoint with the given factories, keyed by layer type; values checked.
     *
     * @param file the checkpoint to read
     * @param device the device the model is built on
     * @param factories the factories by layer type
     * @return the model and metadata
     * @throws IOException if the file cannot be read; a {@link CheckpointException} (naming the file) if it is not a
     *                     valid checkpoint or does not fit the model
     */
    public static Loaded load(Path file, Device device, Map<String, LayerFactory> factories) throws IOException {
        return load(file, device, factories, ValueCheck.FINITE);
    }

    /**
     * Loads a checkpoint onto {@code device} with the given factories, keyed by layer type.
     *
     * @param file the checkpoint to read
     * @param device the device the model is built on
     * @param factories the factories by layer type
     * @param check how the values are checked
     * @return the model and metadata; on failure every layer built so far is closed
     * @throws CheckpointException naming the file and the problem: not a checkpoint, truncated, corrupt, an unknown
     *                             layer type (and the known ones), a shape that differs from what the factory builds,
     *                             or a value that is not finite
     * @throws IOException if the file cannot be read
     */
    public static Loaded load(Path file, Device device, Map<String, LayerFactory> factories, ValueCheck check) throws IOException {
        CheckpointFile f = CheckpointFile.read(file, TENSOR_KINDS);
        List<Entry> entries = entries(f);
        if (entries.isEmpty()) {
            throw f.problem("holds no layers");
        }
        List<Layer> layers = new ArrayList<>();
        try {
            for (int li = 0; li < entries.size(); li++) {
                LayerSpec spec = entries.get(li).spec;
                LayerFactory factory = factories.get(spec.type());
                if (factory == null) {
                    throw f.problem("layer " + li + " has type '" + CheckpointFile.printable(spec.type())
                            + "', which no LayerFactory on the class path builds (known: " + new TreeSet<>(factories.keySet()) + ")");
                }
                try {
                    layers.add(factory.create(spec, device));
                } catch (IllegalArgumentException e) {
                    throw f.problem("layer " + li + " (" + CheckpointFile.printable(spec.type()) + "): " + CheckpointFile.printable(e.getMessage()));
                }
            }
            apply(f, entries, layers, check);
        } catch (IOException | RuntimeException e) {
            layers.forEach(Layer::close);
            throw e;
        }
        return new Loaded(new Sequential(layers), metadata(f));
    }

    /**
     * Writes the values of a checkpoint's model into {@code model} (a {@link Sequential} is matched layer by layer),
     * after checking that its layers have the same types, attributes, parameter and buffer names and shapes. Nothing
     * is changed when a check fails. Returns the checkpoint's metadata.
     *
     * @param f the checkpoint, already read
     * @param model the model whose state is overwritten
     * @param check how the values are checked
     * @return the metadata, a new map in file order
     * @throws CheckpointException naming the file and the first difference or bad value
     */
    public static Map<String, String> restore(CheckpointFile f, Layer model, ValueCheck check) throws CheckpointException {
        List<Entry> entries = entries(f);
        List<Layer> layers = layersOf(model);
        if (entries.size() != layers.size()) {
            throw f.problem("holds a model of " + entries.size() + " layers, but this model has " + layers.size());
        }
        for (int li = 0; li < layers.size(); li++) {
            LayerSpec have = layers.get(li).spec();
            LayerSpec saved = entries.get(li).spec;
            if (!have.equals(saved)) {
                throw f.problem("layer " + li + " is " + describe(saved) + " in the checkpoint, but " + describe(have) + " in this model");
            }
        }
        apply(f, entries, layers, check);
        return metadata(f);
    }

    /**
     * The layer factories {@link ServiceLoader} finds, keyed by type; the first one of a type wins.
     *
     * @return a new mutable map of the factories by type
     */
    public static Map<String, LayerFactory> factories() {
        Map<String, LayerFactory> factories = new HashMap<>();
        for (LayerFactory f : ServiceLoader.load(LayerFactory.class, Checkpoint.class.getClassLoader())) {
            factories.putIfAbsent(f.type(), f);
        }
        return factories;
    }

    private static String describe(LayerSpec spec) {
        StringBuilder b = new StringBuilder(CheckpointFile.printable(spec.type()));
        new TreeMap<>(spec.attributes()).forEach((k, v) -> b.append(' ').append(CheckpointFile.printable(k)).append('=').append(v));
        return b.toString();
    }

    private static List<Layer> layersOf(Layer model) {
        return model instanceof Sequential s ? s.layers() : List.of(model);
    }

    private static String[] prepend(String first, List<String> rest) {
        String[] all = new String[rest.size() + 1];
        all[0] = first;
        for (int i = 0; i < rest.size(); i++) {
            all[i + 1] = rest.get(i);
        }
        return all;
    }

    private static Map<String, String> metadata(CheckpointFile f) {
        Map<String, String> meta = new LinkedHashMap<>();
        for (CheckpointFile.Record r : f.records("meta")) {
            meta.put(r.field(0), r.field(1));
        }
        return meta;
    }

    /** A {@code layer} record and the records that belong to it. */
    private record Entry(LayerSpec spec, List<CheckpointFile.Record> params, List<CheckpointFile.Record> buffers,
                         List<CheckpointFile.Record> counters) {
    }

    private static List<Entry> entries(CheckpointFile f) throws CheckpointException {
        List<Entry> entries = new ArrayList<>();
        Entry current = null;
        for (CheckpointFile.Record r : f.records()) {
            String where = "header line " + r.line() + " ('" + r + "')";
            switch (r.kind()) {
                case "meta" -> {
                }
                case "layer" -> {
                    if (r.fields().isEmpty()) {
                        throw f.problem(where + ": expected 'layer TYPE'");
                    }
                    Map<String, Integer> attributes = new LinkedHashMap<>();
                    for (String a : r.fields().subList(1, r.fields().size())) {
                        int eq = a.indexOf('=');
                        try {
                            attributes.put(a.substring(0, eq), Integer.parseInt(a.substring(eq + 1)));
                        } catch (RuntimeException e) {
                            throw f.problem(where + ": bad attribute '" + CheckpointFile.printable(a) + "'");
                        }
                    }
                    LayerSpec spec;
                    try {
                        spec = new LayerSpec(r.field(0), attributes);
                    } catch (IllegalArgumentException e) {
                        throw f.problem(where + ": " + CheckpointFile.printable(e.getMessage()));
                    }
                    current = new Entry(spec, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
                    entries.add(current);
                }
                case "param", "buffer", "counter" -> {
                    int needs = r.kind().equals("param") ? 1 : r.kind().equals("buffer") ? 2 : 3;
                    if (f.version() < needs) {
                        throw f.problem(where + ": " + r.kind() + " records need format version " + needs + ", the file is version "
                                + f.version());
                    }
                    if (current == null) {
                        throw f.problem(where + ": a " + r.kind() + " record must follow a layer record");
                    }
                    if (r.kind().equals("param") && !(current.buffers.isEmpty() && current.counters.isEmpty())
                            || r.kind().equals("buffer") && !current.counters.isEmpty()) {
                        throw f.problem(where + ": a layer's records come in the order param, buffer, counter");
                    }
                    if (r.kind().equals("counter")) {
                        if (r.fields().size() != 2) {
                            throw f.problem(where + ": expected 'counter NAME VALUE'");
                        }
                        try {
                            Long.parseLong(r.field(1));
                        } catch (NumberFormatException e) {
                            throw f.problem(where + ": the counter's value is not a 64-bit integer");
                        }
                    }
                    (r.kind().equals("param") ? current.params : r.kind().equals("buffer") ? current.buffers : current.counters).add(r);
                }
                default -> {
                    if (!TRAINING_KINDS.contains(r.kind()) || f.version() < 3) {
                        throw f.problem(where + ": unknown record '" + CheckpointFile.printable(r.kind()) + "'");
                    }
                }
            }
        }
        return entries;
    }

    /** Checks every layer's records against the layer, then (only if all pass) loads the values. */
    private static void apply(CheckpointFile f, List<Entry> entries, List<Layer> layers, ValueCheck check) throws CheckpointException {
        List<Runnable> loads = new ArrayList<>();
        for (int li = 0; li < layers.size(); li++) {
            Layer layer = layers.get(li);
            Entry e = entries.get(li);
            String which = "layer " + li + " (" + e.spec.type() + ")";
            List<Parameter> ps = layer.parameters();
            if (ps.size() != e.params.size()) {
                throw f.problem(which + " has " + ps.size() + " parameters, the checkpoint " + e.params.size());
            }
            for (int pi = 0; pi < ps.size(); pi++) {
                Parameter p = ps.get(pi);
                CheckpointFile.Record r = e.params.get(pi);
                matches(f, which + " parameter " + pi, p.name(), p.shape(), r);
                float[] v = f.values(r);
                checkValues(f, check, which + " parameter " + p.name(), v, false);
                loads.add(() -> p.load(v));
            }
            List<Buffer> bs = layer.buffers();
            if (f.version() >= 2 && bs.size() != e.buffers.size()) {
                throw f.problem(which + " has " + bs.size() + " buffers, the checkpoint " + e.buffers.size());
            }
            for (int bi = 0; bi < e.buffers.size(); bi++) {
                Buffer b = bs.get(bi);
                CheckpointFile.Record r = e.buffers.get(bi);
                matches(f, which + " buffer " + bi, b.name(), b.shape(), r);
                float[] v = f.values(r);
                checkValues(f, check, which + " buffer " + b.name(), v, b.nonNegative());
                loads.add(() -> b.load(v));
            }
            Map<String, Long> counters = layer.counters();
            if (f.version() >= 3 && !counters.keySet().equals(java.util.Set.copyOf(names(e.counters)))) {
                throw f.problem(which + " has counters " + counters.keySet() + ", the checkpoint " + names(e.counters));
            }
            for (CheckpointFile.Record r : e.counters) {
                long value = Long.parseLong(r.field(1));
                loads.add(() -> layer.setCounter(r.field(0), value));
            }
        }
        loads.forEach(Runnable::run);
    }

    private static List<String> names(List<CheckpointFile.Record> records) {
        return records.stream().map(r -> CheckpointFile.printable(r.field(0))).toList();
    }

    private static void matches(CheckpointFile f, String which, String name, io.tessera.Shape shape, CheckpointFile.Record r)
            throws CheckpointException {
        if (!name.equals(r.field(0)) || !shape.equals(r.shape())) {
            throw f.problem(which + " is " + name + " " + shape + ", the checkpoint has " + CheckpointFile.printable(r.field(0))
                    + " " + r.shape());
        }
    }

    /**
     * Fails naming {@code what} and the first bad index when a value is NaN or infinite (or negative, when
     * {@code nonNegative}); does nothing for {@link ValueCheck#NONE}.
     *
     * @param f the checkpoint the values came from, named in the error
     * @param check {@link ValueCheck#NONE} to skip the check
     * @param what the values' description in the error, e.g. {@code "param weight of layer 0"}
     * @param v the values
     * @param nonNegative whether negative values are errors too
     * @throws CheckpointException if a value is NaN, infinite, or negative when {@code nonNegative}
     */
    public static void checkValues(CheckpointFile f, ValueCheck check, String what, float[] v, boolean nonNegative)
            throws CheckpointException {
        if (check == ValueCheck.NONE) {
            return;
        }
        for (int i = 0; i < v.length; i++) {
            float x = v[i];
            if (!Float.isFinite(x) || nonNegative && x < 0) {
                int bad = 0;
                for (float y : v) {
                    bad += !Float.isFinite(y) || nonNegative && y < 0 ? 1 : 0;
                }
                throw f.problem(what + " holds " + bad + " " + (Float.isFinite(x) ? "negative" : "non-finite") + " value"
                        + (bad == 1 ? "" : "s") + " (the first, " + x + ", at index " + i + " of " + v.length + ")"
                        + (Float.isFinite(x) ? "; it must not be negative" : "; the run that saved it had diverged")
                        + ". Load it anyway with ValueCheck.NONE (tessera predict --allow-non-finite)");
            }
        }
    }
}
