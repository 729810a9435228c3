package io.tessera.nn;

import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.tck.reference.ReferenceDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
