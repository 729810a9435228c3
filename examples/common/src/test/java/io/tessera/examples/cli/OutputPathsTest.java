package io.tessera.examples.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training commands' output flags are checked when the flags are parsed, before any training. */
class OutputPathsTest {
    @TempDir
    Path dir;

    private static Options trainingOptions() {
        Options options = new Options("train", "Trains.");
        TrainingFlags.checkpoints(options);
        return TrainingFlags.dataAndOutputs(options, "1", "seed");
    }

    private UsageException refused(String... args) {
        return assertThrows(UsageException.class, () -> trainingOptions().parse(args));
    }

    private static void assertMentions(UsageException e, String... words) {
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "'" + w + "' not in: " + e.getMessage());
        }
    }

    @Test
    void twoOutputsNamingOneFileAreRefusedNamingBothFlags() {
        String m = dir.resolve("m.ckpt").toString();
        assertMentions(refused("--save", m, "--plot", m), "--save", "--plot", m);
        assertMentions(refused("--save", m, "--json", dir.resolve(".").resolve("m.ckpt").toString()), "--save", "--json");
    }

    @Test
    void anOutputThatIsAnInputIsRefused() throws Exception {
        Path ckpt = Files.createDirectories(dir.resolve("ckpt"));
        assertMentions(refused("--checkpoint-dir", ckpt.toString(), "--json", ckpt.toString()), "--json", "folder");
        Path future = dir.resolve("later");
        assertMentions(refused("--checkpoint-dir", future.toString(), "--save", future.toString()), "--save", "--checkpoint-dir");
        assertMentions(refused("--data", future.toString(), "--plot", future.toString()), "--plot", "--data");
    }

    @Test
    void anOutputInAMissingOrReadOnlyFolderIsRefused() throws Exception {
        Path missing = dir.resolve("no-such-folder").resolve("m.ckpt");
        assertMentions(refused("--save", missing.toString()), "--save", "does not exist", dir.resolve("no-such-folder").toString());
        Path readOnly = Files.createDirectories(dir.resolve("ro"));
        if (readOnly.toFile().setWritable(false) && !Files.isWritable(readOnly)) {
            assertMentions(refused("--json", readOnly.resolve("r.json").toString()), "--json", "not writable");
        } else {
            System.out.println("skipped the read-only folder case: this user can write to any folder");
        }
        readOnly.toFile().setWritable(true);
    }

    @Test
    void anOutputThatIsAFolderOrADeviceIsRefused() {
        assertMentions(refused("--save", dir.toString()), "--save", "is a folder");
        if (Files.exists(Path.of("/dev/null"))) {
            assertMentions(refused("--json", "/dev/null"), "--json", "not a regular file");
        }
    }

    @Test
    void goodOutputsPassAndHelpSkipsTheChecks() {
        assertDoesNotThrow(() -> trainingOptions().parse("--save", dir.resolve("m.ckpt").toString(), "--plot",
                dir.resolve("m.png").toString(), "--json", dir.resolve("m.json").toString(), "--checkpoint-dir", dir.resolve("c").toString()));
        assertDoesNotThrow(() -> trainingOptions().parse("--save", dir.toString(), "--help"));
    }
}
