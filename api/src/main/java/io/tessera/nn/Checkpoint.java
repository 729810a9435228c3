package io.tessera.nn;

import io.tessera.Device;
import io.tessera.spi.LayerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.zip.CRC32;

/**
 * Saves and loads a {@link Sequential} model: architecture, weights and string metadata, in Tessera's versioned
 * binary format (documented in {@code docs/checkpoint-format.md}). Never Java serialization.
 *
 * <p>Layout, little-endian: the 8 magic bytes {@code TSRACKPT}; u32 format version (2); u32 header length H; H bytes
 * of UTF-8 header text, one record per line ({@code meta KEY VALUE}, {@code layer TYPE [k=v ...]},
 * {@code param NAME float32 DIMS}, then {@code buffer NAME float32 DIMS} for the layer's {@link Layer#buffers()});
 * then every parameter's and buffer's values as float32 in header order; then the u32 CRC-32 of everything after the
 * version field. Files are written to a temporary file beside the target and renamed. Version 1 files (no buffer
 * records) still load; layers with buffers keep their initial buffer values then.
 */
public final class Checkpoint {
    /** The format version this code writes and the newest it reads. */
    public static final int VERSION = 2;
    private static final byte[] MAGIC = "TSRACKPT".getBytes(StandardCharsets.US_ASCII);

    private Checkpoint() {
    }

    /** A loaded model and the metadata saved with it. */
    public record Loaded(Sequential model, Map<String, String> metadata) {
    }

