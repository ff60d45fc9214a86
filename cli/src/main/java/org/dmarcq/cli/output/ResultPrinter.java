package org.dmarcq.cli.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Prints rows: an aligned table for a terminal, or CSV or JSON streamed row by row. JSON is an
 * array of objects keyed by column name; timestamps are ISO-8601 UTC ({@code 2026-11-05T00:00:00Z});
 * lists are arrays. In CSV times are ISO 8601 UTC too, and a list is one value per line of its
 * cell (a line break inside a value written as {@code \n}).
 */
public final class ResultPrinter {
    static final JsonFactory JSON = new com.fasterxml.jackson.core.JsonFactoryBuilder().characterEscapes(new TerminalSafeEscapes()).build();

    /**
     * JSON escapes the C0 controls; these escape the other characters a terminal acts on (DEL, the
     * C1 controls, bidirectional overrides) too, so that JSON shown with {@code cat} is safe. The
     * value read back is the same.
     */
    private static final class TerminalSafeEscapes extends com.fasterxml.jackson.core.io.CharacterEscapes {
        private final int[] ascii = standardAsciiEscapesForJSON();

        TerminalSafeEscapes() {
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public com.fasterxml.jackson.core.SerializableString getEscapeSequence(int ch) {
            return HumanWriter.unsafe((char) ch) ? new com.fasterxml.jackson.core.io.SerializedString(String.format("\\u%04X", ch))
                    : null;
        }
    }

    private final PrintWriter out;
    private final int tableRowLimit;
    private final int tableWidth;
    private final String moreRowsHint;
    private final TextTable.Style style;
    private List<String> dropOrder = List.of();
    private boolean linesWhenWide;

    /** @param tableRowLimit rows an aligned table shows at most; the rest are counted in a note */
    public ResultPrinter(PrintWriter out, int tableRowLimit) {
        this(out, tableRowLimit, Integer.MAX_VALUE, "use --format csv or json for all of them");
    }

    /**
     * A printer for a command's own results: tables in {@link TextTable.Style#COMMAND} style, fitted
     * to {@link #terminalWidth()}, every row shown (commands that can have many take a limit).
     */
    public static ResultPrinter forCommand(PrintWriter out) {
        return new ResultPrinter(out, Integer.MAX_VALUE, terminalWidth(), "", TextTable.Style.COMMAND);
    }

    /**
     * A table that would not fit its width even with every value whole is printed as
     * {@code column = value} lines instead (the interactive shell).
     */
    public ResultPrinter linesWhenWide() {
        linesWhenWide = true;
        return this;
    }

    /** The columns a table leaves out first when it does not fit (see {@link TextTable}). */
    public ResultPrinter dropFirst(String... columns) {
        dropOrder = List.of(columns);
        return this;
    }

    /**
     * @param tableWidth characters an aligned table should fit in (its widest columns are cut)
     * @param moreRowsHint how to see the rows a table leaves out, for the note
     */
    public ResultPrinter(PrintWriter out, int tableRowLimit, int tableWidth, String moreRowsHint) {
        this(out, tableRowLimit, tableWidth, moreRowsHint, TextTable.Style.SQL);
    }

    private ResultPrinter(PrintWriter out, int tableRowLimit, int tableWidth, String moreRowsHint, TextTable.Style style) {
        this.out = out;
        this.tableRowLimit = tableRowLimit;
        this.tableWidth = tableWidth;
        this.moreRowsHint = moreRowsHint;
        this.style = style;
    }

    private static Integer width;

    /**
     * The width human tables fit: {@code $COLUMNS} when set, else the terminal's when standard
     * output is one ({@code stty size}), else 80.
     */
    public static synchronized int terminalWidth() {
        if (width == null) {
            width = measureWidth();
        }
        return width;
    }

