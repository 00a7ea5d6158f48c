package io.lockstep.cli.client;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * Text a server (or anyone who wrote to it: notes, provenance, error bodies) chose, made safe to
 * print in a terminal and in a CI log. CI runners read workflow commands from every line of a
 * step's stdout and stderr: {@code ::command::} at the start of a line (after leading whitespace)
 * and the legacy {@code ##[command]} anywhere in a line. So every control, format (bidi overrides,
 * zero-width), line- and paragraph-separator character is shown as {@code \}{@code uXXXX} (no
 * server text can start a line of its own), {@code ##[} is broken up, and a leading {@code ::}
 * is escaped.
 */
public final class Printable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter COMPACT = writer(MAPPER.writer());
    private static final ObjectWriter PRETTY = writer(MAPPER.writerWithDefaultPrettyPrinter());

    private Printable() {
    }

    /** {@code s} with every character that could hide, reorder or forge output escaped; null stays null. */
    public static String text(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (unsafe(cp)) {
                b.append(cp > 0xFFFF ? String.format("\\u{%X}", cp) : String.format("\\u%04x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        String out = b.toString().replace("##[", "#\\u0023[");
        String trimmed = out.stripLeading();
        if (trimmed.startsWith("::")) {
            int at = out.length() - trimmed.length();
            out = out.substring(0, at) + "\\u003a" + out.substring(at + 1);
        }
        return out;
    }

    /** Characters never printed as themselves: C0/C1 controls, format (Cf), line and paragraph separators. */
    static boolean unsafe(int cp) {
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /**
     * A JSON writer whose output has the same escaping, as JSON escapes ({@code \}{@code u202e},
     * {@code \}{@code u0023}), so documents stay valid and mean exactly the same to a parser.
     */
    public static ObjectWriter json(boolean pretty) {
        return pretty ? PRETTY : COMPACT;
    }

    private static ObjectWriter writer(ObjectWriter w) {
        return w.with(new SafeEscapes());
    }

    private static final class SafeEscapes extends CharacterEscapes {
        private final int[] ascii;

        SafeEscapes() {
            ascii = standardAsciiEscapesForJSON();
            // '#' always: "##[" anywhere in a line is a legacy workflow command.
            ascii['#'] = ESCAPE_STANDARD;
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            // Jackson asks for every non-ASCII character: escape the unsafe ones, the rest stay UTF-8.
            return ch >= 128 && unsafe(ch) ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }
}
