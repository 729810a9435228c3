package io.tessera;

/**
 * Text that came from a file (a checkpoint's layer or class names, a header line, a data file's token), made safe to
 * put in a message or print: control characters, format characters (such as bidirectional overrides), separators
 * other than the space, unassigned and private-use code points, lone surrogates and the backslash are written as
 * escapes ({@code \x1b} below U+0100, {@code \u202e} above), so a file cannot move the cursor, recolour or rewrite a
 * terminal. Printable letters of any script are kept. Stateless and thread-safe.
 */
public final class Printable {
    private Printable() {
    }

    /**
     * {@code text} escaped.
     *
     * @param text text from a file, or null
     * @return the escaped text; "null" for null
     */
    public static String of(String text) {
        return of(text, Integer.MAX_VALUE);
    }

    /**
     * {@code text} escaped, cut to its first {@code maxChars} characters (then "...") so a huge field stays short.
     *
     * @param text     text from a file, or null
     * @param maxChars how many characters of {@code text} to keep at most
     * @return the escaped text; "null" for null
     */
    public static String of(String text, int maxChars) {
        if (text == null) {
            return "null";
        }
        int limit = Math.min(text.length(), maxChars);
        StringBuilder b = new StringBuilder(limit + 16);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            if (shown(c, text, i)) {
                b.append(c);
                if (Character.isHighSurrogate(c)) {
                    b.append(text.charAt(++i));
                }
            } else {
                b.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            }
        }
        if (text.length() > limit) {
            b.append("...");
        }
        return b.toString();
    }

    private static boolean shown(char c, String text, int i) {
        if (c >= 0x20 && c < 0x7f) {
            return c != '\\';
        }
        if (c < 0xa0) {
            return false;
        }
        int cp = c;
        if (Character.isHighSurrogate(c)) {
            if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                return false;
            }
            cp = Character.toCodePoint(c, text.charAt(i + 1));
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                 Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }
}
