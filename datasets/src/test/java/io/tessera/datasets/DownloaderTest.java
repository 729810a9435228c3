package io.tessera.datasets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DownloaderTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String FILE = "train-labels-idx1-ubyte";

    @TempDir
    Path dir;

    private final TinyDataset tiny = new TinyDataset("tiny", 1);
    private final Downloader downloader = new Downloader(Duration.ofSeconds(5), Duration.ofSeconds(2));
    private final List<LocalMirror> mirrors = new ArrayList<>();

    @AfterEach
    void closeMirrors() {
        mirrors.forEach(LocalMirror::close);
    }

    @Test
    void downloadsAGoodFile() throws IOException {
        LocalMirror good = mirror().serve(FILE + ".gz", tiny.gz.get(FILE));
        Path target = dir.resolve("cache").resolve(FILE + ".gz");

        downloader.download(List.of(good.uri()), FILE + ".gz", tiny.files.md5(FILE), target);

        assertArrayEquals(tiny.gz.get(FILE), Files.readAllBytes(target));
        assertNoPartFiles(target.getParent());
    }

    @Test
    void aWrongChecksumMovesOnToTheNextMirror() throws IOException {
        byte[] corrupt = TinyDataset.gzip(new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 9});
        LocalMirror bad = mirror().serve(FILE + ".gz", corrupt);
        LocalMirror good = mirror().serve(FILE + ".gz", tiny.gz.get(FILE));
        Path target = dir.resolve(FILE + ".gz");

        downloader.download(List.of(bad.uri(), good.uri()), FILE + ".gz", tiny.files.md5(FILE), target);

        assertEquals(1, bad.requests());
        assertEquals(1, good.requests());
        assertArrayEquals(tiny.gz.get(FILE), Files.readAllBytes(target));
        assertNoPartFiles(dir);
    }

    @Test
    void aWrongChecksumEverywhereFailsClearly() throws IOException {
        LocalMirror a = mirror().serve(FILE + ".gz", tiny.gz.get(FILE));
        LocalMirror b = mirror().serve(FILE + ".gz", "<html>moved</html>".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Path target = dir.resolve(FILE + ".gz");

        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader.download(List.of(a.uri(), b.uri()), FILE + ".gz", "0123456789abcdef0123456789abcdef", target));

        assertEquals(2, e.failures().size());
        assertTrue(e.failures().get(0).startsWith(a.uri().resolve(FILE + ".gz") + ": checksum mismatch"), e.failures().get(0));
        assertTrue(e.failures().get(0).contains("expected 0123456789abcdef0123456789abcdef"), e.failures().get(0));
        assertTrue(e.failures().get(1).contains("checksum mismatch"), e.failures().get(1));
        assertTrue(e.getMessage().contains(b.uri().toString()), e.getMessage());
        assertFalse(Files.exists(target));
        assertNoPartFiles(dir);
    }

    @Test
    void aTruncatedBodyMovesOnToTheNextMirror() throws IOException {
        byte[] big = TinyDataset.gzip(new byte[200_000]);
        LocalMirror broken = mirror().truncate(FILE + ".gz", big);
        LocalMirror good = mirror().serve(FILE + ".gz", tiny.gz.get(FILE));
        Path target = dir.resolve(FILE + ".gz");

        downloader.download(List.of(broken.uri(), good.uri()), FILE + ".gz", tiny.files.md5(FILE), target);

        assertEquals(1, broken.requests());
        assertArrayEquals(tiny.gz.get(FILE), Files.readAllBytes(target));
    }

    @Test
    void aTruncatedBodyIsReportedWithItsByteCount() throws IOException {
        byte[] body = new byte[100_000];
        LocalMirror broken = mirror().truncate(FILE + ".gz", body);

        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader.download(List.of(broken.uri()), FILE + ".gz", TinyDataset.md5(body), dir.resolve(FILE + ".gz")));

        String failure = e.failures().get(0);
        assertTrue(failure.contains("broke off after 50000 bytes of the body") || failure.contains("truncated body: received 50000 of 100000"),
                failure);
        assertNoPartFiles(dir);
    }

    @Test
    void aMissingFileMovesOnToTheNextMirror() throws IOException {
        LocalMirror empty = mirror();
        LocalMirror good = mirror().serve(FILE + ".gz", tiny.gz.get(FILE));

        downloader.download(List.of(empty.uri(), good.uri()), FILE + ".gz", tiny.files.md5(FILE), dir.resolve(FILE + ".gz"));

        assertEquals(1, empty.requests());
        assertTrue(Files.exists(dir.resolve(FILE + ".gz")));
    }

    @Test
    void aMirrorThatIsDownMovesOnToTheNext() throws IOException {
        URI down = LocalMirror.closedPort();
        LocalMirror good = mirror().serve(FILE + ".gz", tiny.gz.get(FILE));

        downloader.download(List.of(down, good.uri()), FILE + ".gz", tiny.files.md5(FILE), dir.resolve(FILE + ".gz"));

        assertTrue(Files.exists(dir.resolve(FILE + ".gz")));
    }

    @Test
    void everyMirrorsFailureIsListed() throws IOException {
        URI down = LocalMirror.closedPort();
        LocalMirror empty = mirror();

        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader.download(List.of(down, empty.uri()), FILE + ".gz", tiny.files.md5(FILE), dir.resolve(FILE + ".gz")));

        assertEquals(FILE + ".gz", e.file());
        assertEquals(2, e.failures().size());
        assertTrue(e.failures().get(0).startsWith(down.resolve(FILE + ".gz") + ": "), e.failures().get(0));
        assertTrue(e.failures().get(0).contains(": cannot connect to 127.0.0.1:" + down.getPort() + " (ConnectException"),
                e.failures().get(0));
        assertEquals(empty.uri().resolve(FILE + ".gz") + ": HTTP 404", e.failures().get(1));
    }

    @Test
    void aStalledMirrorTimesOut() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            LocalMirror stalled = mirror().stall(FILE + ".gz", tiny.gz.get(FILE));
            LocalMirror good = mirror().serve(FILE + ".gz", tiny.gz.get(FILE));

            downloader.download(List.of(stalled.uri(), good.uri()), FILE + ".gz", tiny.files.md5(FILE), dir.resolve(FILE + ".gz"));

            assertEquals(1, stalled.requests());
            assertArrayEquals(tiny.gz.get(FILE), Files.readAllBytes(dir.resolve(FILE + ".gz")));
        });
    }

    @Test
    void aStalledMirrorIsReportedAsAReadTimeout() {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            LocalMirror stalled = mirror().stall(FILE + ".gz", tiny.gz.get(FILE));

            DownloadException e = assertThrows(DownloadException.class, () -> downloader.download(List.of(stalled.uri()), FILE + ".gz",
                    tiny.files.md5(FILE), dir.resolve(FILE + ".gz")));

            assertTrue(e.failures().get(0).contains("no data for 2 s after 4 bytes of the body (read timeout)"), e.failures().get(0));
        });
    }

    @Test
    void anUncompressedFileIsCheckedByItsContents() throws IOException {
        LocalMirror raw = mirror().serve(FILE, tiny.raw.get(FILE));

        downloader.download(List.of(raw.uri()), FILE, tiny.files.md5(FILE), dir.resolve(FILE));

        assertArrayEquals(tiny.raw.get(FILE), Files.readAllBytes(dir.resolve(FILE)));
    }

    private LocalMirror mirror() throws IOException {
        LocalMirror m = new LocalMirror();
        mirrors.add(m);
        return m;
    }

    private static void assertNoPartFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> parts = files.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
            assertTrue(parts.isEmpty(), "left behind: " + parts);
        }
    }
}
