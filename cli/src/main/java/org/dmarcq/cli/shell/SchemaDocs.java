package org.dmarcq.cli.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The descriptions of tables, views and columns from docs/schema.md (bundled in the jar at build
 * time), so that {@code .schema} says what a column means, not only its type.
 */
final class SchemaDocs {
    private static final Pattern HEADING = Pattern.compile("^#{2,3} `([a-z_0-9]+)`\\s*$");
    /** A table row: one column name, or several separated by commas, its type, and its meaning. */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*([a-z_0-9`, ]+?)\\s*\\|[^|]*\\|\\s*(.*?)\\s*\\|\\s*$");

    record Relation(String description, Map<String, String> columns) {}

    private final Map<String, Relation> relations;

    private SchemaDocs(Map<String, Relation> relations) {
        this.relations = relations;
    }

    static SchemaDocs bundled() {
        try (InputStream in = SchemaDocs.class.getResourceAsStream("schema.md")) {
            return in == null ? new SchemaDocs(Map.of()) : parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SchemaDocs parse(String markdown) {
        Map<String, Relation> relations = new LinkedHashMap<>();
        String current = null;
        StringBuilder description = null;
        Map<String, String> columns = null;
        for (String line : markdown.split("\n")) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                current = heading.group(1);
                description = new StringBuilder();
                columns = new LinkedHashMap<>();
                relations.put(current, new Relation("", columns));
                continue;
            }
            if (line.startsWith("#")) {
                current = null;
                continue;
            }
            if (current == null) {
                continue;
            }
            Matcher row = ROW.matcher(line);
            if (row.matches() && !row.group(1).equals("column")) {
                for (String column : row.group(1).replace("`", "").split("\\s*,\\s*")) {
                    columns.put(column, row.group(2).replace("`", ""));
                }
            } else if (columns.isEmpty() && !line.isBlank() && !line.startsWith("|")) {
                description.append(description.length() == 0 ? "" : " ").append(line.strip());
                relations.put(current, new Relation(description.toString().replace("`", ""), columns));
            }
        }
        return new SchemaDocs(relations);
    }

    /** The relation's documentation, or null when docs/schema.md does not describe it. */
    Relation relation(String name) {
        return relations.get(name);
    }
}
