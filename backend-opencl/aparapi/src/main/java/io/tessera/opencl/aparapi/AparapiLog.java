package io.tessera.opencl.aparapi;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Takes Aparapi's {@code java.util.logging} output off the console and keeps its last warnings, so that a refused
 * fall-back or a failed load can quote Aparapi's own reason. With {@code -Dtessera.verbose=true} Aparapi's records also
 * reach the console as before. Aparapi's class initialisation sets the level of every root handler to its own
 * (WARNING by default), which would hide the application's INFO lines; {@link #install()} undoes that. Messages that
 * Aparapi's native library prints itself are not Java log records and are not caught here. Thread-safe.
 */
final class AparapiLog extends Handler {
    private static final int KEPT = 16;
    private static AparapiLog installed;

    private final List<String> messages = new ArrayList<>();
    private long sequence;

    private AparapiLog() {
        setLevel(Level.WARNING);
    }

    /**
     * Initialises Aparapi's configuration class, restores the root handlers' levels it changed, and attaches the
     * handler to Aparapi's logger; once per class loader. Touches no native code.
     */
    static synchronized AparapiLog install() {
        if (installed == null) {
            Handler[] roots = Logger.getLogger("").getHandlers();
            Level[] levels = new Level[roots.length];
            for (int i = 0; i < roots.length; i++) {
                levels[i] = roots[i].getLevel();
            }
            String name;
            try {
                name = com.aparapi.Config.getLoggerName();
            } finally {
                for (int i = 0; i < roots.length; i++) {
                    roots[i].setLevel(levels[i]);
                }
            }
            Logger logger = Logger.getLogger(name);
            logger.setUseParentHandlers(Boolean.getBoolean(io.tessera.spi.BackendProvider.VERBOSE_PROPERTY));
            installed = new AparapiLog();
            logger.addHandler(installed);
        }
        return installed;
    }

    /** A position in the log; {@link #since} returns what was logged after it. */
    synchronized long mark() {
        return sequence;
    }

    /** The messages logged since {@code mark}, oldest first, joined with "; ", or "" when none. */
    synchronized String since(long mark) {
        long newer = Math.min(sequence - mark, messages.size());
        return String.join("; ", messages.subList(messages.size() - (int) newer, messages.size()));
    }

    @Override
    public synchronized void publish(LogRecord record) {
        if (record == null || record.getLevel().intValue() < Level.WARNING.intValue()) {
            return;
        }
        String text = record.getMessage();
        if (record.getThrown() != null) {
            text = text + " (" + record.getThrown() + ")";
        }
        if (messages.size() == KEPT) {
            messages.remove(0);
        }
        messages.add(text);
        sequence++;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
