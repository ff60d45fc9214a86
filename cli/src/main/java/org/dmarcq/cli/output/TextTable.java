package org.dmarcq.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * An aligned text table: a header, a rule, then the rows; numbers right-aligned, and the table
 * fitted to a width: then cells wider than {@link #MAX_CELL} are cut with an ellipsis. Without a
 * width (a file or a pipe), every value is whole.
 *
 * <p>Two styles. {@link Style#SQL} (the {@code sql} command and the shell) shows values as they
 * are, NULL as {@code NULL}, and fits by cutting the widest columns. {@link Style#COMMAND} (every
 * other command) shows an empty value as {@code -}, whole numbers with thousands separators, a list
 * of more than {@value #LIST_ITEMS} items as its first ones and a count, and fits in this order:
 * columns with no value in any row are left out; the columns of the drop order given are left out
 * in that order (with none given, from the last column towards the first; the first one is always
 * kept); the widest of those left are cut, with an ellipsis. A line under the table names the
 * columns left out.
 */
public final class TextTable {
    static final int MAX_CELL = 60;
    static final int LIST_ITEMS = 2;
    static final int MIN_CELL = 6;
    static final String NULL = "NULL";

    /** How values read and how the table fits; see the class comment. */
    public enum Style { SQL, COMMAND }

    private final List<String> names;
    private final Style style;
    private final List<String[]> rows = new ArrayList<>();
    private final boolean[] numeric;
    private final boolean[] seen;

    public TextTable(List<String> names) {
        this(names, Style.SQL);
    }

    public TextTable(List<String> names, Style style) {
        this.names = List.copyOf(names);
        this.style = style;
        this.numeric = new boolean[names.size()];
        this.seen = new boolean[names.size()];
        java.util.Arrays.fill(numeric, true);
    }

    /** Adds a row of plain values (numbers, strings, times, ...). */
    public void add(Object... values) {
        String[] cells = new String[names.size()];
        for (int i = 0; i < cells.length; i++) {
            Object v = i < values.length ? values[i] : null;
            if (v instanceof Collection<?> c && c.isEmpty() && style == Style.COMMAND) {
                v = null;
            }
            if (v != null) {
                seen[i] = true;
                numeric[i] &= Values.isNumber(v);
            }
            String text = v == null ? (style == Style.SQL ? NULL : null) : text(v);
            if (text != null) {
                text = text.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
            }
            cells[i] = text;
        }
        rows.add(cells);
    }

    private String text(Object v) {
        if (style == Style.COMMAND) {
            if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof java.math.BigInteger) {
                return String.format(Locale.ROOT, "%,d", v);
            }
            if (v instanceof Collection<?> list && list.size() > LIST_ITEMS) {
                List<String> first = new ArrayList<>();
                for (Object o : list) {
                    if (first.size() == LIST_ITEMS) {
                        break;
                    }
                    first.add(Values.text(o));
                }
                return String.join(", ", first) + String.format(Locale.ROOT, " +%,d more", list.size() - LIST_ITEMS);
            }
        }
        return Values.text(v);
    }

    public void print(PrintWriter out) {
        print(out, Integer.MAX_VALUE, List.of());
    }

    /** Whether the table, every value whole (up to {@link #MAX_CELL}), is wider than {@code width}. */
    boolean wider(int width) {
        boolean[] all = new boolean[names.size()];
        java.util.Arrays.fill(all, true);
        return total(widths(MAX_CELL), all) > width;
    }

    /** Each column's width: its name's, or its widest value's, cut at {@code cell}. */
    private int[] widths(int cell) {
        int[] widths = new int[names.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = names.get(i).length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], Math.min(cell, row[i] == null ? 1 : row[i].length()));
            }
        }
        return widths;
    }

    /** The rows as {@code column = value} lines, a blank line between rows: for a result too wide for the screen. */
    void printLines(PrintWriter out) {
        int width = names.stream().mapToInt(String::length).max().orElse(0);
        for (int r = 0; r < rows.size(); r++) {
            if (r > 0) {
                out.println();
            }
            for (int i = 0; i < names.size(); i++) {
                String value = rows.get(r)[i];
                out.println(" ".repeat(width - names.get(i).length()) + names.get(i) + " = " + (value == null ? "-" : value));
            }
        }
        out.flush();
    }

    public void print(PrintWriter out, int maxWidth) {
        print(out, maxWidth, List.of());
    }

    /**
     * Prints the table within {@code maxWidth} characters where it can, leaving columns out in
     * {@code dropOrder} (column names; COMMAND style only) before the default order.
     */
    public void print(PrintWriter out, int maxWidth, List<String> dropOrder) {
        // a table of unbounded width (a file, a pipe) shows every value whole
        int[] widths = widths(maxWidth == Integer.MAX_VALUE ? Integer.MAX_VALUE : MAX_CELL);
        boolean[] shown = new boolean[names.size()];
        java.util.Arrays.fill(shown, true);
        List<String> dropped = style == Style.COMMAND ? dropToFit(widths, shown, maxWidth, dropOrder) : List.of();
        fit(widths, shown, maxWidth);
        int last = widths.length - 1;
        while (last > 0 && !shown[last]) {
            last--;
        }
        StringBuilder line = new StringBuilder();
        for (int i = 0; i <= last; i++) {
            if (shown[i]) {
                pad(line, cut(names.get(i), widths[i]), widths[i], right(i), i == last);
            }
        }
        out.println(line.toString().stripTrailing());
        line.setLength(0);
        for (int i = 0; i <= last; i++) {
            if (shown[i]) {
                line.append("-".repeat(widths[i])).append(i == last ? "" : "  ");
            }
        }
        out.println(line);
        for (String[] row : rows) {
            line.setLength(0);
            for (int i = 0; i <= last; i++) {
                if (shown[i]) {
                    pad(line, cut(row[i] == null ? "-" : row[i], widths[i]), widths[i], right(i), i == last);
                }
            }
            out.println(line.toString().stripTrailing());
        }
        if (!dropped.isEmpty()) {
            out.println(Lines.wrap("(not shown, to fit " + maxWidth + " columns: " + String.join(", ", dropped)
                    + "; --format csv or json has every column)", maxWidth));
        }
        out.flush();
    }

    /** The COMMAND style's steps before cutting: empty columns out, then columns out by the drop order. */
    private List<String> dropToFit(int[] widths, boolean[] shown, int maxWidth, List<String> dropOrder) {
        List<String> dropped = new ArrayList<>();
        if (total(widths, shown) <= maxWidth) {
            return dropped;
        }
        for (int i = 1; i < widths.length; i++) {
            if (!seen[i]) {
                shown[i] = false;
            }
        }
        List<Integer> order = new ArrayList<>();
        for (String name : dropOrder) {
            int i = names.indexOf(name);
            if (i > 0) {
                order.add(i);
            }
        }
        for (int i = widths.length - 1; i > 0 && dropOrder.isEmpty(); i--) {
            order.add(i);
        }
        for (int i : order) {
            if (total(widths, shown) <= maxWidth) {
                break;
            }
            if (shown[i]) {
                shown[i] = false;
                if (seen[i]) {
                    dropped.add(names.get(i));
                }
            }
        }
        return dropped;
    }

    private static long total(int[] widths, boolean[] shown) {
        long total = -2;
        for (int i = 0; i < widths.length; i++) {
            if (shown[i]) {
                total += widths[i] + 2;
            }
        }
        return total;
    }

    /** Narrows the widest columns, one character at a time, until the table fits or none can narrow below {@link #MIN_CELL}. */
    private static void fit(int[] widths, boolean[] shown, int maxWidth) {
        long total = total(widths, shown);
        while (total > maxWidth) {
            int widest = -1;
            for (int i = 0; i < widths.length; i++) {
                if (shown[i] && widths[i] > MIN_CELL && (widest < 0 || widths[i] > widths[widest])) {
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
        String spaces = " ".repeat(Math.max(0, width - text.length()));
        line.append(right ? spaces + text : text + (last ? "" : spaces));
        if (!last) {
            line.append("  ");
        }
    }
}
