package io.tessera.nn;

import io.tessera.ReadLimits;
import io.tessera.Shape;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The container of Tessera's checkpoint files (documented in {@code docs/checkpoint-format.md}): the magic
 * {@code TSRACKPT}, a format version, a header of text records, then the float32 values of every tensor record in
 * header order, then a CRC-32. {@link Checkpoint} stores models in it; {@code io.tessera.train.Trainer} stores
 * training state (optimizer, position, history) beside the model.
 *
 * <p>{@link #read} validates before it allocates: the file must be a regular file; the magic is checked on the
 * first 8 bytes; the header length, and then the byte count the header's tensor records declare, must match the
 * file's actual length; the bytes must fit in the heap ({@link io.tessera.ReadLimits}); the checksum must match. Every problem is a
 * {@link CheckpointException} naming the file. Instances are immutable and thread-safe.
 */
public final class CheckpointFile {
    /** The format version this code writes and the newest it reads. */
    public static final int VERSION = 3;
    /** The largest header this reader accepts; real headers are a few kilobytes. */
    static final int MAX_HEADER_BYTES = 16 << 20;
    /** Record kinds laid out as {@code KIND KEY VALUE}, the value being the rest of the line. */
    public static final List<String> KEYED_KINDS = List.of("meta", "state");
    private static final byte[] MAGIC = "TSRACKPT".getBytes(StandardCharsets.US_ASCII);
    private static final int FIXED = MAGIC.length + 8;
    private static final long MAX_FILE = Integer.MAX_VALUE - 8;

    private final Path file;
    private final int version;
    private final List<Record> records;
    private final byte[] bytes;
    private final int dataStart;

    /**
     * One header line: its kind (the first word) and the words after it. A tensor record ({@code NAME float32 DIMS}
     * after the kind) also has a shape and the position of its values.
     *
     * @param line   the line number in the header, from 1
     * @param kind   the first word, e.g. {@code layer}
     * @param fields the words after the kind; for {@link #KEYED_KINDS} the key and the rest of the line
     * @param shape  the tensor's shape, or null for records without values
     * @param offset the index of the tensor's first float among all the file's floats (0 without values)
     */
    public record Record(int line, String kind, List<String> fields, Shape shape, long offset) {
        /**
         * Copies {@code fields} into an unmodifiable list.
         *
         * @param line the line number in the header, from 1
         * @param kind the first word
         * @param fields the words after the kind
         * @param shape the tensor's shape, or null
         * @param offset the index of the tensor's first float
         */
        public Record {
            fields = List.copyOf(fields);
        }

        /**
         * Field {@code i}, or a clear error naming the line.
         *
         * @param i the field's index, from 0
         * @return the field
         * @throws IllegalStateException if the record has fewer fields
         */
        public String field(int i) {
            if (i >= fields.size()) {
                throw new IllegalStateException("header line " + line + " (" + kind + ") has no field " + i);
            }
            return fields.get(i);
        }

        /** The header text of this record, escaped for printing (no control characters). */
        @Override
        public String toString() {
            return printable(kind + (fields.isEmpty() ? "" : " " + String.join(" ", fields)));
        }
    }

    private CheckpointFile(Path file, int version, List<Record> records, byte[] bytes, int dataStart) {
        this.file = file;
        this.version = version;
        this.records = List.copyOf(records);
        this.bytes = bytes;
        this.dataStart = dataStart;
    }

    /**
     * The file this was read from.
     *
     * @return the path given to {@link #read}
     */
    public Path file() {
        return file;
    }

    /**
     * The format version of the file.
     *
     * @return the version, 1 to {@link #VERSION}
     */
    public int version() {
        return version;
    }

    /**
     * The header's records, in order.
     *
     * @return the records, an unmodifiable list
     */
    public List<Record> records() {
        return records;
    }

    /**
     * The records of one kind, in order.
     *
     * @param kind the record kind, e.g. {@code param}
     * @return the matching records, an unmodifiable list
     */
    public List<Record> records(String kind) {
        return records.stream().filter(r -> r.kind().equals(kind)).toList();
    }

    /**
     * The values of a tensor record, row-major.
     *
     * @param r a tensor record of this file
     * @return a new array of {@code r.shape().size()} values
     * @throws IllegalArgumentException if {@code r} has no values
     */
    public float[] values(Record r) {
        if (r.shape() == null) {
            throw new IllegalArgumentException("header line " + r.line() + " (" + r.kind() + ") has no values");
        }
        float[] v = new float[r.shape().sizeAsInt()];
        ByteBuffer.wrap(bytes, dataStart + (int) (r.offset() * 4), v.length * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    /**
     * A {@link CheckpointException} about this file.
     *
     * @param what the problem
     * @return the exception, to be thrown by the caller
     */
    public CheckpointException problem(String what) {
        return new CheckpointException(file, what);
    }

    /**
     * Reads and validates {@code file}; see the class description.
     *
     * @param tensorKinds the record kinds that carry float32 values ({@code KIND NAME float32 DIMS})
     * @param file the file to read, whole, into the heap
     * @return the validated contents
     * @throws NoSuchFileException  if there is no such file
     * @throws CheckpointException  if it is not a checkpoint, is of a newer version, truncated, too large or corrupt
     * @throws IOException if the file cannot be read
     */
    public static CheckpointFile read(Path file, List<String> tensorKinds) throws IOException {
        BasicFileAttributes attributes;
        Path real;
        try {
            real = file.toRealPath();
            attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "checkpoint file not found");
        }
        if (!attributes.isRegularFile()) {
            throw new CheckpointException(file, "not a regular file (" + (attributes.isDirectory() ? "a directory"
                    : "a device, FIFO or socket") + (real.equals(file) ? "" : ", " + real) + "); a checkpoint is a file");
        }
        long size = attributes.size();
        try (FileChannel ch = FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer fixed = ByteBuffer.allocate(FIXED).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, fixed, 0);
            int got = fixed.position();
            if (got < MAGIC.length || !Arrays.equals(fixed.array(), 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                throw new CheckpointException(file, "not a Tessera checkpoint (the file does not start with TSRACKPT)");
            }
            if (got < FIXED) {
                throw new CheckpointException(file, "truncated: " + size + " bytes, shorter than the fixed header (" + FIXED + " bytes)");
            }
            int version = fixed.getInt(MAGIC.length);
            if (version < 1 || version > VERSION) {
                throw new CheckpointException(file, "format version " + Integer.toUnsignedString(version)
                        + " is not supported; this Tessera reads version 1 to " + VERSION);
            }
            long headerLength = Integer.toUnsignedLong(fixed.getInt(MAGIC.length + 4));
            if (headerLength > size - FIXED - 4) {
                throw new CheckpointException(file, "truncated: the header declares " + headerLength + " bytes, but the file has only "
                        + Math.max(0, size - FIXED - 4) + " bytes after the fixed header and before the checksum");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw new CheckpointException(file, "the header declares " + headerLength + " bytes, more than the limit of "
                        + MAX_HEADER_BYTES);
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(ch, headerBytes, FIXED);
            String header = new String(headerBytes.array(), StandardCharsets.UTF_8);
            List<Record> records = new ArrayList<>();
            long floats = parse(file, version, header, tensorKinds, records);
            long expected = FIXED + headerLength + floats * 4 + 4;
            if (size != expected) {
                throw new CheckpointException(file, (size < expected ? "truncated" : "has trailing bytes") + ": its header declares "
                        + floats + " float32 values, " + expected + " bytes in all with the checksum, but the file has " + size);
            }
            if (size > MAX_FILE) {
                throw new CheckpointException(file, "is " + size + " bytes; this reader handles files up to " + MAX_FILE + " bytes");
            }
            byte[] bytes = ReadLimits.bytes(size, "its " + floats + " float32 values and header", problem -> new CheckpointException(file, problem));
            ByteBuffer all = ByteBuffer.wrap(bytes);
            readFully(ch, all, 0);
            if (all.position() != size) {
                throw new CheckpointException(file, "changed while it was read (" + all.position() + " of " + size + " bytes)");
            }
            CRC32 crc = new CRC32();
            crc.update(bytes, MAGIC.length + 4, bytes.length - MAGIC.length - 8);
            int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (stored != (int) crc.getValue()) {
                throw new CheckpointException(file, "corrupt: CRC-32 mismatch (stored " + Integer.toHexString(stored) + ", computed "
                        + Long.toHexString(crc.getValue()) + ")");
            }
            return new CheckpointFile(file, version, records, bytes, (int) (FIXED + headerLength));
        }
    }

    private static long parse(Path file, int version, String header, List<String> tensorKinds, List<Record> out)
            throws CheckpointException {
        long floats = 0;
        String[] lines = header.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            String where = "header line " + (i + 1) + " ('" + printable(line) + "')";
            int space = line.indexOf(' ');
            String kind = space < 0 ? line : line.substring(0, space);
            List<String> fields;
            if (KEYED_KINDS.contains(kind)) {
                int second = space < 0 ? -1 : line.indexOf(' ', space + 1);
                if (second < 0) {
                    throw new CheckpointException(file, where + ": expected '" + kind + " KEY VALUE'");
                }
                fields = List.of(line.substring(space + 1, second), line.substring(second + 1));
            } else {
                fields = space < 0 ? List.of() : List.of(line.substring(space + 1).split(" "));
            }
            Shape shape = null;
            long offset = 0;
            if (tensorKinds.contains(kind)) {
                if (fields.size() != 3 || !fields.get(1).equals("float32")) {
                    throw new CheckpointException(file, where + ": expected '" + kind + " NAME float32 DIMS'");
                }
                shape = dims(file, where, fields.get(2));
                offset = floats;
                floats += shape.size();
                if (floats > MAX_FILE / 4) {
                    throw new CheckpointException(file, where + ": the tensors declared so far hold " + floats
                            + " values, more than a checkpoint can (" + MAX_FILE / 4 + ")");
                }
            }
            out.add(new Record(i + 1, kind, fields, shape, offset));
        }
        return floats;
    }

    private static Shape dims(Path file, String where, String text) throws CheckpointException {
        String[] parts = text.split("x", -1);
        if (parts.length > 8) {
            throw new CheckpointException(file, where + ": " + parts.length + " dimensions; at most 8 are supported");
        }
        int[] dims = new int[parts.length];
        long n = 1;
        for (int i = 0; i < parts.length; i++) {
            try {
                dims[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new CheckpointException(file, where + ": bad dimensions '" + printable(text) + "'");
            }
            if (dims[i] < 1) {
                throw new CheckpointException(file, where + ": dimension " + i + " is " + dims[i] + "; dimensions are at least 1");
            }
            n *= dims[i];
            if (n > MAX_FILE / 4) {
                n = -1;
                break;
            }
        }
        if (n < 0) {
            java.math.BigInteger declared = java.math.BigInteger.ONE;
            for (String p : parts) {
                declared = declared.multiply(new java.math.BigInteger(p));
            }
            throw new CheckpointException(file, where + ": shape " + printable(text) + " declares " + declared
                    + " values; a checkpoint holds at most " + MAX_FILE / 4);
        }
        return Shape.of(dims);
    }

    private static void readFully(FileChannel ch, ByteBuffer into, long position) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = ch.read(into, at);
            if (n < 0) {
                return;
            }
            at += n;
        }
    }

    /**
     * {@code text} escaped by {@link io.tessera.Printable} and cut to 200 characters, for messages about file contents.
     *
     * @param text any text
     * @return at most 200 characters of it, escaped, then {@code ...} if cut
     */
    public static String printable(String text) {
        return io.tessera.Printable.of(text, 200);
    }

    /** Builds a checkpoint: header records, tensor values in the same order, then {@link #write}. Not thread-safe. */
    public static final class Builder {
        private final StringBuilder header = new StringBuilder();
        private final List<float[]> values = new ArrayList<>();

        /**
         * A record of words: {@code kind field field ...}. Words must be non-empty and hold no space or line break.
         *
         * @param kind the first word
         * @param fields the other words
         * @return this builder
         * @throws IllegalArgumentException if a word is empty or holds a space or line break
         */
        public Builder record(String kind, String... fields) {
            word(kind);
            header.append(kind);
            for (String f : fields) {
                word(f);
                header.append(' ').append(f);
            }
            header.append('\n');
            return this;
        }

        /**
         * {@code meta KEY VALUE}; the key is {@code [A-Za-z0-9_.-]+}, the value one line.
         *
         * @param key the key
         * @param value the value
         * @return this builder
         * @throws IllegalArgumentException if the key or value is malformed
         */
        public Builder meta(String key, String value) {
            return keyed("meta", key, value);
        }

        /**
         * {@code KIND KEY VALUE} for one of {@link #KEYED_KINDS}; the key is {@code [A-Za-z0-9_.-]+}, the value one
         * line.
         *
         * @param kind {@code meta} or {@code state}
         * @param key the key
         * @param value the value
         * @return this builder
         * @throws IllegalArgumentException if the kind is not keyed, or the key or value is malformed
         */
        public Builder keyed(String kind, String key, String value) {
            if (!KEYED_KINDS.contains(kind)) {
                throw new IllegalArgumentException(kind + " is not one of " + KEYED_KINDS);
            }
            if (!key.matches("[A-Za-z0-9_.-]+") || value.contains("\n") || value.contains("\r")) {
                throw new IllegalArgumentException(kind + " key '" + key + "' must be [A-Za-z0-9_.-]+ and its value one line");
            }
            header.append(kind).append(' ').append(key).append(' ').append(value).append('\n');
            return this;
        }

        /**
         * {@code kind NAME float32 DIMS}, and the values (row-major, {@code shape.size()} of them).
         *
         * @param kind the record kind, e.g. {@code param}
         * @param name the tensor's name, one word
         * @param shape its shape
         * @param data its values, kept (not copied) until {@link #write}
         * @return this builder
         * @throws IllegalArgumentException if {@code data} does not have {@code shape.size()} values
         */
        public Builder tensor(String kind, String name, Shape shape, float[] data) {
            if (data.length != shape.size()) {
                throw new IllegalArgumentException(kind + " " + name + " is " + shape + " but " + data.length + " values were given");
            }
            record(kind, name, "float32", shape.toString());
            values.add(data);
            return this;
        }

        private static void word(String w) {
            if (w.isEmpty() || w.chars().anyMatch(c -> c == ' ' || c == '\n' || c == '\r')) {
                throw new IllegalArgumentException("checkpoint header words must be non-empty, without spaces or line breaks: '" + w + "'");
            }
        }

        /**
         * Writes the file atomically: a temporary file beside the target ({@code .NAME.*.tmp}, see
         * {@link io.tessera.TemporaryFiles}), flushed to disk, renamed over the target, then the folder flushed. A crash
         * leaves either the old file or the new one under the target's name, never a part; a failed write deletes its
         * temporary file, and the next write of the target deletes those a killed run left. The file gets the
         * permissions the umask gives.
         *
         * @param file the target; its folder is created if missing
         * @throws IOException if writing fails; the temporary file is deleted and the target left as it was
         * @throws IllegalArgumentException if the file would exceed the format's 2 GiB limit
         */
        public void write(Path file) throws IOException {
            byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
            long floats = values.stream().mapToLong(v -> v.length).sum();
            long total = FIXED + (long) headerBytes.length + floats * 4 + 4;
            if (total > MAX_FILE) {
                throw new IllegalArgumentException("too large for a version-" + VERSION + " checkpoint: " + total + " bytes");
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
            buf.flip();
            writeAtomically(buf, file);
        }
    }

    /** The prefix and suffix of the temporary files {@link Builder#write} makes beside {@code target}. */
    static boolean isTemporaryOf(Path candidate, Path target) {
        return io.tessera.TemporaryFiles.isTemporaryOf(candidate, target);
    }

    private static void writeAtomically(ByteBuffer buf, Path file) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = io.tessera.TemporaryFiles.create(target);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
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
            forceDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some file systems and platforms cannot open or flush a folder; the rename itself is still atomic.
        }
    }
}
