package io.tessera.examples.cli;

import java.io.PrintStream;

/**
 * A sub-command of the {@code tessera} launcher ({@code devices}, {@code mnist}, ...), found through
 * {@link java.util.ServiceLoader}: each example module lists its commands in
 * {@code META-INF/services/io.tessera.examples.cli.Command}.
 */
public interface Command {

    /** The word that selects it, e.g. {@code mnist}. */
    String name();

    /** One line for the launcher's command list. */
    String summary();

    /** The flags this command accepts; {@code --help} is added by the launcher. */
    Options options();

    /**
     * Runs the command with parsed flags.
     *
     * @return the process exit code (0 on success)
     * @throws UsageException for a bad flag value; the launcher prints it with the usage and exits 2
     */
    int run(Options.Parsed flags, PrintStream out) throws Exception;
}
