package io.tessera.examples.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * A learnable stand-in for MNIST in its four gzip-compressed IDX files, for tests that run the commands: 28x28 images
 * whose label decides which of ten horizontal bars is bright, plus noise. Part of this module's test-jar.
 */
public final class SyntheticMnist {
    private SyntheticMnist() {
    }

    /** Writes {@code train} training and {@code test} test images with their labels into {@code folder}; returns it. */
    public static Path write(Path folder, int train, int test) throws IOException {
        Files.createDirectories(folder);
        SplittableRandom r = new SplittableRandom(1);
        for (String split : new String[] {"train", "t10k"}) {
            int n = split.equals("train") ? train : test;
            ByteBuffer images = ByteBuffer.allocate(16 + n * 784).putInt(0x803).putInt(n).putInt(28).putInt(28);
            ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
            for (int i = 0; i < n; i++) {
                int label = r.nextInt(10);
                labels.put((byte) label);
                for (int y = 0; y < 28; y++) {
                    for (int x = 0; x < 28; x++) {
                        boolean bar = y >= 2 + 2 * label && y < 4 + 2 * label && x > 4 && x < 24;
                        images.put((byte) Math.min(255, (bar ? 200 : 0) + r.nextInt(40)));
                    }
                }
            }
            Files.write(folder.resolve(split + "-images-idx3-ubyte.gz"), gzip(images.array()));
            Files.write(folder.resolve(split + "-labels-idx1-ubyte.gz"), gzip(labels.array()));
        }
        return folder;
    }

    /** {@code raw} gzip-compressed. */
    public static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }
}
