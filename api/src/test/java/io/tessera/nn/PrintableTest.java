package io.tessera.nn;

import io.tessera.Device;
import io.tessera.Printable;
import io.tessera.spi.LayerFactory;
import io.tessera.reference.ReferenceDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Text from files reaches messages escaped by {@link Printable}: no terminal escape codes, readable letters kept. */
class PrintableTest {
    @TempDir
    Path dir;

    @Test
    void controlAndFormatCharactersAreEscapedAndLettersKept() {
        assertEquals("\\x1b[2J\\x0d\\x07", Printable.of("\u001b[2J\r\u0007"));
        assertEquals("a\\u202eb\\u200b\\x5c\\x9b", Printable.of("a\u202eb\u200b\\\u009b"));
        assertEquals("T-shirt/top, Düsseldorf, 日本, \uD83D\uDE00", Printable.of("T-shirt/top, Düsseldorf, 日本, \uD83D\uDE00"));
        assertEquals("\\ud83d!", Printable.of("\uD83D!"));
        assertEquals("abc...", Printable.of("abcdef", 3));
        assertEquals("null", Printable.of(null));
    }

    @Test
    void aFactorysMessageAboutAFilesTextIsEscaped() throws Exception {
        ReferenceDevice device = new ReferenceDevice("printable");
        Path file = dir.resolve("evil.tsr");
        new CheckpointFile.Builder().record("layer", "Echo", "\u001b]0;owned\u0007=1").write(file);
        LayerFactory echo = new LayerFactory() {
            @Override
            public String type() {
                return "Echo";
            }

            @Override
            public Layer create(LayerSpec spec, Device d) {
                throw new IllegalArgumentException("unknown attributes " + spec.attributes().keySet());
            }
        };
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file, device, Map.of("Echo", echo)));
        assertFalse(e.getMessage().chars().anyMatch(c -> c < 0x20), e.getMessage());
        assertTrue(e.getMessage().contains("\\x1b]0;owned\\x07"), e.getMessage());
    }
}
