package org.dmarcq.cli.output;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * A writer for what people read on a terminal: control characters and terminal escapes in the text
 * (which may come from a report: names, IDs, file names) are shown escaped, as {@code \x1b} or
 * {@code \u202e}, so that no input can clear the screen, set the title, move the cursor or reverse
 * the text. New lines and tabs pass. Output that must be exact (JSON, CSV) is written to
 * {@link #exact} instead (JSON escapes control characters itself), unless a person reads that too:
 * see {@link #forTerminal}.
 */
public final class HumanWriter extends PrintWriter {
    /** Where exact output goes; null when it is escaped too. */
    private final PrintWriter exact;

    private HumanWriter(PrintWriter out, boolean exactPassesThrough) {
        super(new Escaping(out), true);
        this.exact = exactPassesThrough ? out : null;
    }

    /** A human writer over {@code out} (itself when it is one already); exact output passes unescaped. */
    public static PrintWriter of(PrintWriter out) {
        return out instanceof HumanWriter ? out : new HumanWriter(out, true);
    }

    /** A writer to a terminal: a person reads everything on it, so even CSV and JSON are escaped. */
    public static PrintWriter forTerminal(PrintWriter out) {
        return new HumanWriter(out instanceof HumanWriter h && h.exact != null ? h.exact : out, false);
    }

    /** Where output that must be exact goes: under a human writer, unless it writes to a terminal. */
    public static PrintWriter exact(PrintWriter out) {
        return out instanceof HumanWriter h && h.exact != null ? h.exact : out;
    }

    /**
     * Whether standard output is a terminal, also when standard input is not (a script piped into
     * the shell), where {@code System.console()} says no: on Linux, by what file descriptor 1 is.
     */
    public static boolean stdoutIsTerminal() {
        return System.console() != null || isTerminal(1);
    }

    /** Whether standard error is a terminal (where progress may be drawn), also when standard output is not. */
    public static boolean stderrIsTerminal() {
        return isTerminal(2);
    }

    private static boolean isTerminal(int fd) {
        try {
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** The text with every unsafe character escaped. */
    public static String escape(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (unsafe(c)) {
                if (sb == null) {
                    sb = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                sb.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? text : sb.toString();
    }

    /**
     * The text escaped to one line: also new lines and carriage returns, so that a name from the
     * input cannot start a line of its own (an error or warning line that looks like another).
     */
    public static String oneLine(String text) {
        return escape(text.replace("\r", "\\r").replace("\n", "\\n"));
    }

    /** C0 controls but new line and tab, DEL, C1 controls, and the bidirectional embeddings, overrides and isolates. */
    static boolean unsafe(char c) {
        return c < 0x20 && c != '\n' && c != '\t' || c >= 0x7f && c <= 0x9f || c >= 0x202a && c <= 0x202e
                || c >= 0x2066 && c <= 0x2069 || c == 0x061c;
    }

    private static final class Escaping extends FilterWriter {
        Escaping(Writer out) {
            super(out);
        }

        @Override
        public void write(int c) throws IOException {
            out.write(unsafe((char) c) ? escape(String.valueOf((char) c)) : String.valueOf((char) c));
        }

        @Override
        public void write(char[] buf, int off, int len) throws IOException {
            write(new String(buf, off, len), 0, len);
        }

        @Override
        public void write(String text, int off, int len) throws IOException {
            String part = text.substring(off, off + len);
            out.write(escape(part));
        }
    }
}
