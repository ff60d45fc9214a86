package org.dmarcq.html;

/**
 * An HTML document as it is written. Every piece of text goes through {@link #text}: names, IDs
 * and comments come from reports, and reports are written by anyone.
 */
final class Html {
    private final StringBuilder sb = new StringBuilder(1 << 16);

    /**
     * Longest piece of text shown: the rest is cut, with an ellipsis. Values from reports are
     * bounded when they are stored; this bounds a sentence made of many of them.
     */
    static final int MAX_TEXT = 4000;

    /** Opens {@code tag} with its attributes, given as name and value pairs (values escaped; a null value leaves the attribute out). */
    Html open(String tag, String... attributes) {
        sb.append('<').append(tag);
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            if (attributes[i + 1] != null) {
                sb.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1], Integer.MAX_VALUE)).append('"');
            }
        }
        sb.append('>');
        return this;
    }

    Html close(String tag) {
        sb.append("</").append(tag).append('>');
        return this;
    }

    /** {@code <tag>text</tag>}. */
    Html element(String tag, String text, String... attributes) {
        return open(tag, attributes).text(text).close(tag);
    }

    Html text(String text) {
        sb.append(escape(text, MAX_TEXT));
        return this;
    }

    /** Markup written by dmarcq itself, never text from a report. */
    Html raw(String markup) {
        sb.append(markup);
        return this;
    }

    /** The explicit directional formatting characters: embeddings, overrides, isolates, marks. */
    private static boolean bidi(char c) {
        return c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069' || c == '\u200e' || c == '\u200f'
                || c == '\u061c';
    }

    @Override
    public String toString() {
        return sb.toString();
    }

    /**
     * Text made safe for an element or a quoted attribute, cut at {@code max} characters: markup
     * characters escaped, control characters (which could rewrite what a terminal shows when the
     * file is printed to one) and the controls of text direction (with which a name from a report
     * could reverse the sentence around it) shown as U+FFFD.
     */
    static String escape(String text, int max) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 16);
        int shown = 0;
        for (int i = 0; i < text.length(); i++) {
            if (shown == max) {
                out.append('…');
                break;
            }
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 && c != '\n' || c == 0x7f || c >= 0x80 && c < 0xa0 || bidi(c) ? '\ufffd' : c);
            }
            shown++;
        }
        return out.toString();
    }
}
