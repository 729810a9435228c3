package io.tessera.examples.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The flags of a command: {@code --name VALUE}, {@code --name=VALUE} and boolean {@code --name}. Declared once, so
 * parsing, defaults and the usage text agree.
 */
public final class Options {
    private final String command;
    private final String synopsis;
    private final Map<String, Option> options = new LinkedHashMap<>();

    /** What a flag's value is: a plain value, a path the command reads or keeps, or a file it writes. */
    private enum Role { VALUE, PATH, OUTPUT }

    private record Option(String name, String valueName, String defaultValue, String help, Role role) {
        boolean isSwitch() {
            return valueName == null;
        }
    }

    public Options(String command, String synopsis) {
        this.command = command;
        this.synopsis = synopsis;
    }

    /** A flag taking a value; {@code defaultValue} may be null (no default). */
    public Options value(String name, String valueName, String defaultValue, String help) {
        options.put(name, new Option(name, valueName, defaultValue, help, Role.VALUE));
        return this;
    }

    /**
     * A flag naming a file the command writes ({@code --save}, {@code --json}); {@link #parse} checks it before the
     * command runs (see {@link PathChecks}): its folder exists and is writable, it is no folder, device or FIFO, and it
     * differs from every other output and {@linkplain #path path} flag.
     */
    public Options output(String name, String valueName, String help) {
        options.put(name, new Option(name, valueName, null, help, Role.OUTPUT));
        return this;
    }

    /** A flag naming a file or folder the command reads or keeps ({@code --data}); outputs must name other paths. */
    public Options path(String name, String valueName, String defaultValue, String help) {
        options.put(name, new Option(name, valueName, defaultValue, help, Role.PATH));
        return this;
    }

    /** A boolean flag, false unless given. */
    public Options flag(String name, String help) {
        options.put(name, new Option(name, null, null, help, Role.VALUE));
        return this;
    }

    /** The flag every command takes unless it declares one of that name: {@code --verbose}. */
    public static final String VERBOSE = "verbose";

    /** Whether the command declares flag {@code --name} itself. */
    public boolean declares(String name) {
        return options.containsKey(name);
    }

