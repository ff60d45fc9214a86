package org.dmarcq.cli.output;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Struct;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads result values as plain Java values: numbers, booleans, strings, {@link LocalDateTime}
 * (timestamps are UTC, never shifted to the JVM's zone), lists and maps.
 */
final class Values {
    private static final DateTimeFormatter TEXT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Values() {}

    static Object read(ResultSet rs, int column, int sqlType) throws SQLException {
        Object value;
        switch (sqlType) {
            case Types.TIMESTAMP -> value = rs.getObject(column, LocalDateTime.class);
            case Types.TIMESTAMP_WITH_TIMEZONE -> value = rs.getObject(column, OffsetDateTime.class);
            case Types.DATE -> value = rs.getObject(column, LocalDate.class);
            default -> value = rs.getObject(column);
        }
        return rs.wasNull() ? null : plain(value);
    }

    static int[] types(ResultSetMetaData meta) throws SQLException {
        int[] types = new int[meta.getColumnCount()];
        for (int i = 0; i < types.length; i++) {
            types[i] = meta.getColumnType(i + 1);
        }
        return types;
    }

    static List<String> names(ResultSetMetaData meta) throws SQLException {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            names.add(meta.getColumnLabel(i));
        }
        return names;
    }

    private static Object plain(Object value) throws SQLException {
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant().atOffset(ZoneOffset.UTC).toLocalDateTime();
        }
        if (value instanceof Array a) {
            List<Object> list = new ArrayList<>();
            for (Object o : (Object[]) a.getArray()) {
                list.add(plain(o));
            }
            return list;
        }
        if (value instanceof Struct s) {
            Map<String, Object> map = new LinkedHashMap<>();
            Object[] attributes = s.getAttributes();
            String[] names = structNames(s, attributes.length);
            for (int i = 0; i < attributes.length; i++) {
                map.put(names[i], plain(attributes[i]));
            }
            return map;
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                map.put(String.valueOf(e.getKey()), plain(e.getValue()));
            }
            return map;
        }
        if (value instanceof java.util.UUID || value instanceof java.time.LocalTime) {
            return value.toString();
        }
        if (value instanceof java.sql.Blob b) {
            return blob(b.getBytes(1, (int) Math.min(b.length(), Integer.MAX_VALUE)));
        }
        if (value instanceof byte[] bytes) {
            return blob(bytes);
        }
        return value;
    }

    /** Bytes as DuckDB writes a BLOB: printable ASCII as it is, every other byte (and the backslash) as {@code \xHH}. */
    private static String blob(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02X", c));
            }
        }
        return sb.toString();
    }

    private static String[] structNames(Struct s, int n) {
        if (s instanceof org.duckdb.DuckDBStruct d) {
            try {
                return d.getMap().keySet().toArray(new String[0]);
            } catch (SQLException ignored) {
                // fall through to positional names
            }
        }
        String[] names = new String[n];
        Arrays.setAll(names, i -> "f" + (i + 1));
        return names;
    }

    /** A value as text for tables and CSV; null stays null so the caller can mark it. */
    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof java.time.Instant t) {
            return text(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
        }
        if (value instanceof java.util.Collection<?> list) {
            StringBuilder sb = new StringBuilder();
            for (Object o : list) {
                sb.append(sb.length() == 0 ? "" : ", ").append(text(o));
            }
            return sb.toString();
        }
        if (value instanceof LocalDateTime t) {
            return t.getNano() == 0 ? t.format(TEXT_TIME) : t.toString().replace('T', ' ');
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return String.valueOf(d);
        }
        return String.valueOf(value);
    }

    static boolean isNumber(Object value) {
        return value instanceof Number;
    }
}
