package io.tessera.examples.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionAndUsageTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Main main = new Main(List.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    void versionNamesTesseraAndJava() {
        assertEquals(0, main.run(new String[] {"--version"}));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("tessera "), text);
        assertTrue(text.contains("java " + System.getProperty("java.version")), text);
    }

    @Test
    void helpSaysHowToAddJars() {
        assertEquals(0, main.run(new String[] {"--help"}));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("--classpath") && text.contains("TESSERA_CLASSPATH"), text);
        assertTrue(text.contains("tessera --version"), text);
    }
}
