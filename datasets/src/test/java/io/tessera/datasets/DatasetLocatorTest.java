package io.tessera.datasets;

import io.tessera.Shape;
import io.tessera.data.InMemoryDataset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetLocatorTest {
    @TempDir
    Path dir;

    private final TinyDataset tiny = new TinyDataset("tiny", 1);
    private final TinyDataset other = new TinyDataset("other", 5);
    private final Map<String, String> env = new HashMap<>();
    private final List<LocalMirror> mirrors = new ArrayList<>();

    @AfterEach
    void closeMirrors() {
        mirrors.forEach(LocalMirror::close);
    }

    @Test
    void findsTheDatasetInTheNamedSubfolderOfTheDataFolder() throws IOException {
        Path data = dir.resolve("data");
        tiny.writeTo(data.resolve("tiny"), true);

        DatasetFolder found = offline().locate(tiny.files, data);

        assertEquals(data.resolve("tiny"), found.folder());
        assertEquals("--data", found.origin());
        assertEquals(data.resolve("tiny").resolve("train-images-idx3-ubyte.gz"), found.file("train-images-idx3-ubyte"));
    }

    @Test
    void findsUncompressedFilesDirectlyInTheDataFolder() throws IOException {
        Path data = tiny.writeTo(dir.resolve("files"), false);

        DatasetFolder found = offline().locate(tiny.files, data);

        assertEquals(data, found.folder());
        assertEquals(data.resolve("t10k-labels-idx1-ubyte"), found.file("t10k-labels-idx1-ubyte"));
    }

    @Test
    void ignoresAnotherDatasetsFilesLyingDirectlyInAFolder() throws IOException {
        Path data = other.writeTo(dir.resolve("files"), true);

        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class, () -> offline().locate(tiny.files, data));

        assertTrue(e.getMessage().contains(data + " (--data): its train-labels-idx1-ubyte is not Tiny-tiny's"), e.getMessage());
    }

    @Test
    void findsTheDatasetUnderTesseraData() throws IOException {
        Path root = dir.resolve("root");
        tiny.writeTo(root.resolve("tiny"), true);
        env.put("TESSERA_DATA", root.toString());

        DatasetFolder found = offline().locate(tiny.files);

        assertEquals(root.resolve("tiny"), found.folder());
        assertEquals("TESSERA_DATA", found.origin());
    }

    @Test
    void findsFilesDirectlyInTesseraData() throws IOException {
        Path root = tiny.writeTo(dir.resolve("root"), true);
        env.put("TESSERA_DATA", root.toString());

        assertEquals(root, offline().locate(tiny.files).folder());
    }

    @Test
    void theDataFolderComesBeforeTesseraData() throws IOException {
        Path root = tiny.writeTo(dir.resolve("root").resolve("tiny"), true);
        Path data = tiny.writeTo(dir.resolve("data").resolve("tiny"), true);
        env.put("TESSERA_DATA", root.getParent().toString());

        assertEquals(data, offline().locate(tiny.files, data.getParent()).folder());
        assertEquals(root, offline().locate(tiny.files, Files.createDirectories(dir.resolve("empty"))).folder());
    }

    @Test
    void findsTheDatasetInTheUserCache() throws IOException {
        Path home = dir.resolve("home");
        tiny.writeTo(home.resolve(".cache/tessera/datasets/tiny"), true);

        DatasetFolder found = new DatasetLocator(env::get, home, null).locate(tiny.files);

        assertEquals(home.resolve(".cache/tessera/datasets/tiny"), found.folder());
        assertEquals("user cache", found.origin());
    }

    @Test
    void theUserCacheFollowsXdgCacheHome() throws IOException {
        Path xdg = dir.resolve("xdg");
        tiny.writeTo(xdg.resolve("tessera/datasets/tiny"), true);
        env.put("XDG_CACHE_HOME", xdg.toString());

        assertEquals(xdg.resolve("tessera/datasets/tiny"), offline().locate(tiny.files).folder());
    }

    @Test
    void aSystemFolderIsTheLastResort() throws IOException {
        Path system = tiny.writeTo(dir.resolve("usr/share/datasets/tiny"), true);
        MnistFiles withSystem = tiny.files.withSystemFolders(List.of(system));

        DatasetFolder found = offline().locate(withSystem);

        assertEquals(system, found.folder());
        assertEquals("system package", found.origin());
    }

    @Test
    void aFolderWithoutAllFourFilesIsSkipped() throws IOException {
        Path data = tiny.writeTo(dir.resolve("data").resolve("tiny"), true);
        Files.delete(data.resolve("t10k-images-idx3-ubyte.gz"));

        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class, () -> offline().locate(tiny.files, data.getParent()));

        assertTrue(e.getMessage().contains(data + " (--data): lacks t10k-images-idx3-ubyte"), e.getMessage());
        assertTrue(e.getMessage().contains("Downloading is switched off."), e.getMessage());
    }

    @Test
    void downloadsMissingFilesIntoTheUserCache() throws IOException {
        LocalMirror mirror = tiny.serveAll(mirror());
        Path home = dir.resolve("home");
        Path cache = home.resolve(".cache/tessera/datasets/tiny");
        Files.createDirectories(cache);
        Files.write(cache.resolve("train-images-idx3-ubyte.gz"), tiny.gz.get("train-images-idx3-ubyte"));

        DatasetFolder found = online(home).locate(tiny.files.withMirrors(List.of(mirror.uri())));

        assertEquals(cache, found.folder());
        assertEquals("download", found.origin());
        assertEquals(3, mirror.requests(), "only the three missing files are fetched");
        InMemoryDataset train = found.load(MnistFiles.Split.TRAIN);
        assertEquals(5, train.size());
        assertEquals(Shape.of(1, 2, 2), train.featureShape());
        assertEquals(3, found.load(MnistFiles.Split.TEST).size());
    }

    @Test
    void downloadsIntoTheDataFolderWhenOneIsGiven() throws IOException {
        LocalMirror mirror = tiny.serveAll(mirror());
        Path data = Files.createDirectories(dir.resolve("data"));

        DatasetFolder found = online(dir.resolve("home")).locate(tiny.files.withMirrors(List.of(mirror.uri())), data);

        assertEquals(data.resolve("tiny"), found.folder());
        assertEquals(4, mirror.requests());
        assertEquals(found.folder(), online(dir.resolve("home")).locate(tiny.files, data).folder(), "found again without downloading");
    }

    @Test
    void whenEverythingFailsTheMessageSaysWhatToDo() throws IOException {
        LocalMirror empty = mirror();
        LocalMirror wrong = mirror().serve("train-images-idx3-ubyte.gz", other.gz.get("train-images-idx3-ubyte"));
        Path home = dir.resolve("home");
        MnistFiles files = tiny.files.withMirrors(List.of(empty.uri(), wrong.uri()));

        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class, () -> online(home).locate(files));

        String message = e.getMessage();
        Path cache = home.resolve(".cache/tessera/datasets/tiny");
        assertTrue(message.startsWith("Tiny-tiny was not found, and could not be downloaded."), message);
        assertTrue(message.contains(cache + " (user cache): not a folder"), message);
        assertTrue(message.contains("$TESSERA_DATA: not set"), message);
        assertTrue(message.contains(empty.uri() + "train-images-idx3-ubyte.gz: HTTP 404"), message);
        assertTrue(message.contains(wrong.uri() + "train-images-idx3-ubyte.gz: checksum mismatch"), message);
        assertTrue(message.contains("put these four files (gzip-compressed as named, or uncompressed without .gz) into " + cache), message);
        for (String file : MnistFiles.FILES) {
            assertTrue(message.contains("  " + file + ".gz"), message);
        }
        assertTrue(message.contains("pass --data DIR or set TESSERA_DATA=DIR"), message);
        assertTrue(e.getCause() instanceof DownloadException);
    }

    @Test
    void aDataFolderThatDoesNotExistIsAnErrorWithoutFallingBack() throws IOException {
        env.put("TESSERA_DATA", tiny.writeTo(dir.resolve("env").resolve("tiny"), true).getParent().toString());
        Path missing = dir.resolve("nonexistent");
        LocalMirror mirror = tiny.serveAll(mirror());

        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> online(dir.resolve("home")).locate(tiny.files.withMirrors(List.of(mirror.uri())), missing));

        assertTrue(e.getMessage().startsWith("--data " + missing + " does not exist"), e.getMessage());
        assertEquals(0, mirror.requests(), "nothing was downloaded");
        assertTrue(!Files.exists(missing), "the missing --data folder was created");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertTrue(assertThrows(DatasetUnavailableException.class, () -> offline().locate(tiny.files, file)).getMessage()
                .contains("is not a folder"));
    }

    @Test
    void aFailedDownloadCreatesNoFolders() throws IOException {
        LocalMirror empty = mirror();
        Path home = dir.resolve("home");

        assertThrows(DatasetUnavailableException.class, () -> online(home).locate(tiny.files.withMirrors(List.of(empty.uri()))));

        assertTrue(!Files.exists(home), "folders were created for a download that did not happen: " + home);
    }

    private DatasetLocator offline() {
        return new DatasetLocator(env::get, dir.resolve("no-home"), null);
    }

    private DatasetLocator online(Path home) {
        return new DatasetLocator(env::get, home, new Downloader(Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }

    private LocalMirror mirror() throws IOException {
        LocalMirror m = new LocalMirror();
        mirrors.add(m);
        return m;
    }
}
