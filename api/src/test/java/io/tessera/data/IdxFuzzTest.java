package io.tessera.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Damaged IDX files, raw and gzip-compressed: truncated at every offset, every bit of the headers flipped, header
 * fields at their limits, wrong element types and dimension counts, shapes whose size overflows, and compressed files
 * whose header promises far more than they hold. Each must end in a {@link DatasetFormatException} that names the
 * file (or, for damage that leaves a well-formed file, in a correct read), within a time bound and without
 * allocating more than a bound, whatever the header declares.
 */
class IdxFuzzTest {
    private static final int COUNT = 7;
    private static final int ROWS = 5;
    private static final int COLS = 4;
    /** Reading a file of a few hundred bytes needs its buffers and little else. */
    private static final long SMALL_READ_BYTES = 4L << 20;
    private static final Duration GROUP_TIME = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private int cases;

    private static byte[] images(int count, int rows, int cols, long seed) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols).putInt(IdxFile.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols);
        SplittableRandom r = new SplittableRandom(seed);
        while (b.hasRemaining()) {
            b.put((byte) r.nextInt(256));
        }
        return b.array();
    }

    private static byte[] header(int magic, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length).putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Reads {@code bytes} as an images file: the file read, or null after the clear error the test expects. */
    private IdxFile read(String name, byte[] bytes, long maxAllocated) throws IOException {
        Path file = dir.resolve(name + "-" + cases++);
        Files.write(file, bytes);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        IdxFile result = null;
        try {
            result = IdxReader.readImages(file);
        } catch (DatasetFormatException e) {
            assertTrue(e.getMessage().startsWith(file.toString()), "the error names the file: " + e.getMessage());
            assertTrue(e.file().equals(file));
            assertFalse(e.getMessage().contains("overflow"), "no arithmetic message without context: " + e.getMessage());
        } catch (IOException | RuntimeException | Error e) {
            fail(name + ": " + e + " instead of a DatasetFormatException naming " + file, e);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated <= maxAllocated, name + ": allocated " + allocated + " bytes, more than " + maxAllocated);
        Files.delete(file);
        return result;
    }

    private void assertRefused(String name, byte[] bytes) throws IOException {
        IdxFile f = read(name, bytes, SMALL_READ_BYTES);
        if (f != null) {
            fail(name + ": read as " + Arrays.toString(f.dims()) + " instead of being refused");
        }
    }

    @Test
    void everyTruncationIsRefused() {
        assertTimeoutPreemptively(GROUP_TIME, () -> {
            byte[] raw = images(COUNT, ROWS, COLS, 1);
            byte[] gz = gzip(raw);
            for (int length = 0; length < raw.length; length++) {
                assertRefused("raw truncated to " + length, Arrays.copyOf(raw, length));
            }
            for (int length = 0; length < gz.length; length++) {
                assertRefused("gzip truncated to " + length, Arrays.copyOf(gz, length));
            }
            assertRefused("raw with a byte more", Arrays.copyOf(raw, raw.length + 1));
            assertRefused("gzip of a byte more", gzip(Arrays.copyOf(raw, raw.length + 1)));
        });
    }

    @Test
    void everyHeaderBitFlipIsRefusedAndPayloadFlipsReadAsData() {
        assertTimeoutPreemptively(GROUP_TIME, () -> {
            byte[] raw = images(COUNT, ROWS, COLS, 2);
            for (int bit = 0; bit < 16 * 8; bit++) {
                assertRefused("raw header bit " + bit, flip(raw, bit));
            }
            SplittableRandom r = new SplittableRandom(3);
            for (int i = 0; i < 50; i++) {
                int bit = 16 * 8 + r.nextInt((raw.length - 16) * 8);
                byte[] flipped = flip(raw, bit);
                IdxFile f = read("raw payload bit " + bit, flipped, SMALL_READ_BYTES);
                assertNotNull(f, "a raw payload flip leaves a well-formed file");
                assertArrayEquals(Arrays.copyOfRange(flipped, 16, flipped.length), f.data());
            }
        });
    }

    @Test
    void bitFlipsOfTheCompressedFileAreRefusedOrChangeNothing() {
        assertTimeoutPreemptively(GROUP_TIME, () -> {
            byte[] raw = images(COUNT, ROWS, COLS, 4);
            byte[] gz = gzip(raw);
            int refused = 0;
            for (int bit = 0; bit < gz.length * 8; bit++) {
                byte[] flipped = flip(gz, bit);
                if (bit / 8 < 3) {
                    assertRefused("gzip magic or method bit " + bit, flipped);
                    refused++;
                    continue;
                }
                // Flags, time stamp, OS byte and a stored block's padding bits may change harmlessly; never into other data.
                IdxFile f = read("gzip bit " + bit, flipped, SMALL_READ_BYTES);
                if (f == null) {
                    refused++;
                } else {
                    assertArrayEquals(Arrays.copyOfRange(raw, 16, raw.length), f.data(), "gzip bit " + bit + " read as other data");
                }
            }
            assertTrue(refused > gz.length * 8 * 9 / 10, refused + " of " + gz.length * 8 + " flips refused");
        });
    }

    @Test
    void headerFieldsAtTheirLimitsAreRefused() {
        assertTimeoutPreemptively(GROUP_TIME, () -> {
            int[] limits = {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 1 << 30};
            int[] good = {COUNT, ROWS, COLS};
            byte[] payload = Arrays.copyOfRange(images(COUNT, ROWS, COLS, 5), 16, 16 + COUNT * ROWS * COLS);
            for (int dim = 0; dim < 3; dim++) {
                for (int limit : limits) {
                    int[] dims = good.clone();
                    dims[dim] = limit;
                    byte[] raw = concat(header(IdxFile.IMAGES_MAGIC, dims), payload);
                    assertRefused("raw dims " + Arrays.toString(dims), raw);
                    assertRefused("gzip dims " + Arrays.toString(dims), gzip(raw));
                }
            }
            int max = Integer.MAX_VALUE;
            byte[] huge = concat(header(IdxFile.IMAGES_MAGIC, max, max, max), payload);
            String message = refusal("raw dims of 2^93 bytes", huge);
            assertTrue(message.contains("2147483647x2147483647x2147483647") && message.contains("9903520300447984150353281023")
                    && message.contains(Integer.toString(Integer.MAX_VALUE - 8)), message);
            assertRefused("gzip dims of 2^93 bytes", gzip(huge));
        });
    }

    @Test
    void wrongTypesAndDimensionCountsAreRefused() {
        assertTimeoutPreemptively(GROUP_TIME, () -> {
            byte[] payload = Arrays.copyOfRange(images(COUNT, ROWS, COLS, 6), 16, 16 + COUNT * ROWS * COLS);
            for (int type : new int[] {0x09, 0x0B, 0x0C, 0x0D, 0x0E, 0x00, 0xFF}) {
                byte[] raw = concat(header(type << 8 | 3, COUNT, ROWS, COLS), payload);
                String message = refusal("element type " + type, raw);
                assertTrue(message.contains("element type") || message.contains("not an IDX"), message);
            }
            for (int dims = 0; dims <= 5; dims++) {
                if (dims != 3) {
                    assertRefused(dims + " dimensions", concat(header(0x0800 | dims, COUNT, ROWS, COLS), payload));
                }
            }
            assertRefused("a labels file", concat(header(IdxFile.LABELS_MAGIC, COUNT), new byte[COUNT]));
            assertRefused("a PNG", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13});
            assertRefused("text", "hello, world\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertRefused("gzip of nothing", gzip(new byte[0]));
        });
    }

    @Test
    void aSmallCompressedFileDeclaringGigabytesIsRefusedBeforeAllocating() {
        assertTimeoutPreemptively(GROUP_TIME, () -> {
            byte[] lying = concat(header(IdxFile.IMAGES_MAGIC, 2_000_000, 28, 28), new byte[784]);
            String message = refusal("1.5 GB declared in a tiny gzip", gzip(lying));
            assertTrue(message.contains("1568000016") && message.contains("at most"), message);
        });
    }

    @Test
    void anIncompressibleFileDeclaringMoreThanItHoldsCostsOnlyWhatItHolds() {
        assertTimeoutPreemptively(GROUP_TIME, () -> {
            byte[] noise = new byte[1 << 20];
            new SplittableRandom(7).nextBytes(noise);
            byte[] gz = gzip(concat(header(IdxFile.IMAGES_MAGIC, 1_300_000, 28, 28), noise));
            long declared = 1_300_000L * 784;
            assertTrue(declared < 1032L * gz.length, "the declared size passes the compression-ratio check, so the bounded read is what is tested");
            IdxFile f = read("1 GB declared over 1 MB of noise", gz, 48L << 20);
            assertTrue(f == null, "refused");
        });
    }

    private String refusal(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name.replace(' ', '-') + "-" + cases++);
        Files.write(file, bytes);
        try {
            IdxFile f = IdxReader.readImages(file);
            return fail(name + ": read as " + Arrays.toString(f.dims()));
        } catch (DatasetFormatException e) {
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            return e.getMessage();
        }
    }

    private static byte[] flip(byte[] bytes, int bit) {
        byte[] out = bytes.clone();
        out[bit / 8] ^= (byte) (1 << (bit % 8));
        return out;
    }
}
