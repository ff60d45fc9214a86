package org.dmarcq.analysis;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The current row of a result, its columns found by name once per result: the driver looks a name
 * up by walking the columns, which over sixty columns of tens of thousands of rows is seconds.
 */
final class Row {
    private final ResultSet rs;
    private final Map<String, Integer> columns = new HashMap<>();

    Row(ResultSet rs) throws SQLException {
        this.rs = rs;
        ResultSetMetaData meta = rs.getMetaData();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.putIfAbsent(meta.getColumnLabel(i), i);
        }
    }

    boolean has(String column) {
        return columns.containsKey(column);
    }

    String string(String column) throws SQLException {
        return rs.getString(index(column));
    }

    long number(String column) throws SQLException {
        return rs.getLong(index(column));
    }

    int integer(String column) throws SQLException {
        return rs.getInt(index(column));
    }

    boolean bool(String column) throws SQLException {
        return rs.getBoolean(index(column));
    }

    double decimal(String column) throws SQLException {
        return rs.getDouble(index(column));
    }

    LocalDateTime time(String column) throws SQLException {
        return rs.getObject(index(column), LocalDateTime.class);
    }

    /** A list column's values as text, as {@link ListColumns#strings} reads them. */
    List<String> strings(String column) throws SQLException {
        return ListColumns.strings(rs, index(column));
    }

    private int index(String column) throws SQLException {
        Integer i = columns.get(column);
        if (i == null) {
            throw new SQLException("no column " + column);
        }
        return i;
    }
}
