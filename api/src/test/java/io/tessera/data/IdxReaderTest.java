package io.tessera.data;

import io.tessera.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;

import static io.tessera.data.TestData.gzip;
import static io.tessera.data.TestData.idx;
import static io.tessera.data.TestData.labels;
import static io.tessera.data.TestData.pixels;
import static io.tessera.data.TestData.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {
    private static final int IMAGES = 0x00000803;
    private static final int LABELS = 0x00000801;

    @TempDir
    Path dir;

    @Test
    void readsRawImages() throws IOException {
        byte[] payload = pixels(5, 3, 4);
        Path file = write(dir, "images-idx3-ubyte", idx(IMAGES, new int[] {5, 3, 4}, payload));

        IdxFile images = IdxReader.readImages(file);

        assertArrayEquals(new int[] {5, 3, 4}, images.dims());
        assertEquals(5, images.count());
        assertEquals(12, images.itemSize());
        assertArrayEquals(payload, images.data());
        assertEquals(file, images.source());
    }

    @Test
    void readsGzipImagesAndLabels() throws IOException {
        byte[] payload = pixels(5, 3, 4);
        Path images = write(dir, "images-idx3-ubyte.gz", gzip(idx(IMAGES, new int[] {5, 3, 4}, payload)));
        Path labels = write(dir, "labels-idx1-ubyte.gz", gzip(idx(LABELS, new int[] {5}, labels(5, 10))));

        assertArrayEquals(payload, IdxReader.readImages(images).data());
        IdxFile y = IdxReader.readLabels(labels);
        assertArrayEquals(new int[] {5}, y.dims());
        assertEquals(1, y.itemSize());
        assertArrayEquals(labels(5, 10), y.data());
    }

    @Test
    void detectsGzipByContentNotByName() throws IOException {
        byte[] payload = labels(7, 10);
        Path gzipWithoutSuffix = write(dir, "labels-idx1-ubyte", gzip(idx(LABELS, new int[] {7}, payload)));
        Path rawWithGzSuffix = write(dir, "raw.gz", idx(LABELS, new int[] {7}, payload));

        assertArrayEquals(payload, IdxReader.readLabels(gzipWithoutSuffix).data());
        assertArrayEquals(payload, IdxReader.readLabels(rawWithGzSuffix).data());
    }

    @Test
    void readsADatasetScaledLikeToTensor() throws IOException {
        byte[] payload = new byte[256];
        for (int i = 0; i < 256; i++) {
            payload[i] = (byte) i;
        }
        Path images = write(dir, "i.gz", gzip(idx(IMAGES, new int[] {4, 8, 8}, payload)));
        Path labels = write(dir, "l", idx(LABELS, new int[] {4}, new byte[] {3, 1, 4, 1}));

        InMemoryDataset data = IdxReader.readDataset(images, labels, 10);

        assertEquals(4, data.size());
        assertEquals(Shape.of(1, 8, 8), data.featureShape());
        assertEquals(10, data.numClasses());
        FloatBuffer out = ByteBuffer.allocateDirect(256 * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        int[] y = new int[4];
        data.gather(new int[] {0, 1, 2, 3}, 0, 4, out, y, 0);
        for (int i = 0; i < 256; i++) {
            assertEquals((float) i / 255f, out.get(i), "pixel value " + i);
        }
        assertEquals(0f, out.get(0));
        assertEquals(1f, out.get(255));
        assertArrayEquals(new int[] {3, 1, 4, 1}, y);
    }

    @Test
    void rejectsTheWrongMagic() throws IOException {
        Path images = write(dir, "images", idx(IMAGES, new int[] {2, 2, 2}, new byte[8]));

        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.readLabels(images));

        assertMessage(e, images, "magic 0x00000803 is not 2049");
        assertEquals(images, e.file());
    }

    @Test
    void rejectsAFileThatIsNotIdx() throws IOException {
        Path text = write(dir, "notes.txt", "hello, world".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(text));

        assertMessage(e, text, "is not 2051", "not an IDX file");
    }

    @Test
    void rejectsAnElementTypeOtherThanUnsignedByte() throws IOException {
        Path floats = write(dir, "floats", idx(0x00000D03, new int[] {1, 1, 1}, new byte[4]));

        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(floats));

        assertMessage(e, floats, "magic 0x00000D03 is not 2051", "element type 0x0D");
    }

    @Test
    void rejectsTheWrongNumberOfDimensions() throws IOException {
        Path twoDims = write(dir, "two-dims", idx(0x00000802, new int[] {3, 4}, new byte[12]));

        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(twoDims));

        assertMessage(e, twoDims, "magic 0x00000802 is not 2051", "2 dimensions, but an images file has 3");
    }

    @Test
    void rejectsAZeroDimension() throws IOException {
        Path empty = write(dir, "zero", idx(IMAGES, new int[] {4, 0, 28}, new byte[0]));

        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(empty));

        assertMessage(e, empty, "dimension 1 is 0");
    }

    @Test
    void rejectsDimensionsTooLargeForAnArray() throws IOException {
        Path huge = write(dir, "huge", idx(IMAGES, new int[] {70_000, 1000, 1000}, new byte[0]));

        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(huge));

        assertMessage(e, huge, "dimensions 70000x1000x1000", "one array holds at most");
    }

    @Test
    void rejectsATruncatedRawBodyWithTheByteCount() throws IOException {
        byte[] full = idx(IMAGES, new int[] {10, 28, 28}, new byte[7840]);
        Path cut = write(dir, "cut-idx3-ubyte", Arrays.copyOf(full, 1000));

        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(cut));

        assertMessage(e, cut, "truncated at byte 1000 (expected 7856)");
    }

    @Test
    void rejectsATruncatedBodyInsideGzipWithTheByteCount() throws IOException {
        byte[] full = idx(IMAGES, new int[] {10, 28, 28}, new byte[7840]);
        Path cut = write(dir, "cut.gz", gzip(Arrays.copyOf(full, 1000)));

        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(cut));

        assertMessage(e, cut, "truncated at byte 1000 (expected 7856)");
    }

    @Test
    void rejectsACutGzipStream() throws IOException {
        byte[] compressed = gzip(idx(IMAGES, new int[] {10, 28, 28}, pixels(10, 28, 28)));
        Path cut = write(dir, "cut-stream.gz", Arrays.copyOf(compressed, compressed.length / 2));

        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(cut));

        assertMessage(e, cut, "gzip stream ends early", "(expected 7856)");
    }

    @Test
    void rejectsATruncatedHeader() throws IOException {
        Path cut = write(dir, "header", Arrays.copyOf(idx(IMAGES, new int[] {10, 28, 28}, new byte[0]), 9));

        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(cut));

        assertMessage(e, cut, "truncated at byte 9 (expected 16 bytes of the header)");
    }

    @Test
    void rejectsAnEmptyFile() throws IOException {
        Path empty = write(dir, "empty", new byte[0]);

        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.readLabels(empty));

        assertMessage(e, empty, "truncated at byte 0");
    }

    @Test
    void rejectsTrailingBytes() throws IOException {
        byte[] full = idx(LABELS, new int[] {3}, new byte[] {1, 2, 3});
        byte[] longer = Arrays.copyOf(full, full.length + 5);
        Path raw = write(dir, "long", longer);
        Path gz = write(dir, "long.gz", gzip(longer));

        assertMessage(assertThrows(DatasetFormatException.class, () -> IdxReader.readLabels(raw)), raw,
                "has 5 bytes after the data its header describes");
        assertMessage(assertThrows(DatasetFormatException.class, () -> IdxReader.readLabels(gz)), gz, "has data after byte 11");
    }

    @Test
    void rejectsALabelCountThatDiffersFromTheImageCount() throws IOException {
        Path images = write(dir, "images", idx(IMAGES, new int[] {6, 2, 2}, new byte[24]));
        Path labels = write(dir, "labels", idx(LABELS, new int[] {5}, labels(5, 10)));

        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.readDataset(images, labels, 10));

        assertMessage(e, labels, "5 labels for 6 images");
    }

    @Test
    void rejectsALabelOutsideTheClasses() throws IOException {
        Path images = write(dir, "images", idx(IMAGES, new int[] {6, 2, 2}, new byte[24]));
        Path labels = write(dir, "labels", idx(LABELS, new int[] {6}, new byte[] {0, 1, 2, 3, 4, 12}));

        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.readDataset(images, labels, 10));

        assertMessage(e, labels, "label 12 at index 5 is outside 0..9");
    }

    @Test
    void reportsAMissingFileAsAnIoError() {
        Path missing = dir.resolve("missing.gz");

        IOException e = assertThrows(IOException.class, () -> IdxReader.readImages(missing));

        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    private static void assertMessage(Exception e, Path file, String... parts) {
        String message = e.getMessage();
        assertTrue(message.startsWith(file.toString()), "message should start with the file: " + message);
        for (String part : parts) {
            assertTrue(message.contains(part), "message should contain '" + part + "': " + message);
        }
    }
}
