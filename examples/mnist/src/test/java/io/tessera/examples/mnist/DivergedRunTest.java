package io.tessera.examples.mnist;

import io.tessera.examples.data.SyntheticMnist;
import io.tessera.train.TrainingDivergedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tessera mnist --lr 1e30} (which holds 10,000 training images out for validation) stops with an error and leaves the model file and the checkpoints as they were. */
class DivergedRunTest {
    @TempDir
    Path dir;

    @Test
    void aDivergedRunFailsAndLeavesTheSavedModelUntouched() throws Exception {
        Path data = SyntheticMnist.write(dir.resolve("data").resolve("mnist"), 10_256, 64);
        Path model = dir.resolve("good.tsr");
        byte[] good = "a model from an earlier, good run".getBytes(StandardCharsets.US_ASCII);
        Files.write(model, good);
        Path checkpoints = dir.resolve("checkpoints");
        MnistCommand command = new MnistCommand();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> command.train(command.options().parse(
                "--device", "cpu", "--data", data.getParent().toString(), "--epochs", "2", "--lr", "1e30", "--batch-size", "128",
                "--save", model.toString(), "--checkpoint-dir", checkpoints.toString()), new PrintStream(log, true, StandardCharsets.UTF_8), false));
        assertTrue(e.getMessage().contains("epoch 1:") && e.getMessage().contains("--lr"), e.getMessage());
        assertArrayEquals(good, Files.readAllBytes(model), "the model file was replaced");
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "a temporary file was left");
        }
        assertTrue(!Files.exists(checkpoints) || isEmpty(checkpoints), "a checkpoint of the diverged run was written");
        assertFalse(log.toString(StandardCharsets.UTF_8).contains("Saved the model"), log.toString(StandardCharsets.UTF_8));
    }

    private static boolean isEmpty(Path folder) throws Exception {
        try (var files = Files.list(folder)) {
            return files.findAny().isEmpty();
        }
    }
}
