package io.tessera.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The checks {@link Options#parse} makes of a command's output files before the command starts its work, so that a
 * bad path fails at once instead of after a long run: each output's folder exists and is writable; the output is not
 * a folder nor an existing device, FIFO or socket; no two outputs name the same file; and no output is one of the
 * paths the command reads ({@code --data}, {@code --checkpoint-dir}, ...).
 */
final class PathChecks {
    private PathChecks() {
    }

    /**
     * @param outputs flag name to the file it writes, in declaration order
     * @param inputs  flag name to a file or folder the command reads or keeps (the outputs must be other paths)
     * @throws UsageException naming the flag, the path and the problem (for a clash, both flags)
     */
    static void check(Map<String, Path> outputs, Map<String, Path> inputs) {
        outputs.forEach(PathChecks::checkWritable);
        List<Map.Entry<String, Path>> outs = List.copyOf(outputs.entrySet());
        for (int i = 0; i < outs.size(); i++) {
            for (int j = i + 1; j < outs.size(); j++) {
                clash(outs.get(i), outs.get(j), "both name " + outs.get(i).getValue() + "; each output needs a file of its own");
            }
            for (Map.Entry<String, Path> in : inputs.entrySet()) {
                clash(outs.get(i), in, "name the same path " + outs.get(i).getValue()
                        + "; an output must not overwrite what the command reads");
            }
        }
    }

    private static void checkWritable(String flag, Path file) {
        if (Files.isDirectory(file)) {
            throw new UsageException("--" + flag + " " + file + " is a folder; give a file name");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new UsageException("--" + flag + " " + file + " exists and is not a regular file (a device, FIFO or socket)");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new UsageException("--" + flag + " " + file + ": the folder " + parent + " does not exist");
        }
        if (!Files.isWritable(parent)) {
            throw new UsageException("--" + flag + " " + file + ": the folder " + parent + " is not writable");
        }
    }

    private static void clash(Map.Entry<String, Path> a, Map.Entry<String, Path> b, String problem) {
        if (same(a.getValue(), b.getValue())) {
            throw new UsageException("--" + a.getKey() + " and --" + b.getKey() + " " + problem);
        }
    }

    private static boolean same(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        if (!Files.exists(a, LinkOption.NOFOLLOW_LINKS) && !Files.exists(b, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
