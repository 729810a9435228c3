package io.tessera.data;

import io.tessera.ReadLimits;
import io.tessera.Shape;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files of unsigned bytes (the MNIST format), gzip-compressed or not: compression is recognised by the
 * gzip magic bytes {@code 1f 8b}, not by the file name. Everything is validated (magic number, element type, number
 * of dimensions, dimension sizes, exact length), what is not a regular file (a folder, {@code /dev/zero}, a FIFO) is
 * refused before it is opened, and every problem is a {@link DatasetFormatException} naming the file.
 * Stateless and thread-safe.
 */
public final class IdxReader {
    private static final System.Logger LOG = System.getLogger(IdxReader.class.getName());
    private static final int UNSIGNED_BYTE = 0x08;
    private static final int BUFFER = 1 << 16;
    private static final int MAX_ARRAY = ReadLimits.MAX_ARRAY;
    /** Deflate expands one byte into at most 1032 (258-byte matches coded in two bits each, roughly). */
    private static final long MAX_DEFLATE_RATIO = 1032;
    /** A gzip payload is read in pieces of this size, so a lying header costs only what the stream delivers. */
    private static final int PIECE = 8 << 20;

    private IdxReader() {
    }

    /**
     * Reads an images file: magic 2051 ({@code 0x00000803}), dimensions {@code [count, rows, cols]}.
     *
     * @param file the file, raw or gzip
     * @return the contents
     * @throws IOException if the file cannot be read; a {@link DatasetFormatException} naming it if it is malformed
     */
    public static IdxFile readImages(Path file) throws IOException {
        return read(file, IdxFile.IMAGES_MAGIC);
    }

    /**
     * Reads a labels file: magic 2049 ({@code 0x00000801}), dimensions {@code [count]}.
     *
     * @param file the file, raw or gzip
     * @return the contents
     * @throws IOException if the file cannot be read; a {@link DatasetFormatException} naming it if it is malformed
     */
    public static IdxFile readLabels(Path file) throws IOException {
        return read(file, IdxFile.LABELS_MAGIC);
    }

