package io.tessera.examples.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The {@code tessera} launcher: {@code tessera COMMAND [flags]}. Exit codes: 0 success, 1 failure while running,
 * 2 bad command line.
 */
public final class Main {
    private final List<Command> commands;
    private final PrintStream out;
    private final PrintStream err;

    Main(List<Command> commands, PrintStream out, PrintStream err) {
        this.commands = commands.stream().sorted(Comparator.comparing(Command::name)).toList();
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        List<Command> found = new ArrayList<>();
        ServiceLoader.load(Command.class).forEach(found::add);
        int code = new Main(found, System.out, System.err).run(args);
        System.out.flush();
        System.exit(code);
    }

    int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(usage());
            return args.length == 0 ? 2 : 0;
        }
        if (args[0].equals("--version") || args[0].equals("version")) {
            out.print(version());
            return 0;
        }
        Command command = commands.stream().filter(c -> c.name().equals(args[0])).findFirst().orElse(null);
        if (command == null) {
            err.println("tessera: unknown command '" + args[0] + "'");
            err.print(usage());
            return 2;
        }
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        Options options = command.options();
        if (!options.declares(Options.VERBOSE)) {
            // Given anywhere after the command, --verbose lets the backends' own messages through.
            String[] kept = java.util.Arrays.stream(rest).filter(a -> !a.equals("--" + Options.VERBOSE)).toArray(String[]::new);
            if (kept.length < rest.length) {
                System.setProperty(io.tessera.spi.BackendProvider.VERBOSE_PROPERTY, "true");
            }
            rest = kept;
        }
        Options.Parsed flags;
        try {
            flags = options.parse(rest);
            if (flags.helpRequested()) {
                out.print(options.usage());
                return 0;
            }
            return command.run(flags, out);
        } catch (UsageException e) {
            err.println("tessera " + command.name() + ": " + e.getMessage());
            err.print(options.usage());
            return 2;
        } catch (Exception e) {
            err.println("tessera " + command.name() + ": " + describe(e));
            if (Boolean.getBoolean("tessera.trace")) {
                e.printStackTrace(err);
            } else {
                err.println("(run with -Dtessera.trace=true, or TESSERA_TRACE=1 for ./tessera, for the stack trace)");
            }
            return 1;
        }
    }

    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(e.getMessage() != null ? e.getMessage() : e.getClass().getName());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !b.toString().contains(c.getMessage())) {
                b.append("\n  caused by: ").append(c.getMessage());
            }
        }
        return b.toString();
    }

    /** Tessera's version (from the jar's manifest), the Java runtime and whether the Vector API module is present. */
    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        return "tessera " + (version != null ? version : "(development build, no jar manifest)") + "\n"
                + "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                + System.getProperty("java.vendor") + ")" + (vector ? ", Vector API module present" : "") + "\n";
    }

    String usage() {
        StringBuilder b = new StringBuilder("Usage: tessera COMMAND [flags]   (tessera COMMAND --help for its flags)\n"
                + "       tessera --version\n\nCommands:\n");
        int width = commands.stream().mapToInt(c -> c.name().length()).max().orElse(0) + 2;
        for (Command c : commands) {
            b.append("  ").append(c.name()).append(" ".repeat(width - c.name().length())).append(c.summary()).append('\n');
        }
        b.append("\nEvery command also takes --verbose: backends that were not chosen, and native libraries, may then print\n"
                + "their own messages (by default only the line naming the chosen device is printed).\n"
                + "\nExtra jars (a third party's backend, layers or commands): ./tessera --classpath A.jar:B.jar COMMAND ...,\n"
                + "or TESSERA_CLASSPATH=A.jar:dir/* in the environment; backends and commands in them are found through\n"
                + "their META-INF/services entries. ./tessera devices lists the backends it found.\n");
        return b.toString();
    }
}
