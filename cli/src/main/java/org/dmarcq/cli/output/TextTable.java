package org.dmarcq.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * An aligned text table: a header, a rule, then the rows; numbers right-aligned, NULL shown as
 * {@code NULL}, cells wider than {@link #MAX_CELL} cut with an ellipsis, and the widest columns cut
 * further when the table must fit a terminal's width.
 */
public final class TextTable {
    static final int MAX_CELL = 60;
    static final String NULL = "NULL";

    private final List<String> names;
    private final List<String[]> rows = new ArrayList<>();
    private final boolean[] numeric;
    private final boolean[] seen;

    public TextTable(List<String> names) {
        this.names = List.copyOf(names);
        this.numeric = new boolean[names.size()];
        this.seen = new boolean[names.size()];
        java.util.Arrays.fill(numeric, true);
    }

    /** Adds a row of plain values (numbers, strings, times, ...). */
    public void add(Object... values) {
        String[] cells = new String[names.size()];
        for (int i = 0; i < cells.length; i++) {
            Object v = i < values.length ? values[i] : null;
            if (v != null) {
                seen[i] = true;
                numeric[i] &= Values.isNumber(v);
            }
            String text = v == null ? NULL : Values.text(v);
            text = text.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
            if (text.length() > MAX_CELL) {
                text = text.substring(0, MAX_CELL - 1) + "…";
            }
            cells[i] = text;
        }
        rows.add(cells);
    }

    public void print(PrintWriter out) {
        print(out, Integer.MAX_VALUE);
    }

    /** Prints the table within {@code maxWidth} characters where it can: columns are not cut below {@link #MIN_CELL}. */
    public void print(PrintWriter out, int maxWidth) {
        int[] widths = new int[names.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = names.get(i).length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        fit(widths, maxWidth);
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            pad(line, cut(names.get(i), widths[i]), widths[i], right(i), i == widths.length - 1);
        }
        out.println(line.toString().stripTrailing());
        line.setLength(0);
        for (int i = 0; i < widths.length; i++) {
            line.append("-".repeat(widths[i])).append(i == widths.length - 1 ? "" : "  ");
        }
        out.println(line);
        for (String[] row : rows) {
            line.setLength(0);
            for (int i = 0; i < widths.length; i++) {
                pad(line, cut(row[i], widths[i]), widths[i], right(i), i == widths.length - 1);
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    static final int MIN_CELL = 6;

    /** Narrows the widest columns, one character at a time, until the table fits or none can narrow. */
    private static void fit(int[] widths, int maxWidth) {
        long total = 2L * (widths.length - 1);
        for (int w : widths) {
            total += w;
        }
        while (total > maxWidth) {
            int widest = -1;
            for (int i = 0; i < widths.length; i++) {
                if (widths[i] > MIN_CELL && (widest < 0 || widths[i] > widths[widest])) {
                    widest = i;
                }
            }
            if (widest < 0) {
                return;
            }
            widths[widest]--;
            total--;
        }
    }

    private static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }

    private boolean right(int column) {
        return seen[column] && numeric[column];
    }

    private static void pad(StringBuilder line, String text, int width, boolean right, boolean last) {
        String spaces = " ".repeat(width - text.length());
        line.append(right ? spaces + text : text + (last ? "" : spaces));
        if (!last) {
            line.append("  ");
        }
    }
}
