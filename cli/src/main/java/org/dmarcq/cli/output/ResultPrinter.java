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
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Prints query results: an aligned table for a terminal, or CSV or JSON streamed row by row.
 * JSON is an array of objects keyed by column name; timestamps are ISO-8601 UTC
 * ({@code 2026-11-05T00:00:00Z}).
 */
public final class ResultPrinter {
    static final JsonFactory JSON = JsonFactory.builder().build();

    private final PrintWriter out;
    private final int tableRowLimit;

    /** @param tableRowLimit rows an aligned table shows at most; the rest are counted in a note */
    public ResultPrinter(PrintWriter out, int tableRowLimit) {
        this.out = out;
        this.tableRowLimit = tableRowLimit;
    }

    /** Prints every row of the result set; returns how many rows it had. */
    public long print(ResultSet rs, Format format) throws SQLException {
        List<String> names = Values.names(rs.getMetaData());
        int[] types = Values.types(rs.getMetaData());
        return switch (format) {
            case TABLE -> table(rs, names, types);
            case CSV -> csv(rs, names, types);
            case JSON -> json(rs, names, types);
        };
    }

    private long table(ResultSet rs, List<String> names, int[] types) throws SQLException {
        TextTable table = new TextTable(names);
        long rows = 0;
        while (rs.next()) {
            rows++;
            if (rows <= tableRowLimit) {
                Object[] row = new Object[types.length];
                for (int i = 0; i < types.length; i++) {
                    row[i] = Values.read(rs, i + 1, types[i]);
                }
                table.add(row);
            }
        }
        table.print(out);
        if (rows > tableRowLimit) {
            out.printf("(%,d rows, %,d not shown; use --format csv or json for all of them)%n", rows, rows - tableRowLimit);
        } else {
            out.printf("(%,d %s)%n", rows, rows == 1 ? "row" : "rows");
        }
        out.flush();
        return rows;
    }

    private long csv(ResultSet rs, List<String> names, int[] types) throws SQLException {
        long rows = 0;
        try {
            CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get());
            csv.printRecord(names);
            List<String> record = new ArrayList<>(types.length);
            while (rs.next()) {
                rows++;
                record.clear();
                for (int i = 0; i < types.length; i++) {
                    Object value = Values.read(rs, i + 1, types[i]);
                    record.add(value == null ? "" : Values.text(value));
                }
                csv.printRecord(record);
            }
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    private long json(ResultSet rs, List<String> names, int[] types) throws SQLException {
        long rows = 0;
        try (JsonGenerator g = JSON.createGenerator(new NonClosingWriter(out))) {
            g.writeStartArray();
            while (rs.next()) {
                rows++;
                g.writeStartObject();
                for (int i = 0; i < types.length; i++) {
                    g.writeFieldName(names.get(i));
                    writeJson(g, Values.read(rs, i + 1, types[i]));
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println();
        out.flush();
        return rows;
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
        } else if (value instanceof OffsetDateTime t) {
            g.writeString(t.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME).replace("+00:00", "Z"));
        } else if (value instanceof LocalDate d) {
            g.writeString(d.toString());
        } else if (value instanceof List<?> list) {
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