    private static int measureWidth() {
        String columns = System.getenv("COLUMNS");
        if (columns != null && columns.strip().matches("[0-9]{1,4}") && Integer.parseInt(columns.strip()) >= 20) {
            return Integer.parseInt(columns.strip());
        }
        if (HumanWriter.stdoutIsTerminal()) {
            try {
                Process p = new ProcessBuilder("stty", "size").redirectInput(new java.io.File("/dev/tty"))
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String size = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip();
                if (p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS) && size.matches("[0-9]+ [0-9]+")) {
                    int w = Integer.parseInt(size.substring(size.indexOf(' ') + 1));
                    if (w >= 20) {
                        return w;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no stty, or no terminal after all: the default
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return 80;
    }

    /** Prints every row as {@code column = value} lines, rows separated by a blank line; returns the row count. */
    public long printRecords(ResultSet rs) throws SQLException {
        List<String> names = Values.names(rs.getMetaData());
        int[] types = Values.types(rs.getMetaData());
        int width = names.stream().mapToInt(String::length).max().orElse(0);
        long rows = 0;
        while (rs.next()) {
            if (rows++ > 0) {
                out.println();
            }
            for (int i = 0; i < types.length; i++) {
                Object value = Values.read(rs, i + 1, types[i]);
                out.printf("%" + width + "s = %s%n", names.get(i), value == null ? TextTable.NULL : Values.text(value));
            }
        }
        out.flush();
        return rows;
    }

    /** Prints every row of the result set; returns how many rows it had. */
    public long print(ResultSet rs, Format format) throws SQLException {
        List<String> names = Values.names(rs.getMetaData());
        int[] types = Values.types(rs.getMetaData());
        Rows sink = sink(format, names);
        while (rs.next()) {
            Object[] row = new Object[types.length];
            for (int i = 0; i < types.length; i++) {
                row[i] = Values.read(rs, i + 1, types[i]);
            }
            sink.row(row);
        }
        return sink.end();
    }

    /** Prints rows of plain values (numbers, strings, times, lists) under the given column names. */
    public long print(List<String> names, List<Object[]> rows, Format format) {
        Rows sink = sink(format, names);
        for (Object[] row : rows) {
            sink.row(row);
        }
        return sink.end();
    }

    /** Where rows go one at a time, for answers too long to hold: the table keeps only what it shows. */
    public Rows rows(List<String> names, Format format) {
        return sink(format, names);
    }

    private Rows sink(Format format, List<String> names) {
        return switch (format) {
            case TABLE -> new TableSink(names);
            case CSV -> new CsvSink(names);
            case JSON -> new JsonSink(names);
        };
    }

    /** Where rows go, one at a time. */
    public interface Rows {
        void row(Object[] values);

        /** Finishes the output; returns the number of rows. */
        long end();
    }

    private final class TableSink implements Rows {
        private final TextTable table;
        private long rows;

        TableSink(List<String> names) {
            table = new TextTable(names, style);
        }

        @Override
        public void row(Object[] values) {
            if (++rows <= tableRowLimit) {
                table.add(values);
            }
        }

        @Override
        public long end() {
            if (linesWhenWide && tableWidth != Integer.MAX_VALUE && table.wider(tableWidth)) {
                table.printLines(out);
            } else {
                table.print(out, tableWidth, dropOrder);
            }
            if (rows > tableRowLimit) {
                out.printf("(%,d rows, %,d not shown; %s)%n", rows, rows - tableRowLimit, moreRowsHint);
            } else if (style == TextTable.Style.SQL || rows == 0) {
                out.printf("(%,d %s)%n", rows, rows == 1 ? "row" : "rows");
            }
            out.flush();
            return rows;
        }
    }

    private final class CsvSink implements Rows {
        private final CSVPrinter csv;
        private final List<String> record = new ArrayList<>();
        private long rows;

        CsvSink(List<String> names) {
            try {
                csv = new CSVPrinter(HumanWriter.exact(out), CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get());
                csv.printRecord(names);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void row(Object[] values) {
            rows++;
            record.clear();
            for (Object value : values) {
                record.add(value == null ? "" : value instanceof Collection<?> list ? join(list) : csvText(value));
            }
            try {
                csv.printRecord(record);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A list: one value per line of the cell; a line break inside a value is written {@code \n} (or {@code \r}). */
        private String join(Collection<?> list) {
            List<String> texts = new ArrayList<>(list.size());
            for (Object o : list) {
                String text = o == null ? "" : csvText(o);
                texts.add(text.replace("\r", "\\r").replace("\n", "\\n"));
            }
            return String.join("\n", texts);
        }

        /** Times as in JSON, ISO 8601 in UTC; the rest as in tables. */
        private String csvText(Object value) {
            if (value instanceof LocalDateTime t) {
                return isoUtc(t);
            }
            if (value instanceof Instant t) {
                return DateTimeFormatter.ISO_INSTANT.format(t);
            }
            if (value instanceof OffsetDateTime t) {
                return DateTimeFormatter.ISO_INSTANT.format(t.toInstant());
            }
            return Values.text(value);
        }

        @Override
        public long end() {
            try {
                csv.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return rows;
        }
    }

    private final class JsonSink implements Rows {
        private final List<String> names;
        private final JsonGenerator g;
        private long rows;

        JsonSink(List<String> names) {
            this.names = names;
            try {
                g = JSON.createGenerator(new NonClosingWriter(HumanWriter.exact(out)));
                g.writeStartArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void row(Object[] values) {
            rows++;
            try {
                g.writeStartObject();
                for (int i = 0; i < names.size(); i++) {
                    g.writeFieldName(names.get(i));
                    writeJson(g, values[i]);
                }
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public long end() {
            try {
                g.writeEndArray();
                g.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.println();
            out.flush();
            return rows;
        }
    }

    /** A generator writing JSON to {@code out} as {@link #printJson} does, for a value written as it is made. */
    public static JsonGenerator jsonGenerator(PrintWriter out) throws IOException {
        return JSON.createGenerator(new NonClosingWriter(HumanWriter.exact(out)));
    }

    /** Prints one plain value (maps, lists, numbers, strings, times) as JSON on a line of its own. */
    public static void printJson(PrintWriter out, Object value) {
        try (JsonGenerator g = jsonGenerator(out)) {
            writeJson(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println();
        out.flush();
    }

    /** Writes a plain value (see {@link Values}) as JSON. */
    public static void writeJson(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (value instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                g.writeNull();
            } else {
                g.writeNumber(d);
            }
        } else if (value instanceof Float f) {
            g.writeNumber(f);
        } else if (value instanceof LocalDateTime t) {
            g.writeString(isoUtc(t));
        } else if (value instanceof Instant t) {
            g.writeString(DateTimeFormatter.ISO_INSTANT.format(t));
        } else if (value instanceof OffsetDateTime t) {
            g.writeString(t.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME).replace("+00:00", "Z"));
        } else if (value instanceof LocalDate d) {
            g.writeString(d.toString());
        } else if (value instanceof Collection<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                writeJson(g, o);
            }
            g.writeEndArray();
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeJson(g, e.getValue());
            }
            g.writeEndObject();
        } else {
            g.writeString(value.toString());
        }
    }

    /** A share (pass rates and the like) as every format shows it: rounded to 4 decimals; null stays null. */
    public static Double rate(Double share) {
        return org.dmarcq.analysis.Precision.rate(share);
    }

    /** ISO-8601 UTC, seconds precision when there is no fraction: {@code 2026-11-05T00:00:00Z}. */
    public static String isoUtc(LocalDateTime t) {
        return t.atOffset(ZoneOffset.UTC).format(DateTimeFormatter.ISO_INSTANT);
    }

    static final class NonClosingWriter extends java.io.FilterWriter {
        NonClosingWriter(java.io.Writer out) {
            super(out);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
