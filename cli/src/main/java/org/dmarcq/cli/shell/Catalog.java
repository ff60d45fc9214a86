package org.dmarcq.cli.shell;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the live database holds, for completion and {@code .tables}: relations with their columns,
 * SQL keywords and function names. Re-read after any statement, so a new view is completed at once.
 */
final class Catalog {
    record Column(String name, String type) {}

    record Relation(String name, String kind, List<Column> columns) {}

    private final Session session;
    private Map<String, Relation> relations = Map.of();
    private List<String> words = List.of();
    private boolean stale = true;

    Catalog(Session session) {
        this.session = session;
    }

    void invalidate() {
        stale = true;
    }

    Map<String, Relation> relations() {
        refresh();
        return relations;
    }

    /** Keywords (upper case) and function names (lower case). */
    List<String> words() {
        refresh();
        return words;
    }

    private void refresh() {
        if (!stale) {
            return;
        }
        stale = false;
        Map<String, Relation> found = new LinkedHashMap<>();
        TreeSet<String> vocabulary = new TreeSet<>();
        try {
            session.run(c -> read(c, found, vocabulary));
        } catch (SQLException | RuntimeException e) {
            // Completion is a convenience: without a catalog it offers nothing rather than failing the shell.
            stale = true;
        }
        relations = found;
        words = List.copyOf(vocabulary);
    }

    private static void read(Connection c, Map<String, Relation> found, TreeSet<String> vocabulary) throws SQLException {
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("""
                    SELECT t.table_name, t.table_type, c.column_name, c.data_type
                    FROM information_schema.tables t
                    JOIN information_schema.columns c USING (table_catalog, table_schema, table_name)
                    WHERE t.table_schema = 'main' AND t.table_catalog = current_database()
                    ORDER BY t.table_name, c.ordinal_position""")) {
                while (rs.next()) {
                    String kind = rs.getString(2).equals("VIEW") ? "view" : "table";
                    found.computeIfAbsent(rs.getString(1), n -> new Relation(n, kind, new ArrayList<>()))
                            .columns().add(new Column(rs.getString(3), rs.getString(4)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT upper(keyword_name) FROM duckdb_keywords()")) {
                while (rs.next()) {
                    vocabulary.add(rs.getString(1));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_name ~ '^[a-z_][a-z_0-9]*$'")) {
                while (rs.next()) {
                    vocabulary.add(rs.getString(1));
                }
            }
        }
    }
}
