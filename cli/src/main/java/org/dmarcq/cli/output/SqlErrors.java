package org.dmarcq.cli.output;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.dmarcq.store.Store;

/** DuckDB's error messages as a user should see them. */
public final class SqlErrors {
    private SqlErrors() {}

    /**
     * DuckDB's message without the driver's wrapper line; the candidates list is dropped, the
     * {@code LINE n:} excerpt with its caret kept, because it shows where the error is.
     */
    public static String message(SQLException e) {
        String m = e.getMessage() == null ? "failed" : e.getMessage().strip();
        List<String> lines = new ArrayList<>(m.lines().toList());
        if (lines.size() > 1 && lines.get(0).contains("unsuccessful or closed pending query result")) {
            lines.remove(0);
        }
        String first = lines.isEmpty() ? "failed" : lines.get(0).replaceFirst("^Error: ", "");
        StringBuilder sb = new StringBuilder(first);
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).startsWith("LINE ") && i + 1 < lines.size()) {
                sb.append('\n').append(lines.get(i)).append('\n').append(lines.get(i + 1));
                break;
            }
        }
        return sb.toString() + hint(first);
    }

    /** What the user can do about a refusal of the locked-down connection ({@code Store.lockDown}). */
    private static String hint(String message) {
        if (message.contains(Store.NO_EXTENSIONS) || message.contains("Failed to create directory \"/dev/null\"")
                || message.contains("Loading external extensions is disabled")) {
            return "\n(dmarcq installs and loads no DuckDB extensions: the built-in parquet, json and icu are there already)";
        }
        if (message.contains("disabled by configuration")) {
            return "\n(dmarcq sql and shell read and write only the database; --allow-files lets a statement use other files)";
        }
        if (message.contains("the configuration has been locked")) {
            return "\n(dmarcq sql and shell do not change DuckDB's settings)";
        }
        return "";
    }
}
