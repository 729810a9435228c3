package io.tessera.opencl.aparapi;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps the last warnings Aparapi logged (through {@code java.util.logging}), so that a refused fall-back can quote
 * Aparapi's own reason. Aparapi's console output is left as it is. Thread-safe.
 */
final class AparapiLog extends Handler {
    private static final int KEPT = 16;
    private static AparapiLog installed;

    private final List<String> messages = new ArrayList<>();
    private long sequence;

    private AparapiLog() {
        setLevel(Level.WARNING);
    }

    /** Attaches the handler to Aparapi's logger once per class loader; touches no native code. */
    static synchronized AparapiLog install(String loggerName) {
        if (installed == null) {
            installed = new AparapiLog();
            Logger.getLogger(loggerName).addHandler(installed);
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
