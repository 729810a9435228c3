package io.tessera.datasets;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** MD5s of dataset files' contents. */
final class Checksums {
    private static final int BUFFER = 1 << 16;

    private Checksums() {
    }

    /**
     * The MD5, lower-case hex, of the uncompressed contents of {@code file}: gzip files (recognised by their magic
     * bytes) are decompressed on the way.
     *
     * @throws IOException if the file cannot be read or is broken gzip, naming it
     */
    static String contentMd5(Path file) throws IOException {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no MD5", e);
        }
        try (InputStream fileIn = Files.newInputStream(file); BufferedInputStream in = new BufferedInputStream(fileIn, BUFFER)) {
            in.mark(2);
            boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
            try (InputStream content = gzip ? new GZIPInputStream(in, BUFFER) : in) {
                byte[] buffer = new byte[BUFFER];
                for (int n; (n = content.read(buffer)) >= 0; ) {
                    md5.update(buffer, 0, n);
                }
            } catch (ZipException | java.io.EOFException e) {
                throw new IOException(file + " is not a valid gzip file: " + e.getMessage(), e);
            }
        }
        return HexFormat.of().formatHex(md5.digest());
    }
}
