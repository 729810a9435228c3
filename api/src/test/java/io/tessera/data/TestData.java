package io.tessera.data;

import io.tessera.Shape;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Synthetic IDX files and datasets whose samples say which index they are. */
final class TestData {
    private TestData() {
    }

    /** An IDX file: the magic number, the dimensions and the payload, as raw bytes. */
    static byte[] idx(int magic, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(payload);
        return b.array();
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** {@code count} images of {@code rows x cols}, pixel {@code k} of image {@code i} being {@code (i * 7 + k) % 256}. */
    static byte[] pixels(int count, int rows, int cols) {
        byte[] p = new byte[count * rows * cols];
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < rows * cols; k++) {
                p[i * rows * cols + k] = (byte) ((i * 7 + k) % 256);
            }
        }
        return p;
    }

    static byte[] labels(int count, int numClasses) {
        byte[] l = new byte[count];
        for (int i = 0; i < count; i++) {
            l[i] = (byte) (i % numClasses);
        }
        return l;
    }

    /**
     * {@code n} samples (up to 65536) of shape {@code 1x1x2} whose two features encode the sample's index
     * ({@link #indexOf}), labelled {@code index % 10}.
     */
    static InMemoryDataset indexed(int n) {
        byte[] pixels = new byte[2 * n];
        for (int i = 0; i < n; i++) {
            pixels[2 * i] = (byte) (i >>> 8);
            pixels[2 * i + 1] = (byte) i;
        }
        return new InMemoryDataset(pixels, Shape.of(1, 1, 2), labels(n, 10), 10);
    }

    /** The index encoded by sample row {@code row} of features gathered from {@link #indexed}. */
    static int indexOf(FloatBuffer features, int row) {
        return Math.round(features.get(2 * row) * 255f) << 8 | Math.round(features.get(2 * row + 1) * 255f);
    }

    static int indexOf(float[] features, int row) {
        return Math.round(features[2 * row] * 255f) << 8 | Math.round(features[2 * row + 1] * 255f);
    }
}
