package io.tessera;

import java.io.IOException;
import java.util.function.Function;

/**
 * The checks a reader makes before it allocates what a file declares: one Java array's limit, the heap's limit, and
 * the heap that is free now. A refusal is the caller's exception (which names the file) with a message giving the
 * declared size and the limit; never a raw {@link OutOfMemoryError}. Stateless and thread-safe.
 */
public final class ReadLimits {
    /** The largest array the JVM allocates on every platform. */
    public static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private ReadLimits() {
    }

    /**
     * A new array of {@code count} bytes, or the exception {@code refusal} makes of a message saying why not.
     *
     * @param what what the bytes are, for the message, e.g. {@code "the images"}
     * @param <E> the caller's exception type
     * @param count the number of bytes the file declares
     * @param refusal makes the exception from the message
     * @return a new zeroed array of {@code count} bytes
     * @throws E if {@code count} is negative, exceeds {@link #MAX_ARRAY}, the heap's limit or the heap free now
     */
    public static <E extends IOException> byte[] bytes(long count, String what, Function<String, E> refusal) throws E {
        if (count < 0 || count > MAX_ARRAY) {
            throw refusal.apply(what + " declare " + count + " bytes; one array holds at most " + MAX_ARRAY);
        }
        Runtime rt = Runtime.getRuntime();
        if (count > rt.maxMemory()) {
            throw refusal.apply(what + " need " + count + " bytes of heap, more than the heap's limit of " + rt.maxMemory()
                    + " bytes (" + RAISE + ")");
        }
        try {
            return new byte[(int) count];
        } catch (OutOfMemoryError e) {
            long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
            throw refusal.apply(what + " need " + count + " bytes of heap, but only about " + free + " of the heap's "
                    + rt.maxMemory() + " bytes are free (" + RAISE + ")");
        }
    }

    private static final String RAISE = "raise -Xmx, or TESSERA_HEAP for ./tessera";
}
