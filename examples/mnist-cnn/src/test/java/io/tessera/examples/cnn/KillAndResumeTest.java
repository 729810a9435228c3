package io.tessera.examples.cnn;

import io.tessera.examples.data.SyntheticMnist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tessera mnist-cnn --checkpoint-dir D --resume}, killed with SIGKILL at random moments (and on purpose while a
 * checkpoint is being written) in a child JVM, resumed each time, ends with the model an uninterrupted run saves, byte
 * for byte: the batch-norm net with dropout, random shifts, shuffling and Adam, on a small synthetic MNIST in IDX files.
 */
class KillAndResumeTest {
    private static final int KILLS = 6;

    @TempDir
    Path dir;

    @Test
    void killedAndResumedRunEndsWithTheUninterruptedRunsWeights() throws Exception {
        Path data = SyntheticMnist.write(dir.resolve("data").resolve("mnist"), 640, 160);
        List<String> run = List.of("mnist-cnn", "--model", "bn", "--device", "cpu", "--data", data.getParent().toString(), "--epochs", "3",
                "--batch-size", "32", "--max-batches", "6", "--validation", "64", "--seed", "3");

        Path reference = dir.resolve("reference.tsr");
        Result whole = launch(run, "--save", reference.toString()).waitFor(120);
        assertEquals(0, whole.code, whole.output);

        Path checkpoints = dir.resolve("checkpoints");
        Path resumed = dir.resolve("resumed.tsr");
        List<String> resumable = new ArrayList<>(run);
        resumable.addAll(List.of("--checkpoint-dir", checkpoints.toString(), "--resume", "--checkpoint-every", "0.001",
                "--save", resumed.toString()));
        SplittableRandom random = new SplittableRandom(42);
        int killedWhileWriting = 0;
        int killed = 0;
        StringBuilder log = new StringBuilder();
        for (int attempt = 0; attempt < KILLS; attempt++) {
            Child child = launch(resumable);
            boolean duringWrite = attempt % 2 == 1;
            boolean hitWrite = duringWrite ? killWhileWriting(child, checkpoints) : killAfter(child, random.nextLong(300, 4000));
            Result r = child.waitFor(120);
            log.append("attempt ").append(attempt).append(r.code == 0 ? ": finished before the kill\n" : ": killed\n").append(r.output);
            if (r.code == 0) {
                break;
            }
            killed++;
            if (hitWrite && temporaries(checkpoints) > 0) {
                killedWhileWriting++;
            }
        }
        Result last = launch(resumable).waitFor(120);
        System.out.println("KillAndResumeTest: " + killed + " runs killed, " + killedWhileWriting + " of them while a checkpoint was written");
        assertEquals(0, last.code, log + last.output);
        assertTrue(killed >= 3, "at least three runs were killed before finishing:\n" + log);
        assertTrue(killedWhileWriting >= 1, "at least one kill landed while a checkpoint was being written:\n" + log);
        assertEquals(0, temporaries(checkpoints), "the writers' temporaries are cleaned up");
        assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(resumed),
                "the resumed run's model differs from the uninterrupted run's\n" + log + last.output);
        assertTrue(last.output.contains("Epoch [3]"), last.output);
    }

    private static long temporaries(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count();
        }
    }

    private static boolean killAfter(Child child, long millis) throws InterruptedException {
        if (!child.process.waitFor(millis, TimeUnit.MILLISECONDS)) {
            child.process.destroyForcibly();
        }
        return false;
    }

    /** Kills the child as soon as a checkpoint temporary shows up; true if it saw one. */
    private static boolean killWhileWriting(Child child, Path folder) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (child.process.isAlive() && System.nanoTime() < deadline) {
            if (temporaries(folder) > 0) {
                child.process.destroyForcibly();
                return true;
            }
            Thread.onSpinWait();
        }
        child.process.destroyForcibly();
        return false;
    }

    private record Result(int code, String output) {
    }

    private record Child(Process process, Path output) {
        Result waitFor(long seconds) throws Exception {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
                return new Result(-1, "timed out after " + seconds + " s\n" + Files.readString(output));
            }
            return new Result(process.exitValue(), Files.readString(output));
        }
    }

    private Child launch(List<String> args, String... more) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx1g", "--add-modules", "jdk.incubator.vector",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp", System.getProperty("java.class.path"),
                "io.tessera.examples.cli.Main"));
        command.addAll(args);
        command.addAll(List.of(more));
        Path output = Files.createTempFile(dir, "child", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        return new Child(p, output);
    }
}
