package io.tessera.examples.launcher;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "Use it as a library" section is what {@code samples/tutorial} holds, and that program compiles and
 * trains here; {@code scripts/library-check.sh} (run by CI) builds the same project alone, offline, from installed
 * artifacts.
 */
class ReadmeLibraryTest {
    private static final Path ROOT = Path.of("../..");
    private static final Path PROGRAM = ROOT.resolve("samples/tutorial/src/main/java/org/example/MnistTutorial.java");

    @Test
    void readmeHoldsTheTutorialProgramVerbatim() throws IOException {
        String program = Files.readString(PROGRAM);
        assertTrue(blocks("java").contains(program), "README.md has no java block equal to " + PROGRAM);
    }

    @Test
    void theOpeningExcerptIsPartOfTheProgram() throws IOException {
        List<String> programLines = Files.readAllLines(PROGRAM).stream().map(String::strip).toList();
        for (String line : blocks("java").get(0).lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            assertTrue(programLines.contains(line), () -> "README's first java block has a line the tutorial lacks: " + line);
        }
    }

    @Test
    void readmeMavenSnippetIsInTheTutorialPom() throws IOException {
        String pom = normalized(Files.readString(ROOT.resolve("samples/tutorial/pom.xml")));
        List<String> xml = blocks("xml");
        assertTrue(!xml.isEmpty(), "README.md has no xml block");
        assertTrue(pom.contains(normalized(xml.get(0))), "README's Maven snippet differs from samples/tutorial/pom.xml");
    }

    @Test
    void theProgramTrainsOnMnist(@TempDir Path classes) throws Exception {
        String data = System.getProperty("tessera.data", "");
        Path mnist = data.isBlank() ? null : Path.of(data).resolve("mnist");
        if (mnist == null || !Files.isDirectory(mnist)) {
            String why = "MNIST not found" + (mnist == null ? " (tessera.data / TESSERA_DATA not set)" : " in " + mnist);
            System.out.println("[ReadmeLibraryTest] skipped: " + why);
            Assumptions.abort(why);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int code = javac.run(null, diagnostics, diagnostics, "-Xlint:all,-path", "-Werror", "--release", "17",
                "-cp", System.getProperty("java.class.path"), "-d", classes.toString(), PROGRAM.toString());
        assertEquals(0, code, () -> "the README's program does not compile:\n" + diagnostics.toString(StandardCharsets.UTF_8));

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass("org.example.MnistTutorial").getMethod("main", String[].class);
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[] {Path.of(data).toString(), "1"});
        } finally {
            System.setOut(out);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        out.print(text);
        Matcher m = Pattern.compile("Test accuracy on \\S+: ([0-9.]+)").matcher(text);
        assertTrue(m.find(), "no test accuracy printed:\n" + text);
        assertTrue(Double.parseDouble(m.group(1)) >= 0.90, "test accuracy after one epoch below 0.90:\n" + text);
    }

    private static List<String> blocks(String language) throws IOException {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^```" + language + "\\n(.*?)^```$", Pattern.DOTALL).matcher(Files.readString(ROOT.resolve("README.md")));
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static String normalized(String xml) {
        return String.join("\n", xml.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }
}
