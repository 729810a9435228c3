package io.tessera.examples.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private static class Echo implements Command {
        int lastEpochs = -1;

        @Override
        public String name() {
            return "echo";
        }

        @Override
        public String summary() {
            return "test command";
        }

        @Override
        public Options options() {
            return new Options("echo", "Echoes.").value("epochs", "N", "10", "epochs").flag("verbose", "talk more")
                    .value("dataset", "NAME", "mnist", "mnist or fashion");
        }

        @Override
        public int run(Options.Parsed flags, PrintStream o) {
            lastEpochs = flags.integer("epochs", 0);
            flags.choice("dataset", List.of("mnist", "fashion"));
            o.println("epochs=" + lastEpochs + " verbose=" + flags.bool("verbose"));
            return 0;
        }
    }

    private int run(Command c, String... args) {
        return new Main(List.of(c, new DevicesCommand()), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void verboseIsTakenByEveryCommandThatHasNoFlagOfThatName() {
        Command quiet = new Command() {
            @Override
            public String name() {
                return "quiet";
            }

            @Override
            public String summary() {
                return "test command without flags";
            }

            @Override
            public Options options() {
                return new Options("quiet", "Says what --verbose set.");
            }

            @Override
            public int run(Options.Parsed flags, PrintStream o) {
                o.println("tessera.verbose=" + System.getProperty(io.tessera.spi.BackendProvider.VERBOSE_PROPERTY));
                return 0;
            }
        };
        try {
            assertEquals(0, run(quiet, "quiet", "--verbose"));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("tessera.verbose=true"), out.toString(StandardCharsets.UTF_8));
            assertEquals(0, run(quiet, "quiet", "--help"));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("--verbose"), "the usage lists --verbose");
        } finally {
            System.clearProperty(io.tessera.spi.BackendProvider.VERBOSE_PROPERTY);
        }
    }

    @Test
    void parsesValuesInBothFormsAndDefaults() {
        Echo echo = new Echo();
        assertEquals(0, run(echo, "echo", "--epochs", "3", "--verbose"));
        assertEquals(3, echo.lastEpochs);
        assertEquals(0, run(echo, "echo", "--epochs=4"));
        assertEquals(4, echo.lastEpochs);
        assertEquals(0, run(echo, "echo"));
        assertEquals(10, echo.lastEpochs);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("verbose=true"));
    }

    @Test
    void unknownFlagIsAUsageErrorWithExitCode2() {
        assertEquals(2, run(new Echo(), "echo", "--epoch", "3"));
        assertTrue(err().contains("unknown flag --epoch"), err());
        assertTrue(err().contains("Usage: tessera echo"), err());
    }

    @Test
    void badValuesNameTheFlag() {
        assertEquals(2, run(new Echo(), "echo", "--epochs", "three"));
        assertTrue(err().contains("--epochs must be an integer of at least 0 (at most 2,147,483,647), got 'three'"), err());
        assertEquals(2, run(new Echo(), "echo", "--dataset", "cifar"));
        assertTrue(err().contains("--dataset must be one of mnist, fashion"), err());
        assertEquals(2, run(new Echo(), "echo", "--epochs"));
        assertTrue(err().contains("--epochs needs a value"), err());
        assertEquals(2, run(new Echo(), "echo", "--epochs", "-1"));
        assertTrue(err().contains("of at least 0 (at most 2,147,483,647), got -1"), err());
    }

    @Test
    void helpPrintsEveryFlagWithItsDefault() {
        assertEquals(0, run(new Echo(), "echo", "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("--epochs N") && help.contains("(default: 10)") && help.contains("--verbose"), help);
    }

    @Test
    void unknownCommandListsTheCommands() {
        assertEquals(2, run(new Echo(), "train"));
        assertTrue(err().contains("unknown command 'train'") && err().contains("devices") && err().contains("echo"), err());
        assertEquals(2, run(new Echo()));
    }

    @Test
    void devicesCommandListsTheCpu() {
        assertEquals(0, run(new Echo(), "devices"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("backend cpu") && text.contains("Default device:"), text);
    }

    @Test
    void failuresExitWith1AndTheMessage() {
        Command failing = new Echo() {
            @Override
            public int run(Options.Parsed flags, PrintStream o) {
                throw new IllegalStateException("dataset folder /nowhere is empty");
            }
        };
        assertEquals(1, run(failing, "echo"));
        assertTrue(err().contains("dataset folder /nowhere is empty"), err());
    }
}
