package io.tessera.nn;

import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.reference.ReferenceDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {
    private final ReferenceDevice device = new ReferenceDevice("ref");

    @TempDir
    Path dir;

    @AfterEach
    void noLeaks() {
        assertEquals(0, device.liveAllocations(), "live allocations after the test");
    }

    private Sequential model(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return Sequential.of(new Flatten(), new Linear(12, 5, device, r), new ReLU(), new Linear(5, 3, device, r));
    }

    private static float[] predict(Sequential m, Device d) {
        float[] x = new float[2 * 12];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 7) / 7f - 0.3f;
        }
        try (Tensor in = d.of(x, Shape.of(2, 1, 3, 4))) {
            return m.forward(in).toFloatArray();
        }
    }

    @Test
    void roundTripKeepsArchitectureWeightsAndMetadata() throws IOException {
        Path file = dir.resolve("model.tsr");
        try (Sequential original = model(1)) {
            Checkpoint.save(original, Map.of("input", "1x3x4", "dataset", "unit test"), file);
            Checkpoint.Loaded loaded = Checkpoint.load(file, device);
            try (Sequential copy = loaded.model()) {
                assertEquals(original.toString(), copy.toString());
                assertEquals("1x3x4", loaded.metadata().get("input"));
                assertEquals("unit test", loaded.metadata().get("dataset"));
                assertArrayEquals(predict(original, device), predict(copy, device));
            }
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left beside the checkpoint");
        }
    }

    @Test
    void truncatedFileFailsNamingTheProblem() throws IOException {
        Path file = dir.resolve("model.tsr");
        try (Sequential m = model(2)) {
            Checkpoint.save(m, Map.of(), file);
        }
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 40));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file, device));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void flippedByteFailsTheChecksum() throws IOException {
        Path file = dir.resolve("model.tsr");
        try (Sequential m = model(3)) {
            Checkpoint.save(m, Map.of(), file);
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 20] ^= 0x10;
        Files.write(file, bytes);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file, device));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void otherFilesAndNewerVersionsAreRejected() throws IOException {
        Path png = dir.resolve("not-a-model.png");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 0});
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(png, device));
        assertTrue(e.getMessage().contains("not a Tessera checkpoint"), e.getMessage());

        Path file = dir.resolve("model.tsr");
        try (Sequential m = model(4)) {
            Checkpoint.save(m, Map.of(), file);
        }
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(99);
        Files.write(file, bytes);
        e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file, device));
        assertTrue(e.getMessage().contains("version 99"), e.getMessage());
    }

    @Test
    void unknownLayerTypeIsNamed() throws IOException {
        Path file = dir.resolve("model.tsr");
        try (Sequential m = model(5)) {
            Checkpoint.save(m, Map.of(), file);
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file, device, Map.of()));
        assertTrue(e.getMessage().contains("'Flatten'"), e.getMessage());
    }

    @Test
    void missingFileSaysSo() {
        Path file = dir.resolve("absent.tsr");
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(file, device));
        assertTrue(e.getMessage().contains("absent.tsr"), e.getMessage());
    }

    private Sequential cnn(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return Sequential.of(new Conv2d(1, 3, 3, 1, 1, device, r), new BatchNorm2d(3, 1e-4, 0.3, device), new ReLU(),
                new MaxPool2d(2), new Dropout(0.25, 0x1234_5678_9abcL), new Flatten(), new Linear(12, 4, device, r),
                new BatchNorm1d(4, device));
    }

    @Test
    void cnnWithBatchNormRoundTripsRunningStatisticsExactly() throws IOException {
        Path file = dir.resolve("cnn.tsr");
        float[] x = new float[3 * 16];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 5) / 2f - 0.7f;
        }
        try (Sequential original = cnn(11); Tensor input = device.of(x, Shape.of(3, 1, 4, 4))) {
            original.train();
            for (int step = 0; step < 3; step++) {
                original.forward(input);
            }
            Checkpoint.save(original, Map.of("input", "1x4x4"), file);
            Checkpoint.Loaded loaded = Checkpoint.load(file, device);
            try (Sequential copy = loaded.model()) {
                assertEquals(original.toString(), copy.toString());
                List<Buffer> expected = original.buffers();
                List<Buffer> actual = copy.buffers();
                assertEquals(4, actual.size());
                for (int i = 0; i < expected.size(); i++) {
                    assertEquals(expected.get(i).name(), actual.get(i).name());
                    assertArrayEquals(expected.get(i).value().toFloatArray(), actual.get(i).value().toFloatArray(),
                            "buffer " + i + " (" + expected.get(i).name() + ") restored bit for bit");
                }
                assertNotEquals(0f, expected.get(0).value().toFloatArray()[0], "the running mean moved during training");
                for (int i = 0; i < original.layers().size(); i++) {
                    assertEquals(original.layers().get(i).spec(), copy.layers().get(i).spec(), "spec of layer " + i);
                }
                original.eval();
                copy.eval();
                assertArrayEquals(original.forward(input).toFloatArray(), copy.forward(input).toFloatArray());
            }
        }
        String header = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        assertTrue(header.contains("buffer running_var float32 3\n"), header);
        assertEquals(Checkpoint.VERSION, ByteBuffer.wrap(Files.readAllBytes(file), 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
    }

    /** A version-1 file, written here byte by byte as the version-1 writer did (no buffer records), still loads. */
    @Test
    void versionOneFileStillLoads() throws IOException {
        float[] w1 = new float[12 * 5];
        for (int i = 0; i < w1.length; i++) {
            w1[i] = (i % 9) / 9f - 0.4f;
        }
        float[] b1 = {0.1f, -0.2f, 0.3f, -0.4f, 0.5f};
        float[] w2 = new float[5 * 3];
        for (int i = 0; i < w2.length; i++) {
            w2[i] = (i % 4) / 4f - 0.3f;
        }
        float[] b2 = {0.01f, 0.02f, 0.03f};
        String header = "meta input 1x3x4\nlayer Flatten\nlayer Linear in=12 out=5\nparam weight float32 5x12\n"
                + "param bias float32 5\nlayer ReLU\nlayer Linear in=5 out=3\nparam weight float32 3x5\nparam bias float32 3\n";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int floats = w1.length + b1.length + w2.length + b2.length;
        ByteBuffer buf = ByteBuffer.allocate(8 + 4 + 4 + h.length + 4 * floats + 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.put("TSRACKPT".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(h.length).put(h);
        for (float[] v : new float[][] {w1, b1, w2, b2}) {
            for (float f : v) {
                buf.putFloat(f);
            }
        }
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(buf.array(), 12, buf.position() - 12);
        buf.putInt((int) crc.getValue());
        Path file = dir.resolve("v1.tsr");
        Files.write(file, buf.array());

        Checkpoint.Loaded loaded = Checkpoint.load(file, device);
        try (Sequential model = loaded.model()) {
            assertEquals("Sequential(Flatten(), Linear(12, 5), ReLU(), Linear(5, 3))", model.toString());
            assertEquals("1x3x4", loaded.metadata().get("input"));
            assertArrayEquals(w1, model.parameters().get(0).value().toFloatArray());
            assertArrayEquals(b2, model.parameters().get(3).value().toFloatArray());
            assertTrue(model.buffers().isEmpty());
        }
    }

    @Test
    void bufferRecordsInAVersionOneFileAreRejected() throws IOException {
        Path file = dir.resolve("cnn.tsr");
        try (Sequential m = cnn(12)) {
            Checkpoint.save(m, Map.of(), file);
        }
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(1);
        Files.write(file, bytes);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file, device));
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
    }
}