    /**
     * Reads an images file and its labels file into a dataset of {@code 1 x rows x cols} features scaled to [0, 1].
     *
     * @param images the images file
     * @param labels the labels file
     * @param numClasses the number of classes, {@code >= 1}
     * @return the dataset
     * @throws DatasetFormatException if either file is malformed, the counts differ, or a label is outside
     *                                {@code 0..numClasses-1}
     * @throws IllegalArgumentException if {@code numClasses < 1}
     */
    public static InMemoryDataset readDataset(Path images, Path labels, int numClasses) throws IOException {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be at least 1, not " + numClasses);
        }
        IdxFile x = readImages(images);
        IdxFile y = readLabels(labels);
        if (x.count() != y.count()) {
            throw new DatasetFormatException(labels, y.count() + " labels for " + x.count() + " images in " + images);
        }
        byte[] labelBytes = y.data();
        for (int i = 0; i < labelBytes.length; i++) {
            int label = labelBytes[i] & 0xFF;
            if (label >= numClasses) {
                throw new DatasetFormatException(labels, "label " + label + " at index " + i + " is outside 0.." + (numClasses - 1));
            }
        }
        int[] dims = x.dims();
        return new InMemoryDataset(x.data(), Shape.of(1, dims[1], dims[2]), labelBytes, numClasses);
    }

    /**
     * Reads an IDX file of unsigned bytes whose magic number must be {@code expectedMagic}, i.e. {@code 0x0000080N}
     * for {@code N} dimensions.
     *
     * @param file the file, raw or gzip
     * @param expectedMagic the magic number, {@code 0x00000801} to {@code 0x000008FF}
     * @return the contents
     * @throws IOException if the file cannot be read; a {@link DatasetFormatException} naming it if it is malformed
     * @throws IllegalArgumentException if {@code expectedMagic} is not an unsigned-byte IDX magic number
     */
    public static IdxFile read(Path file, int expectedMagic) throws IOException {
        if ((expectedMagic & 0xFFFFFF00) != (UNSIGNED_BYTE << 8) || (expectedMagic & 0xFF) == 0) {
            throw new IllegalArgumentException(String.format("0x%08X is not the magic number of an unsigned-byte IDX file", expectedMagic));
        }
        long start = System.nanoTime();
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new DatasetFormatException(file, "not a regular file (" + (Files.isDirectory(file) ? "a directory"
                    : "a device, FIFO or socket") + "); an IDX file is a file");
        }
        try (InputStream fileIn = Files.newInputStream(file);
             BufferedInputStream buffered = new BufferedInputStream(fileIn, BUFFER)) {
            boolean gzip = isGzip(buffered);
            IdxFile idx = gzip ? readGzip(file, buffered, expectedMagic) : readRaw(file, buffered, expectedMagic);
            LOG.log(Level.DEBUG, () -> String.format("read %s (%s): %s in %d ms", file, gzip ? "gzip" : "raw",
                    Shape.of(idx.dims()), (System.nanoTime() - start) / 1_000_000));
            return idx;
        }
    }

    private static boolean isGzip(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    private static IdxFile readRaw(Path file, InputStream in, int expectedMagic) throws IOException {
        int[] dims = readHeader(file, in, expectedMagic);
        long headerBytes = 4L + 4L * dims.length;
        int payload = payloadSize(file, dims);
        long expected = headerBytes + payload;
        long actual = Files.size(file);
        if (actual < expected) {
            throw truncated(file, actual, expected);
        }
        if (actual > expected) {
            throw new DatasetFormatException(file, "has " + (actual - expected) + " bytes after the data its header describes"
                    + " (expected " + expected + " bytes, found " + actual + ")");
        }
        byte[] data = ReadLimits.bytes(payload, "its dimensions " + text(dims),
                problem -> new DatasetFormatException(file, problem));
        readPayload(file, in, data, headerBytes, expected);
        return new IdxFile(file, dims, data);
    }

    private static IdxFile readGzip(Path file, InputStream compressed, int expectedMagic) throws IOException {
        InputStream in;
        try {
            in = new GZIPInputStream(compressed, BUFFER);
        } catch (EOFException e) {
            throw new DatasetFormatException(file, "gzip header is truncated", e);
        } catch (ZipException e) {
            throw new DatasetFormatException(file, "corrupt gzip header: " + e.getMessage(), e);
        }
        try {
            int[] dims = readHeader(file, in, expectedMagic);
            long headerBytes = 4L + 4L * dims.length;
            int payload = payloadSize(file, dims);
            long expected = headerBytes + payload;
            long compressedSize = Files.size(file);
            if (payload > MAX_DEFLATE_RATIO * compressedSize + 1024) {
                throw new DatasetFormatException(file, "its header declares " + expected + " bytes of uncompressed data (dimensions "
                        + text(dims) + "), but " + compressedSize + " bytes of gzip hold at most "
                        + (MAX_DEFLATE_RATIO * compressedSize + 1024));
            }
            byte[] data = readBounded(file, in, dims, payload, headerBytes, expected);
            int extra = in.read();
            if (extra >= 0) {
                throw new DatasetFormatException(file, "has data after byte " + expected + " of its uncompressed contents,"
                        + " which is where its header says the data ends");
            }
            return new IdxFile(file, dims, data);
        } catch (ZipException e) {
            throw new DatasetFormatException(file, "corrupt gzip data: " + e.getMessage(), e);
        } catch (EOFException e) {
            throw new DatasetFormatException(file, "gzip stream ends early: " + e.getMessage(), e);
        }
    }

    private static int[] readHeader(Path file, InputStream in, int expectedMagic) throws IOException {
        byte[] magicBytes = new byte[4];
        int n = readUpTo(in, magicBytes, 0, 4);
        if (n < 4) {
            throw truncated(file, n, 4, "an IDX header");
        }
        int magic = bigEndian(magicBytes, 0);
        int expectedDims = expectedMagic & 0xFF;
        if (magic != expectedMagic) {
            throw new DatasetFormatException(file, String.format("magic 0x%08X is not %d (0x%08X): %s", magic, expectedMagic,
                    expectedMagic, describeMagic(magic, expectedDims)));
        }
        byte[] dimBytes = new byte[4 * expectedDims];
        n = readUpTo(in, dimBytes, 0, dimBytes.length);
        if (n < dimBytes.length) {
            throw truncated(file, 4L + n, 4L + dimBytes.length, "the header");
        }
        int[] dims = new int[expectedDims];
        for (int i = 0; i < expectedDims; i++) {
            dims[i] = bigEndian(dimBytes, 4 * i);
            if (dims[i] <= 0) {
                throw new DatasetFormatException(file, "dimension " + i + " is " + Integer.toUnsignedString(dims[i])
                        + "; every dimension must be between 1 and " + Integer.MAX_VALUE);
            }
        }
        return dims;
    }

    private static String describeMagic(int magic, int expectedDims) {
        if ((magic >>> 16) != 0) {
            return "not an IDX file (an IDX file starts with two zero bytes)";
        }
        int type = (magic >>> 8) & 0xFF;
        if (type != UNSIGNED_BYTE) {
            return String.format("element type 0x%02X is not unsigned byte (0x08)", type);
        }
        int dims = magic & 0xFF;
        String what = expectedDims == 1 ? "a labels file" : expectedDims == 3 ? "an images file" : "this file";
        return dims + " dimensions, but " + what + " has " + expectedDims;
    }

    private static int payloadSize(Path file, int[] dims) throws DatasetFormatException {
        long size = 1;
        for (int d : dims) {
            size *= d;
            if (size > MAX_ARRAY) {
                throw new DatasetFormatException(file, "dimensions " + text(dims) + " declare "
                        + declared(dims) + " bytes of data; one array holds at most " + MAX_ARRAY);
            }
        }
        return (int) size;
    }

    /**
     * Reads a compressed payload piece by piece, so that memory grows with the bytes the stream delivers rather than
     * with what the header declares; the pieces are joined into one array once all have arrived.
     */
    private static byte[] readBounded(Path file, InputStream in, int[] dims, int payload, long headerBytes, long expected)
            throws IOException {
        java.util.List<byte[]> pieces = new java.util.ArrayList<>();
        long total = 0;
        while (total < payload) {
            byte[] piece = new byte[(int) Math.min(PIECE, payload - total)];
            readPayload(file, in, piece, headerBytes + total, expected);
            pieces.add(piece);
            total += piece.length;
        }
        if (pieces.size() == 1) {
            return pieces.get(0);
        }
        byte[] data = ReadLimits.bytes(payload, "its dimensions " + text(dims),
                problem -> new DatasetFormatException(file, problem));
        int at = 0;
        for (byte[] piece : pieces) {
            System.arraycopy(piece, 0, data, at, piece.length);
            at += piece.length;
        }
        return data;
    }

    /** {@code dims} as {@code 60000x28x28}, for messages about shapes that may not be valid. */
    private static String text(int[] dims) {
        return java.util.Arrays.stream(dims).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining("x"));
    }

    /** The product of {@code dims}, exactly, however large. */
    private static String declared(int[] dims) {
        java.math.BigInteger n = java.math.BigInteger.ONE;
        for (int d : dims) {
            n = n.multiply(java.math.BigInteger.valueOf(d));
        }
        return n.toString();
    }

    private static void readPayload(Path file, InputStream in, byte[] data, long headerBytes, long expected) throws IOException {
        int total = 0;
        try {
            while (total < data.length) {
                int n = in.read(data, total, data.length - total);
                if (n < 0) {
                    break;
                }
                total += n;
            }
        } catch (EOFException e) {
            throw new DatasetFormatException(file, "gzip stream ends early: truncated at byte " + (headerBytes + total)
                    + " (expected " + expected + ") of the uncompressed data", e);
        }
        if (total < data.length) {
            throw truncated(file, headerBytes + total, expected);
        }
    }

    private static int readUpTo(InputStream in, byte[] buffer, int offset, int length) throws IOException {
        int total = 0;
        while (total < length) {
            int n = in.read(buffer, offset + total, length - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private static DatasetFormatException truncated(Path file, long at, long expected) {
        return new DatasetFormatException(file, "truncated at byte " + at + " (expected " + expected + ")");
    }

    private static DatasetFormatException truncated(Path file, long at, long expected, String what) {
        return new DatasetFormatException(file, "truncated at byte " + at + " (expected " + expected + " bytes of " + what + ")");
    }

    private static int bigEndian(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
