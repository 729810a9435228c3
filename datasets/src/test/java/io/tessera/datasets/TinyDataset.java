package io.tessera.datasets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** A dataset in MNIST's layout small enough to serve from a test: a few 2x2 images, with its own checksums. */
final class TinyDataset {
    final Map<String, byte[]> raw = new LinkedHashMap<>();
    final Map<String, byte[]> gz = new LinkedHashMap<>();
    final MnistFiles files;

    /** {@code seed} varies the pixels and labels, so that two tiny datasets differ. */
    TinyDataset(String name, int seed) {
        raw.put("train-images-idx3-ubyte", images(5, seed));
        raw.put("train-labels-idx1-ubyte", labels(5, seed));
        raw.put("t10k-images-idx3-ubyte", images(3, seed + 1));
        raw.put("t10k-labels-idx1-ubyte", labels(3, seed + 1));
        Map<String, String> md5 = new LinkedHashMap<>();
        raw.forEach((file, bytes) -> {
            gz.put(file, gzip(bytes));
            md5.put(file, md5(bytes));
        });
        files = new MnistFiles(name, "Tiny-" + name, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), md5, List.of(), List.of());
    }

    /** Writes the four files into {@code folder}, gzip-compressed or not. */
    Path writeTo(Path folder, boolean compressed) throws IOException {
        Files.createDirectories(folder);
        for (String file : MnistFiles.FILES) {
            Files.write(folder.resolve(compressed ? file + ".gz" : file), compressed ? gz.get(file) : raw.get(file));
        }
        return folder;
    }

    /** A mirror serving all four files. */
    LocalMirror serveAll(LocalMirror mirror) {
        gz.forEach((file, bytes) -> mirror.serve(file + ".gz", bytes));
        return mirror;
    }

    private static byte[] images(int count, int seed) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * 4).putInt(0x803).putInt(count).putInt(2).putInt(2);
        for (int i = 0; i < count * 4; i++) {
            b.put((byte) (seed * 31 + i * 17));
        }
        return b.array();
    }

    private static byte[] labels(int count, int seed) {
        ByteBuffer b = ByteBuffer.allocate(8 + count).putInt(0x801).putInt(count);
        for (int i = 0; i < count; i++) {
            b.put((byte) ((seed + i) % 10));
        }
        return b.array();
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
