package io.tessera.spi;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedLibraryProbeTest {
    @TempDir
    Path dir;

    @AfterEach
    void clearOverride() {
        System.clearProperty(SharedLibraryProbe.SEARCH_PATH_PROPERTY);
    }

    @Test
    void theOverrideSearchesOnlyItsFoldersInOrder() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.createFile(b.resolve("libExample.so"));
        System.setProperty(SharedLibraryProbe.SEARCH_PATH_PROPERTY, a + File.pathSeparator + b);

        SharedLibraryProbe.Result r = SharedLibraryProbe.find("libExample.so.1", "libExample.so");

        assertEquals(Optional.of(b.resolve("libExample.so")), r.found());
        assertFalse(r.absent());
        assertTrue(r.searched().contains(a.toString()), r.searched());
    }

    @Test
    void anEmptyOverrideMakesEveryLibraryCertainlyAbsent() {
        System.setProperty(SharedLibraryProbe.SEARCH_PATH_PROPERTY, "");

        SharedLibraryProbe.Result r = SharedLibraryProbe.find("libc.so.6");

        assertTrue(r.conclusive());
        assertTrue(r.absent());
    }

    @Test
    void aFolderIsNotALibrary() throws Exception {
        Files.createDirectories(dir.resolve("libExample.so.1"));
        System.setProperty(SharedLibraryProbe.SEARCH_PATH_PROPERTY, dir.toString());

        assertTrue(SharedLibraryProbe.find("libExample.so.1").absent());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void onLinuxTheCLibraryIsFoundWhereTheLoaderFindsIt() {
        SharedLibraryProbe.Result r = SharedLibraryProbe.find("libc.so.6");

        assertTrue(r.found().isPresent(), "libc.so.6 not found; searched " + r.searched());
        assertTrue(r.found().get().getFileName().toString().equals("libc.so.6"));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void onLinuxANameNoLoaderKnowsIsAbsent() {
        assertTrue(SharedLibraryProbe.find("libTesseraNoSuchLibrary.so.7").absent());
    }
}