    /** The usage text: synopsis, then one line per flag with its default. */
    public String usage() {
        StringBuilder b = new StringBuilder("Usage: tessera ").append(command).append(options.isEmpty() ? "" : " [flags]")
                .append("\n\n").append(synopsis).append("\n");
        if (!options.isEmpty()) {
            b.append("\nFlags:\n");
        }
        List<String> left = new ArrayList<>();
        for (Option o : options.values()) {
            left.add("--" + o.name + (o.isSwitch() ? "" : " " + o.valueName));
        }
        boolean globalVerbose = !declares(VERBOSE);
        if (globalVerbose) {
            left.add("--" + VERBOSE);
        }
        left.add("--help");
        int width = left.stream().mapToInt(String::length).max().orElse(0) + 2;
        int i = 0;
        for (Option o : options.values()) {
            String help = o.help + (o.defaultValue != null ? " (default: " + o.defaultValue + ")" : "");
            b.append("  ").append(pad(left.get(i++), width)).append(help).append('\n');
        }
        if (globalVerbose) {
            b.append("  ").append(pad("--" + VERBOSE, width)).append("let backends and native libraries print their own messages\n");
        }
        b.append("  ").append(pad("--help", width)).append("print this help and exit\n");
        return b.toString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(1, width - s.length()));
    }

    /**
     * Parses {@code args}.
     *
     * @throws UsageException naming the unknown flag, the missing value, or the stray argument; or an output flag
     *                        whose file cannot be written or clashes with another path flag (not checked with
     *                        {@code --help})
     */
    public Parsed parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Option o = options.get(name);
            if (o == null) {
                throw new UsageException("unknown flag --" + name);
            }
            if (o.isSwitch()) {
                if (inline != null) {
                    throw new UsageException("flag --" + name + " takes no value");
                }
                values.put(name, "true");
            } else if (inline != null) {
                values.put(name, inline);
            } else {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new UsageException("flag --" + name + " needs a value (" + o.valueName + ")");
                }
                values.put(name, args[++i]);
            }
        }
        if (!help) {
            Map<String, Path> outputs = new LinkedHashMap<>();
            Map<String, Path> paths = new LinkedHashMap<>();
            for (Option o : options.values()) {
                String v = values.getOrDefault(o.name, o.defaultValue);
                if (v != null && o.role != Role.VALUE) {
                    (o.role == Role.OUTPUT ? outputs : paths).put(o.name, toPath(o.name, v));
                }
            }
            PathChecks.check(outputs, paths);
        }
        return new Parsed(values, help);
    }

    private static Path toPath(String name, String value) {
        if (value.isBlank()) {
            throw new UsageException("flag --" + name + " needs a path, got '" + value + "'");
        }
        try {
            return Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            throw new UsageException("flag --" + name + " is not a valid path: " + e.getMessage());
        }
    }

    /** Parsed flags with typed getters that fail as {@link UsageException}s naming the flag. */
    public final class Parsed {
        private final Map<String, String> values;
        private final boolean help;

        private Parsed(Map<String, String> values, boolean help) {
            this.values = values;
            this.help = help;
        }

        public boolean helpRequested() {
            return help;
        }

        private Option option(String name) {
            Option o = options.get(name);
            if (o == null) {
                throw new IllegalArgumentException("command " + command + " declares no flag --" + name);
            }
            return o;
        }

        /** The value given, else the default; empty if neither. */
        public Optional<String> get(String name) {
            Option o = option(name);
            return Optional.ofNullable(values.getOrDefault(name, o.defaultValue));
        }

        public boolean isSet(String name) {
            option(name);
            return values.containsKey(name);
        }

        public String string(String name) {
            return get(name).orElseThrow(() -> new UsageException("flag --" + name + " is required"));
        }

        /** An integer of at least {@code min} that fits an {@code int}. */
        public int integer(String name, int min) {
            return integer(name, min, Integer.MAX_VALUE);
        }

        /**
         * An integer from {@code min} to {@code max}; a value out of that range, or too large for any integer type, is
         * refused with a message naming the flag, the value and the range.
         */
        public int integer(String name, int min, int max) {
            return (int) whole(name, min, max);
        }

        /** Any integer that fits a {@code long}. */
        public long longValue(String name) {
            return whole(name, Long.MIN_VALUE, Long.MAX_VALUE);
        }

        private long whole(String name, long min, long max) {
            String v = string(name);
            String range = max == Long.MAX_VALUE && min == Long.MIN_VALUE ? "a 64-bit integer"
                    : max == Integer.MAX_VALUE ? String.format(Locale.ROOT, "an integer of at least %,d (at most %,d)", min, max)
                    : String.format(Locale.ROOT, "an integer from %,d to %,d", min, max);
            java.math.BigInteger b;
            try {
                b = new java.math.BigInteger(v.strip());
            } catch (NumberFormatException e) {
                throw new UsageException("flag --" + name + " must be " + range + ", got '" + v + "'");
            }
            if (b.compareTo(java.math.BigInteger.valueOf(min)) < 0 || b.compareTo(java.math.BigInteger.valueOf(max)) > 0) {
                throw new UsageException("flag --" + name + " must be " + range + ", got " + b);
            }
            return b.longValueExact();
        }

        /** A finite number above {@code minExclusive}. */
        public double number(String name, double minExclusive) {
            double v = convert(name, Double::parseDouble, "a number");
            if (!(v > minExclusive) || Double.isInfinite(v)) {
                throw new UsageException("flag --" + name + " must be a finite number above " + minExclusive + ", got " + v(name));
            }
            return v;
        }

        /** A finite number of at least {@code min}. */
        public double numberAtLeast(String name, double min) {
            return numberInRange(name, min, Double.MAX_VALUE);
        }

        /** A number from {@code min} to {@code max}, both included. */
        public double numberInRange(String name, double min, double max) {
            double v = convert(name, Double::parseDouble, "a number");
            if (!(v >= min && v <= max)) {
                throw new UsageException("flag --" + name + " must be a number " + (max == Double.MAX_VALUE ? "of at least " + min
                        : "from " + min + " to " + max) + ", got " + v(name));
            }
            return v;
        }

        private String v(String name) {
            return string(name).strip();
        }

        public Optional<Path> path(String name) {
            return get(name).map(Path::of);
        }

        public boolean bool(String name) {
            return Boolean.parseBoolean(get(name).orElse("false"));
        }

        /** The value, which must be one of {@code choices} (case-insensitive). */
        public String choice(String name, List<String> choices) {
            String v = string(name).toLowerCase(Locale.ROOT);
            if (!choices.contains(v)) {
                throw new UsageException("flag --" + name + " must be one of " + String.join(", ", choices) + ", got '" + v + "'");
            }
            return v;
        }

        private <T> T convert(String name, Function<String, T> parse, String what) {
            String v = string(name);
            try {
                return parse.apply(v.strip());
            } catch (NumberFormatException e) {
                throw new UsageException("flag --" + name + " must be " + what + ", got '" + v + "'");
            }
        }
    }
}
