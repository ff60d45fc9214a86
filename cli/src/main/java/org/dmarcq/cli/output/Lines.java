package org.dmarcq.cli.output;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Lines of text for people that carry values from reports (names, hosts, IDs): a new line or
 * carriage return inside a value is shown escaped, so that a value never starts a line of its own
 * (one that reads like dmarcq's). Lines longer than {@link ResultPrinter#terminalWidth()} wrap at
 * spaces, continuing two columns in from where the line's text starts; a word is never broken,
 * so paths and commands stay whole (and can be copied).
 */
public final class Lines {
    private static final java.util.regex.Pattern WORD = java.util.regex.Pattern.compile("( *)([^ ]+)");

    private Lines() {}

    public static void println(PrintWriter out, String line) {
        out.print(wrap(HumanWriter.oneLine(line), ResultPrinter.terminalWidth()));
        out.println();
    }

    /** {@code out.printf} in the root locale, with every string argument on one line, wrapped as {@link #println} does. */
    public static void printf(PrintWriter out, String format, Object... args) {
        Object[] safe = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            safe[i] = args[i] instanceof String s ? HumanWriter.oneLine(s) : args[i];
        }
        String text = String.format(Locale.ROOT, format, safe);
        String[] lines = text.split("\n", -1);
        int width = ResultPrinter.terminalWidth();
        for (int i = 0; i < lines.length; i++) {
            out.print(wrap(lines[i], width));
            if (i < lines.length - 1) {
                out.println();
            }
        }
    }

    /** The line, wrapped at spaces to {@code width} columns with a hanging indent; lines joined by {@code \n}. */
    static String wrap(String line, int width) {
        if (line.length() <= width) {
            return line;
        }
        int indent = 0;
        while (indent < line.length() && line.charAt(indent) == ' ') {
            indent++;
        }
        String more = " ".repeat(Math.min(indent + 2, width / 2));
        StringBuilder out = new StringBuilder();
        StringBuilder current = new StringBuilder(line.substring(0, indent));
        boolean empty = true;
        // each word with the spaces before it, kept as they are unless the line breaks there
        java.util.regex.Matcher m = WORD.matcher(line.substring(indent));
        while (m.find()) {
            String spaces = m.group(1);
            String word = m.group(2);
            if (!empty && current.length() + spaces.length() + word.length() > width) {
                out.append(current).append('\n');
                current = new StringBuilder(more);
                empty = true;
            }
            if (!empty) {
                current.append(spaces);
            }
            current.append(word);
            empty = false;
        }
        return out.append(current).toString();
    }
}
