package io.tessera.slide.data;

import io.tessera.data.DatasetFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class XcFormatTest {
    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path f = dir.resolve("data.txt");
        Files.writeString(f, text, StandardCharsets.ISO_8859_1);
        return f;
    }

    private String refused(String text) throws IOException {
        Path f = file(text);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> XcFormat.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), "names the file: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void readsTheRepositoryFormat() throws IOException {
        XcFormat.Result r = XcFormat.read(file("3 10 5\n0,4 1:0.5 7:1.25\n2 9:3\n 3:1\n"));
        ExtremeDataset d = r.dataset();
        assertEquals(2, d.size(), "the sample without labels is dropped");
        assertEquals(1, r.unlabelled());
        assertEquals(10, d.featureCount());
        assertEquals(5, d.classCount());
        assertEquals(2, d.labels().rowLength(0));
        assertTrue(d.hasLabel(0, 4));
        assertEquals(7, d.features().index(1));
        assertEquals(1.25f, d.features().value(1));
        assertEquals(9, d.features().index(d.features().rowStart(1)));
    }

    @Test
    void sortsFeaturesAndRoundTripsThroughTheWriter() throws IOException {
        ExtremeDataset d = XcFormat.read(file("2 10 5\n1 7:2 1:0.5 3:1e-3\n4,2 0:1\r\n")).dataset();
        assertEquals(1, d.features().index(0));
        assertEquals(3, d.features().index(1));
        assertEquals(7, d.features().index(2));
        assertEquals(2, d.labels().index(d.labels().rowStart(1)), "labels sorted too");
        Path out = dir.resolve("copy.txt");
        XcFormat.write(d, out);
        ExtremeDataset back = XcFormat.read(out).dataset();
        assertEquals(d.features().nonZeros(), back.features().nonZeros());
        for (int k = 0; k < d.features().nonZeros(); k++) {
            assertEquals(d.features().index(k), back.features().index(k));
            assertEquals(d.features().value(k), back.features().value(k));
        }
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void syntheticDataRoundTrips() throws IOException {
        ExtremeDataset d = SyntheticExtreme.of(1000, 5000, 30, 3).generate(0, 200);
        Path out = dir.resolve("synthetic.txt");
        XcFormat.write(d, out);
        ExtremeDataset back = XcFormat.read(out).dataset();
        assertEquals(d.toString(), back.toString());
        assertEquals(d.labels().index(199), back.labels().index(199));
    }

    @Test
    void readsGzip() throws IOException {
        Path f = dir.resolve("data.txt.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(f))) {
            o.write("1 4 3\n2 0:1 3:2\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals(2, XcFormat.read(f).dataset().features().nonZeros());
    }

    @Test
    void refusesBadFilesNamingTheLine() throws IOException {
        assertTrue(refused("").contains("line 1"));
        assertTrue(refused("3 10\n").contains("header"));
        assertTrue(refused("x 10 5\n").contains("samples count is missing"));
        assertTrue(refused("0 10 5\n").contains("declares 0 samples"));
        assertTrue(refused("1 10 5 7\n1 2:1\n").contains("header must be three numbers"));
        assertTrue(refused("2 10 5\n1 2:1\n9 3:1\n").contains("line 3: label 9 is outside [0, 5)"));
        assertTrue(refused("1 10 5\n1 12:1\n").contains("line 2: feature index 12 is outside [0, 10)"));
        assertTrue(refused("1 10 5\n1 2:1 2:3\n").contains("feature 2 is listed twice"));
        assertTrue(refused("1 10 5\n1,1 2:1\n").contains("label 1 is listed twice"));
        assertTrue(refused("1 10 5\n1 2:NaN\n").contains("not a finite"));
        assertTrue(refused("1 10 5\n1 2:0x1p3\n").contains("not a finite decimal"));
        assertTrue(refused("1 10 5\n1 2:abc\n").contains("not a number"));
        assertTrue(refused("1 10 5\n1 2\n").contains("has no ':value'"));
        assertTrue(refused("1 10 5\n1 2:" + "1".repeat(100) + "\n").contains("longer than"));
        assertTrue(refused("3 10 5\n1 2:1\n").contains("declares 3 samples but the file has 1"));
        assertTrue(refused("1 10 5\n1 2:1\n2 3:1\n").contains("more lines"));
        assertTrue(refused("1 10 5\n 2:1\n").contains("no sample has a label"));
        assertTrue(refused("1 10 5\n1 2:1 \u001b[31m\n").contains("\\x1b"), "control characters are escaped");
        assertTrue(refused("1 99999999999999 5\n").contains("too many digits"));
    }

    @Test
    void refusesWhatIsNotAFile() {
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> XcFormat.read(dir));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        e = assertThrows(DatasetFormatException.class, () -> XcFormat.read(dir.resolve("missing.txt")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void aTruncatedGzipIsAnError() throws IOException {
        Path f = dir.resolve("cut.gz");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(bytes)) {
            o.write("2 4 3\n2 0:1 3:2\n1 1:1\n".getBytes(StandardCharsets.US_ASCII));
        }
        byte[] all = bytes.toByteArray();
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 12));
        assertThrows(IOException.class, () -> XcFormat.read(f));
    }
}
