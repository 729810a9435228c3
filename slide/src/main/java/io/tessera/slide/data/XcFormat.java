package io.tessera.slide.data;

import io.tessera.data.DatasetFormatException;

import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The extreme-classification repository's text format, in which Amazon-670K, Wiki10-31K and Delicious-200K are
 * distributed: a header line {@code samples features labels}, then one line per sample,
 * {@code l1,l2,... f:v f:v ...} (labels separated by commas, then feature:value pairs separated by spaces; a line may
 * start with a space when the sample has no label). Files may be gzip-compressed.
 *
 * <p>The reader checks everything and names the file and line of the first problem: the header, every index against
 * the declared ranges, duplicate features, values that are not finite numbers, the number of lines. Memory grows with
 * what the file holds, not with what the header declares. Features of a line may come in any order (they are sorted);
 * samples without labels are dropped and counted ({@link Result#unlabelled()}), since they cannot be trained on nor
 * scored.
 */
public final class XcFormat {
    /** The longest token (number) accepted. */
    private static final int MAX_TOKEN = 64;

    private XcFormat() {
    }

    /** What a read gives: the dataset and the number of samples dropped for having no label. */
    public record Result(ExtremeDataset dataset, int unlabelled) {
    }

    /** Reads and validates {@code file}. */
    public static Result read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetFormatException(file, Files.exists(file) ? "not a regular file" : "no such file");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
            return new Parser(file, in).parse();
        } catch (OutOfMemoryError e) {
            throw new DatasetFormatException(file, "holds more than the heap can take (" + Runtime.getRuntime().maxMemory()
                    + " bytes); raise -Xmx, or TESSERA_HEAP for ./tessera");
        } catch (EOFException e) {
            throw new DatasetFormatException(file, "truncated: " + e.getMessage(), e);
        }
    }

    /** Writes {@code dataset} in the format, atomically (a temporary file beside it, then a move). */
    public static void write(ExtremeDataset dataset, Path file) throws IOException {
        io.tessera.TemporaryFiles.replace(file, tmp -> {
            try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.US_ASCII),
                    1 << 16)) {
                SparseMatrix f = dataset.features();
                SparseMatrix l = dataset.labels();
                w.write(dataset.size() + " " + dataset.featureCount() + " " + dataset.classCount() + "\n");
                StringBuilder line = new StringBuilder();
                for (int r = 0; r < dataset.size(); r++) {
                    line.setLength(0);
                    for (int k = l.rowStart(r); k < l.rowEnd(r); k++) {
                        if (k > l.rowStart(r)) {
                            line.append(',');
                        }
                        line.append(l.index(k));
                    }
                    for (int k = f.rowStart(r); k < f.rowEnd(r); k++) {
                        line.append(' ').append(f.index(k)).append(':').append(f.value(k));
                    }
                    w.write(line.append('\n').toString());
                }
            }
        });
    }

    private static final class Parser {
        private final Path file;
        private final InputStream in;
        private final byte[] token = new byte[MAX_TOKEN];
        private long line = 1;
        private int pushedBack = -2;

        private IntList featurePointers = new IntList();
        private IntList featureIndices = new IntList();
        private FloatList featureValues = new FloatList();
        private IntList labelPointers = new IntList();
        private IntList labelIndices = new IntList();

        Parser(Path file, InputStream in) {
            this.file = file;
            this.in = in;
        }

        Result parse() throws IOException {
            long samples = headerNumber("samples", false);
            long features = headerNumber("features", false);
            long classes = headerNumber("labels", true);
            int c = read();
            while (c == ' ' || c == '\t' || c == '\r') {
                c = read();
            }
            if (c != '\n') {
                throw error("the header must be three numbers, 'samples features labels'");
            }
            line++;
            featurePointers.add(0);
            labelPointers.add(0);
            int unlabelled = 0;
            long seen = 0;
            int[] rowIndices = new int[16];
            float[] rowValues = new float[16];
            while (true) {
                c = read();
                if (c == -1) {
                    break;
                }
                if (seen == samples) {
                    if (isBlankRest(c)) {
                        break;
                    }
                    throw error("the header declares " + samples + " samples but the file has more lines");
                }
                pushedBack = c;
                int labelsBefore = labelIndices.size();
                int count = 0;
                c = read();
                if (c != ' ' && c != '\t') {
                    pushedBack = c;
                    while (true) {
                        long label = number("label", classes);
                        labelIndices.add((int) label);
                        c = read();
                        if (c == ',') {
                            continue;
                        }
                        break;
                    }
                } else {
                    c = ' ';
                }
                while (true) {
                    while (c == ' ' || c == '\t' || c == '\r') {
                        c = read();
                    }
                    if (c == '\n' || c == -1) {
                        break;
                    }
                    if (c < '0' || c > '9') {
                        throw error("expected a feature index, found '" + printable(c) + "'");
                    }
                    pushedBack = c;
                    long feature = number("feature index", features);
                    if (read() != ':') {
                        throw error("feature " + feature + " has no ':value'");
                    }
                    float value = floatValue(feature);
                    if (count == rowIndices.length) {
                        rowIndices = Arrays.copyOf(rowIndices, count * 2);
                        rowValues = Arrays.copyOf(rowValues, count * 2);
                    }
                    rowIndices[count] = (int) feature;
                    rowValues[count] = value;
                    count++;
                    c = read();
                }
                seen++;
                int labelCount = labelIndices.size() - labelsBefore;
                if (labelCount == 0) {
                    unlabelled++;
                } else {
                    sortLabels(labelsBefore, labelCount);
                    addRow(rowIndices, rowValues, count);
                    labelPointers.add(labelIndices.size());
                }
                line++;
                if (c == -1) {
                    break;
                }
            }
            if (seen != samples) {
                throw new DatasetFormatException(file, "the header declares " + samples + " samples but the file has " + seen
                        + " (truncated?)");
            }
            int rows = labelPointers.size() - 1;
            if (rows == 0) {
                throw new DatasetFormatException(file, "no sample has a label");
            }
            SparseMatrix f = SparseMatrix.trusted((int) features, featurePointers.toArray(), featureIndices.toArray(),
                    featureValues.toArray());
            SparseMatrix l = SparseMatrix.trusted((int) classes, labelPointers.toArray(), labelIndices.toArray(), null);
            return new Result(new ExtremeDataset(f, l), unlabelled);
        }

        private void sortLabels(int from, int count) throws DatasetFormatException {
            int[] a = labelIndices.data;
            Arrays.sort(a, from, from + count);
            for (int i = from + 1; i < from + count; i++) {
                if (a[i] == a[i - 1]) {
                    throw error("label " + a[i] + " is listed twice");
                }
            }
        }

        private void addRow(int[] indices, float[] values, int count) throws DatasetFormatException {
            boolean sorted = true;
            for (int i = 1; i < count && sorted; i++) {
                sorted = indices[i] > indices[i - 1];
            }
            if (!sorted) {
                long[] packed = new long[count];
                for (int i = 0; i < count; i++) {
                    packed[i] = ((long) indices[i] << 32) | (Float.floatToRawIntBits(values[i]) & 0xffffffffL);
                }
                Arrays.sort(packed);
                for (int i = 0; i < count; i++) {
                    indices[i] = (int) (packed[i] >>> 32);
                    values[i] = Float.intBitsToFloat((int) packed[i]);
                    if (i > 0 && indices[i] == indices[i - 1]) {
                        throw error("feature " + indices[i] + " is listed twice");
                    }
                }
            }
            for (int i = 0; i < count; i++) {
                featureIndices.add(indices[i]);
                featureValues.add(values[i]);
            }
            featurePointers.add(featureIndices.size());
        }

        private boolean isBlankRest(int c) throws IOException {
            while (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                c = read();
            }
            return c == -1;
        }

        private long headerNumber(String what, boolean last) throws IOException {
            int c = read();
            while (c == ' ' || c == '\t') {
                c = read();
            }
            if (c < '0' || c > '9') {
                throw error("the header must be three numbers, 'samples features labels'; the " + what + " count is missing");
            }
            pushedBack = c;
            long value = number(what + " count", (long) Integer.MAX_VALUE - 8 + 1);
            if (value == 0) {
                throw error("the header declares 0 " + what);
            }
            return value;
        }

        /** Reads a non-negative decimal below {@code limit}. */
        private long number(String what, long limit) throws IOException {
            int c = read();
            if (c < '0' || c > '9') {
                throw error("expected a " + what + ", found '" + printable(c) + "'");
            }
            long value = 0;
            int digits = 0;
            while (c >= '0' && c <= '9') {
                value = value * 10 + (c - '0');
                if (++digits > 12) {
                    throw error(what + " has too many digits");
                }
                c = read();
            }
            pushedBack = c;
            if (value >= limit) {
                throw error(what + " " + value + " is outside [0, " + limit + ")");
            }
            return value;
        }

        private float floatValue(long feature) throws IOException {
            int length = 0;
            int c = read();
            while (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != -1) {
                if (length == MAX_TOKEN) {
                    throw error("the value of feature " + feature + " is longer than " + MAX_TOKEN + " characters");
                }
                token[length++] = (byte) c;
                c = read();
            }
            pushedBack = c;
            String text = new String(token, 0, length, StandardCharsets.ISO_8859_1);
            float value;
            try {
                value = Float.parseFloat(text);
            } catch (NumberFormatException e) {
                throw error("the value of feature " + feature + " is not a number: '" + escape(text) + "'");
            }
            if (!Float.isFinite(value) || text.indexOf('x') >= 0 || text.indexOf('X') >= 0 || text.endsWith("f")
                    || text.endsWith("F") || text.endsWith("d") || text.endsWith("D")) {
                throw error("the value of feature " + feature + " is not a finite decimal number: '" + escape(text) + "'");
            }
            return value;
        }

        private int read() throws IOException {
            if (pushedBack != -2) {
                int c = pushedBack;
                pushedBack = -2;
                return c;
            }
            return in.read();
        }

        private DatasetFormatException error(String problem) {
            return new DatasetFormatException(file, "line " + line + ": " + problem);
        }
    }

    private static String printable(int c) {
        if (c == -1) {
            return "end of file";
        }
        if (c == '\n') {
            return "end of line";
        }
        return escape(String.valueOf((char) c));
    }

    /** {@code text} escaped by {@link io.tessera.Printable}, so a file cannot drive a terminal. */
    static String escape(String text) {
        return io.tessera.Printable.of(text, 200);
    }

    private static final class IntList {
        int[] data = new int[1024];
        int size;

        void add(int v) {
            if (size == data.length) {
                if (size >= Integer.MAX_VALUE - 8) {
                    throw new OutOfMemoryError("more than one array holds");
                }
                data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 8L, size * 2L));
            }
            data[size++] = v;
        }

        int size() {
            return size;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }

    private static final class FloatList {
        float[] data = new float[1024];
        int size;

        void add(float v) {
            if (size == data.length) {
                if (size >= Integer.MAX_VALUE - 8) {
                    throw new OutOfMemoryError("more than one array holds");
                }
                data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 8L, size * 2L));
            }
            data[size++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
