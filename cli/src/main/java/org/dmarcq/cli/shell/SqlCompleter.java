package org.dmarcq.cli.shell;

import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Completes dot commands, their arguments, and in SQL: keywords, functions, table and view names,
 * their columns, and {@code relation.column}.
 */
final class SqlCompleter implements Completer {
    private final Catalog catalog;
    private final Completer files = new org.jline.builtins.Completers.FileNameCompleter();

    SqlCompleter(Catalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String before = line.line().substring(0, line.cursor());
        String word = line.word().substring(0, line.wordCursor());
        String statement = before.substring(before.lastIndexOf(';') + 1).stripLeading();
        if (statement.startsWith(".")) {
            dotCommand(reader, line, statement, candidates);
            return;
        }
        int dot = word.lastIndexOf('.');
        if (dot > 0) {
            Catalog.Relation relation = catalog.relations().get(word.substring(0, dot));
            if (relation != null) {
                for (Catalog.Column c : relation.columns()) {
                    candidates.add(new Candidate(relation.name() + "." + c.name(), c.name(), "columns", c.type(), null, null, true));
                }
            }
            return;
        }
        for (Catalog.Relation r : catalog.relations().values()) {
            candidates.add(new Candidate(r.name(), r.name(), r.kind() + "s", null, null, null, true));
            for (Catalog.Column c : r.columns()) {
                candidates.add(new Candidate(c.name(), c.name(), "columns", null, null, c.name(), true));
            }
        }
        boolean upper = !word.isEmpty() && Character.isUpperCase(word.charAt(0));
        for (String w : catalog.words()) {
            boolean keyword = Character.isUpperCase(w.charAt(0));
            String value = keyword && !upper && !word.isEmpty() ? w.toLowerCase(java.util.Locale.ROOT) : w;
            candidates.add(new Candidate(value, value, keyword ? "keywords" : "functions", null, null, null, true));
        }
    }

    private void dotCommand(LineReader reader, ParsedLine line, String statement, List<Candidate> candidates) {
        if (line.wordIndex() == 0) {
            for (String command : Shell.DOT_COMMANDS) {
                candidates.add(new Candidate(command, command, "commands", null, null, null, true));
            }
            return;
        }
        String command = statement.split("\\s+", 2)[0];
        List<String> values = switch (command) {
            case ".schema" -> List.copyOf(catalog.relations().keySet());
            case ".mode" -> List.of("table", "csv", "json", "line");
            case ".timer" -> List.of("on", "off");
            default -> List.of();
        };
        for (String v : values) {
            candidates.add(new Candidate(v));
        }
        if (command.equals(".read") || command.equals(".output")) {
            files.complete(reader, line, candidates);
        }
    }
}
