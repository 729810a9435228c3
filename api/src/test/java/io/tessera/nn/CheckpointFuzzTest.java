package io.tessera.nn;

import io.tessera.reference.ReferenceDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Damaged checkpoints: truncated at every offset, every bit flipped, and, with the checksum made to match again so
 * that the parser and the loader are what is tested, header fields at their limits, wrong types, shapes that
 * overflow, tensors of gigabytes declared in a small file, NaN and infinite weights and a negative batch-norm
 * variance. Each must end in a {@link CheckpointException} that names the file (or, for damage the format cannot see,
 * in the original model), within a time bound and allocating little, whatever the header declares.
 */
class CheckpointFuzzTest {
    private static final int FIXED = 16;
    private static final long SMALL_READ_BYTES = 4L << 20;
    private static final Duration GROUP_TIME = Duration.ofSeconds(60);

    private final ReferenceDevice device = new ReferenceDevice("ref");

    @TempDir
    Path dir;

    private byte[] original;
    private String header;
    private float[] weights;
    private int cases;

    @BeforeEach
    void save() throws IOException {
        SplittableRandom r = new SplittableRandom(1);
        Path file = dir.resolve("original.tsr");
        try (Sequential m = Sequential.of(new Flatten(), new Linear(12, 5, device, r), new BatchNorm1d(5, device), new ReLU(),
                new Linear(5, 3, device, r))) {
            Checkpoint.save(m, Map.of("input", "1x3x4"), file);
        }
        original = Files.readAllBytes(file);
        int length = ByteBuffer.wrap(original, 12, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        header = new String(original, FIXED, length, StandardCharsets.UTF_8);
        weights = loadedWeights(file);
    }

    @AfterEach
    void noLeaks() {
        assertEquals(0, device.liveAllocations(), "live allocations after the test");
    }

    private float[] loadedWeights(Path file) throws IOException {
        try (Sequential m = Checkpoint.load(file, device).model()) {
            return m.parameters().stream().flatMap(p -> java.util.stream.Stream.of(p.value().toFloatArray()))
                    .reduce(new float[0], CheckpointFuzzTest::concat);
        }
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Loads {@code bytes}: the error message, or null when it loaded (with the original weights, or the test fails). */
    private String load(String name, byte[] bytes, Checkpoint.ValueCheck check) throws IOException {
        Path file = dir.resolve("case-" + cases++ + ".tsr");
        Files.write(file, bytes);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        String message = null;
        try (Sequential m = Checkpoint.load(file, device, Checkpoint.factories(), check).model()) {
            assertTrue(m.parameters().size() > 0);
        } catch (CheckpointException e) {
            message = e.getMessage();
            assertTrue(message.contains(file.toString()), name + ": the error names the file: " + message);
            assertFalse(message.contains("overflow"), name + ": no arithmetic message without context: " + message);
        } catch (IOException | RuntimeException | Error e) {
            fail(name + ": " + e + " instead of a CheckpointException naming " + file, e);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated <= SMALL_READ_BYTES, name + ": allocated " + allocated + " bytes, more than " + SMALL_READ_BYTES);
        if (message == null && check == Checkpoint.ValueCheck.FINITE) {
            assertArrayEquals(weights, loadedWeights(file), name + ": loaded, but not as the original model");
        }
        Files.delete(file);
        return message;
    }

    private String refused(String name, byte[] bytes) throws IOException {
        String message = load(name, bytes, Checkpoint.ValueCheck.FINITE);
        if (message == null) {
            fail(name + ": loaded instead of being refused");
        }
        return message;
    }

    /** The file with its header rewritten by {@code edit}, its float values as they are, and a matching checksum. */
    private byte[] withHeader(UnaryOperator<String> edit) {
        byte[] text = edit.apply(header).getBytes(StandardCharsets.UTF_8);
        int valuesLength = original.length - FIXED - header.getBytes(StandardCharsets.UTF_8).length - 4;
        ByteBuffer b = ByteBuffer.allocate(FIXED + text.length + valuesLength + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(original, 0, 12).putInt(text.length).put(text).put(original, original.length - 4 - valuesLength, valuesLength);
        return withChecksum(b.array());
    }

    private static byte[] withChecksum(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 12, bytes.length - 16);
        ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
        return bytes;
    }

    /** The file with float {@code index} (counting over all tensors in header order) set to {@code value}. */
    private byte[] withValue(int index, float value) {
        byte[] bytes = original.clone();
        int at = FIXED + header.getBytes(StandardCharsets.UTF_8).length + 4 * index;
        ByteBuffer.wrap(bytes, at, 4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value);
        return withChecksum(bytes);
    }

    @Test
    void everyTruncationIsRefused() {
        assertTimeoutPreemptively(GROUP_TIME, () -> {
            for (int length = 0; length < original.length; length++) {
                refused("truncated to " + length, Arrays.copyOf(original, length));
            }
            refused("a byte more", Arrays.copyOf(original, original.length + 1));
        });
    }

    @Test
    void everyBitFlipIsRefusedOrChangesNothing() {
        assertTimeoutPreemptively(GROUP_TIME, () -> {
            int loaded = 0;
            for (int bit = 0; bit < original.length * 8; bit++) {
                byte[] flipped = original.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                if (load("bit " + bit, flipped, Checkpoint.ValueCheck.FINITE) == null) {
                    loaded++;
                    // Only the version field lies outside the checksum: version 3 read as 1 or 2 is the same model.
                    assertTrue(bit / 8 >= 8 && bit / 8 < 12, "bit " + bit + " flipped and still loaded");
                }
            }
            assertTrue(loaded <= 2, loaded + " flips loaded");
        });
    }

    @Test
    void headerFieldsAtTheirLimitsAreRefused() {
        assertTimeoutPreemptively(GROUP_TIME, () -> {
            String[] shapes = {"0x12", "-1x12", "5x", "x", "5xabc", "5x12x", "1x1x1x1x1x1x1x1x60", "2147483648x1",
                    "2147483647x2147483647", "65536x65536x65536"};
            for (String shape : shapes) {
                String message = refused("shape " + shape, withHeader(h -> h.replace("param weight float32 5x12", "param weight float32 " + shape)));
                assertTrue(message.contains("header line 4"), message);
            }
            for (String type : new String[] {"float64", "int8", "FLOAT32", ""}) {
                refused("type " + type, withHeader(h -> h.replace("param weight float32 5x12", "param weight " + type + " 5x12")));
            }
            refused("a layer of unknown type", withHeader(h -> h.replace("layer ReLU", "layer Bogus")));
            refused("a bad layer argument", withHeader(h -> h.replace("in=12 out=5", "in=12 out=five")));
            refused("a missing parameter", withHeader(h -> h.replace("param bias float32 3\n", "")));
            refused("a parameter of another shape", withHeader(h -> h.replace("param weight float32 3x5", "param weight float32 5x3")));
            refused("no layers", withHeader(h -> "meta input 1x3x4\n"));
            refused("control characters", withHeader(h -> h.replace("layer ReLU", "layer Re\u0000\u001bLU")));
            refused("a keyed record without a value", withHeader(h -> h.replace("meta input 1x3x4", "meta input")));
            byte[] notUtf8 = withHeader(h -> h.replace("layer ReLU", "layer R\u00e9LU"));
            int at = indexOf(notUtf8, "R\u00e9LU".getBytes(StandardCharsets.UTF_8));
            notUtf8[at + 1] = (byte) 0xFF;
            refused("bytes that are not UTF-8", withChecksum(notUtf8));
        });
    }

    @Test
    void gigabyteTensorsDeclaredInASmallFileAreRefusedBeforeAllocating() {
        assertTimeoutPreemptively(GROUP_TIME, () -> {
            String message = refused("2.4 GB declared", withHeader(h -> h.replace("param weight float32 5x12", "param weight float32 30000x20000")));
            assertTrue(message.contains("600000000") && message.contains("536870909"), message);
            message = refused("1.6 GB declared", withHeader(h -> h.replace("param weight float32 5x12", "param weight float32 20000x20000")));
            assertTrue(message.contains("truncated") && message.contains("400000043 float32 values"), message);
            byte[] headerLength = original.clone();
            ByteBuffer.wrap(headerLength, 12, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(-1);
            message = refused("a 4 GB header declared", headerLength);
            assertTrue(message.contains("4294967295"), message);
        });
    }

    @Test
    void nonFiniteWeightsAndNegativeVariancesAreRefusedNamingTheParameter() {
        assertTimeoutPreemptively(GROUP_TIME, () -> {
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                String message = refused("weight " + bad, withValue(7, bad));
                assertTrue(message.contains("weight") && message.contains("Linear"), message);
                assertEquals(null, load("weight " + bad + " allowed", withValue(7, bad), Checkpoint.ValueCheck.NONE));
            }
            // Floats: Linear 60 + 5, BatchNorm weight 5, bias 5, running_mean 5, running_var 5, ...
            String message = refused("negative variance", withValue(65 + 15 + 2, -0.5f));
            assertTrue(message.contains("running_var") && message.contains("BatchNorm1d"), message);
        });
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("not found");
    }
}
