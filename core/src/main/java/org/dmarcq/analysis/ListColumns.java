package org.dmarcq.analysis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists out of DuckDB, fast. The JDBC driver's {@code getArray} costs tens of microseconds a call,
 * which over tens of thousands of rows of several lists each is seconds; the same lists as JSON text
 * cost a string and a short parse. {@link #asJson} rewrites a query to return its list columns so,
 * and {@link #strings} reads either form.
 */
final class ListColumns {
    private static final JsonFactory JSON = new JsonFactory();

    private ListColumns() {}

    /** The query, with each of its list columns turned into JSON text (the rows and their order unchanged). */
    static String asJson(Connection connection, String sql) throws SQLException {
        List<String> replaced = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            ResultSetMetaData meta = s.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                if (meta.getColumnType(i) == Types.ARRAY || meta.getColumnTypeName(i).endsWith("[]")) {
                    String name = '"' + meta.getColumnLabel(i).replace("\"", "\"\"") + '"';
                    replaced.add("to_json(" + name + ")::VARCHAR AS " + name);
                }
            }
        }
        return replaced.isEmpty() ? sql : "SELECT * REPLACE (" + String.join(", ", replaced) + ") FROM (" + sql + ") AS q";
    }

    /** A list column's values as text, nulls left out: from a JDBC array, or from JSON text that {@link #asJson} made. */
    static List<String> strings(ResultSet rs, String column) throws SQLException {
        return strings(rs.getObject(column));
    }

    static List<String> strings(ResultSet rs, int column) throws SQLException {
        return strings(rs.getObject(column));
    }

    private static List<String> strings(Object value) throws SQLException {
        if (value == null) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        if (value instanceof java.sql.Array array) {
            for (Object o : (Object[]) array.getArray()) {
                if (o != null) {
                    values.add(String.valueOf(o));
                }
            }
            return values;
        }
        try (JsonParser p = JSON.createParser(value.toString())) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new SQLException("not a JSON list: " + value);
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t != JsonToken.VALUE_NULL) {
                    values.add(p.getText());
                }
            }
        } catch (IOException e) {
            throw new SQLException("not a JSON list: " + value, e);
        }
        return values;
    }
}
