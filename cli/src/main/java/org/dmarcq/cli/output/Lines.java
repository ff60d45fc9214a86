package org.dmarcq.cli.output;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Lines of text for people that carry values from reports (names, hosts, IDs): a new line or
 * carriage return inside a value is shown escaped, so that a value never starts a line of its own
 * (one that reads like dmarcq's). The line ends are the format's own.
 */
public final class Lines {
    private Lines() {}

    public static void println(PrintWriter out, String line) {
        out.println(HumanWriter.oneLine(line));
    }

    /** {@code out.printf} in the root locale, with every string argument on one line. */
    public static void printf(PrintWriter out, String format, Object... args) {
        Object[] safe = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            safe[i] = args[i] instanceof String s ? HumanWriter.oneLine(s) : args[i];
        }
        out.printf(Locale.ROOT, format, safe);
    }
}