    /**
     * Writes {@code model} and {@code metadata} to {@code file} atomically (a temporary file, then a rename).
     * Reads the parameters from the device (synchronises).
     */
    public static void save(Sequential model, Map<String, String> metadata, Path file) throws IOException {
        StringBuilder header = new StringBuilder();
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(metadata).entrySet()) {
            if (!e.getKey().matches("[A-Za-z0-9_.-]+") || e.getValue().contains("\n")) {
                throw new IllegalArgumentException("metadata key '" + e.getKey() + "' must be [A-Za-z0-9_.-]+ and values one line");
            }
            header.append("meta ").append(e.getKey()).append(' ').append(e.getValue()).append('\n');
        }
        List<float[]> values = new ArrayList<>();
        for (Layer layer : model.layers()) {
            if (layer instanceof Sequential) {
                throw new IllegalArgumentException("nested Sequential layers are not supported in checkpoints; flatten the model");
            }
            LayerSpec spec = layer.spec();
            header.append("layer ").append(spec.type());
            spec.attributes().forEach((k, v) -> header.append(' ').append(k).append('=').append(v));
            header.append('\n');
            for (Parameter p : layer.parameters()) {
                header.append("param ").append(p.name()).append(" float32 ").append(p.shape()).append('\n');
                values.add(p.value().toFloatArray());
            }
            for (Buffer b : layer.buffers()) {
                header.append("buffer ").append(b.name()).append(" float32 ").append(b.shape()).append('\n');
                values.add(b.value().toFloatArray());
            }
        }
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
        long floats = values.stream().mapToLong(v -> v.length).sum();
        long total = MAGIC.length + 8L + headerBytes.length + floats * 4 + 4;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("model too large for a version-" + VERSION + " checkpoint: " + total + " bytes");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).putInt(VERSION).putInt(headerBytes.length).put(headerBytes);
        for (float[] v : values) {
            buf.asFloatBuffer().put(v);
            buf.position(buf.position() + v.length * 4);
        }
        CRC32 crc = new CRC32();
        crc.update(buf.array(), MAGIC.length + 4, buf.position() - MAGIC.length - 4);
        buf.putInt((int) crc.getValue());

        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                buf.flip();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Loads a checkpoint onto {@code device}, with layer factories found by {@link ServiceLoader}. */
    public static Loaded load(Path file, Device device) throws IOException {
        Map<String, LayerFactory> factories = new HashMap<>();
        for (LayerFactory f : ServiceLoader.load(LayerFactory.class, Checkpoint.class.getClassLoader())) {
            factories.putIfAbsent(f.type(), f);
        }
        return load(file, device, factories);
    }

    /** Loads a checkpoint with the given factories, keyed by layer type. */
    public static Loaded load(Path file, Device device, Map<String, LayerFactory> factories) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "checkpoint file not found");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < MAGIC.length || !java.util.Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new CheckpointException(file, "not a Tessera checkpoint (the file does not start with TSRACKPT)");
        }
        if (bytes.length < MAGIC.length + 8) {
            throw new CheckpointException(file, "truncated: " + bytes.length + " bytes, shorter than the fixed header");
        }
        buf.position(MAGIC.length);
        int version = buf.getInt();
        if (version < 1 || version > VERSION) {
            throw new CheckpointException(file, "format version " + version + " is not supported; this Tessera reads version 1 to " + VERSION);
        }
        int headerLength = buf.getInt();
        if (headerLength < 0 || headerLength > buf.remaining()) {
            throw new CheckpointException(file, "truncated: header of " + headerLength + " bytes, but only " + buf.remaining() + " bytes follow");
        }
        String header = new String(bytes, buf.position(), headerLength, StandardCharsets.UTF_8);
        buf.position(buf.position() + headerLength);

        Map<String, String> metadata = new LinkedHashMap<>();
        List<LayerSpec> specs = new ArrayList<>();
        List<List<String[]>> params = new ArrayList<>();
        List<List<String[]>> buffers = new ArrayList<>();
        long floats = 0;
        String[] lines = header.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split(" ");
            String where = "header line " + (i + 1) + " ('" + line + "')";
            switch (parts[0]) {
                case "meta" -> {
                    int second = line.indexOf(' ', 5);
                    if (parts.length < 2 || second < 0) {
                        throw new CheckpointException(file, where + ": expected 'meta KEY VALUE'");
                    }
                    metadata.put(parts[1], line.substring(second + 1));
                }
                case "layer" -> {
                    if (parts.length < 2) {
                        throw new CheckpointException(file, where + ": expected 'layer TYPE'");
                    }
                    Map<String, Integer> attributes = new LinkedHashMap<>();
                    for (int j = 2; j < parts.length; j++) {
                        int eq = parts[j].indexOf('=');
                        try {
                            attributes.put(parts[j].substring(0, eq), Integer.parseInt(parts[j].substring(eq + 1)));
                        } catch (RuntimeException e) {
                            throw new CheckpointException(file, where + ": bad attribute '" + parts[j] + "'");
                        }
                    }
                    specs.add(new LayerSpec(parts[1], attributes));
                    params.add(new ArrayList<>());
                    buffers.add(new ArrayList<>());
                }
                case "param", "buffer" -> {
                    boolean buffer = parts[0].equals("buffer");
                    if (buffer && version < 2) {
                        throw new CheckpointException(file, where + ": buffer records need format version 2, the file is version " + version);
                    }
                    if (parts.length != 4 || specs.isEmpty() || !parts[2].equals("float32")) {
                        throw new CheckpointException(file, where + ": expected '" + parts[0] + " NAME float32 DIMS' after a layer");
                    }
                    if (!buffer && !buffers.get(buffers.size() - 1).isEmpty()) {
                        throw new CheckpointException(file, where + ": a layer's parameters must come before its buffers");
                    }
                    long n = 1;
                    try {
                        for (String d : parts[3].split("x")) {
                            n = Math.multiplyExact(n, Integer.parseInt(d));
                        }
                    } catch (RuntimeException e) {
                        throw new CheckpointException(file, where + ": bad dimensions '" + parts[3] + "'");
                    }
                    floats += n;
                    (buffer ? buffers : params).get(specs.size() - 1).add(parts);
                }
                default -> throw new CheckpointException(file, where + ": unknown record '" + parts[0] + "'");
            }
        }
        long expected = floats * 4 + 4;
        if (buf.remaining() != expected) {
            throw new CheckpointException(file, (buf.remaining() < expected ? "truncated" : "has trailing bytes")
                    + ": the parameters and buffers need " + expected + " bytes after the header (with the checksum), but the file has "
                    + buf.remaining());
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, MAGIC.length + 4, bytes.length - MAGIC.length - 8);
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (stored != (int) crc.getValue()) {
            throw new CheckpointException(file, "corrupt: CRC-32 mismatch (stored " + Integer.toHexString(stored) + ", computed "
                    + Long.toHexString(crc.getValue()) + ")");
        }
        if (specs.isEmpty()) {
            throw new CheckpointException(file, "holds no layers");
        }

        List<Layer> layers = new ArrayList<>();
        try {
            for (int li = 0; li < specs.size(); li++) {
                LayerSpec spec = specs.get(li);
                LayerFactory factory = factories.get(spec.type());
                if (factory == null) {
                    throw new CheckpointException(file, "layer " + li + " has type '" + spec.type() + "', which no LayerFactory on the class path builds"
                            + " (known: " + new java.util.TreeSet<>(factories.keySet()) + ")");
                }
                Layer layer;
                try {
                    layer = factory.create(spec, device);
                } catch (IllegalArgumentException e) {
                    throw new CheckpointException(file, "layer " + li + " (" + spec.type() + "): " + e.getMessage());
                }
                layers.add(layer);
                List<Parameter> ps = layer.parameters();
                List<String[]> declared = params.get(li);
                if (ps.size() != declared.size()) {
                    throw new CheckpointException(file, "layer " + li + " (" + spec.type() + ") has " + ps.size()
                            + " parameters, the checkpoint " + declared.size());
                }
                for (int pi = 0; pi < ps.size(); pi++) {
                    Parameter p = ps.get(pi);
                    String[] d = declared.get(pi);
                    if (!p.name().equals(d[1]) || !p.shape().toString().equals(d[3])) {
                        throw new CheckpointException(file, "layer " + li + " (" + spec.type() + ") parameter " + pi + " is "
                                + p.name() + " " + p.shape() + ", the checkpoint has " + d[1] + " " + d[3]);
                    }
                    p.load(readFloats(buf, p.value().size()));
                }
                List<Buffer> bs = layer.buffers();
                List<String[]> declaredBuffers = buffers.get(li);
                if (version >= 2 && bs.size() != declaredBuffers.size()) {
                    throw new CheckpointException(file, "layer " + li + " (" + spec.type() + ") has " + bs.size()
                            + " buffers, the checkpoint " + declaredBuffers.size());
                }
                for (int bi = 0; bi < declaredBuffers.size(); bi++) {
                    Buffer b = bs.get(bi);
                    String[] d = declaredBuffers.get(bi);
                    if (!b.name().equals(d[1]) || !b.shape().toString().equals(d[3])) {
                        throw new CheckpointException(file, "layer " + li + " (" + spec.type() + ") buffer " + bi + " is "
                                + b.name() + " " + b.shape() + ", the checkpoint has " + d[1] + " " + d[3]);
                    }
                    b.load(readFloats(buf, b.value().size()));
                }
            }
        } catch (IOException | RuntimeException e) {
            layers.forEach(Layer::close);
            throw e;
        }
        return new Loaded(new Sequential(layers), metadata);
    }

    private static float[] readFloats(ByteBuffer buf, long count) {
        float[] v = new float[Math.toIntExact(count)];
        buf.asFloatBuffer().get(v);
        buf.position(buf.position() + v.length * 4);
        return v;
    }
}
