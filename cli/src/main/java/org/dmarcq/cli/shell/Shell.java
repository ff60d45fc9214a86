package org.dmarcq.cli.shell;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dmarcq.cli.output.Format;
import org.dmarcq.cli.output.ResultPrinter;
import org.dmarcq.cli.output.SqlErrors;
import org.dmarcq.cli.output.TextTable;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * An SQL shell over one DuckDB connection: statements ended by {@code ;}, dot commands, results as
 * tables that fit the terminal (or CSV, JSON, lines). Interactive on a terminal through JLine, or
 * running a script read from a pipe, where the first error ends it.
 */
public final class Shell {
    static final List<String> DOT_COMMANDS = List.of(".tables", ".schema", ".mode", ".output", ".timer", ".read",
            ".maxrows", ".help", ".quit", ".exit");
    private static final String HELP = """
            .tables              the tables and views, with what they hold
            .schema [NAME]       the columns of a table or view, with their meaning (all of them without NAME)
            .mode MODE           how results are shown: table (default), csv, json or line
            .output [FILE]       write results to FILE; without FILE, back to the terminal
            .timer on|off        show how long each statement took
            .read FILE           run the statements in FILE
            .maxrows N           rows a table shows at most (0: all)
            .help                this help
            .quit, .exit         leave (Ctrl-D too)
            SQL statements end with ; and may span lines. Tab completes keywords, functions, tables, views
            and columns (relation.<Tab> lists a relation's columns). Ctrl-C cancels a running statement.
            record_verdicts (a table dmarcq keeps current) and the views dkim_alignments, spf_alignments
            and report_days hold the DMARC evaluation; docs/queries.md has ready-made questions.""";

    private enum Mode { TABLE, CSV, JSON, LINE }

    private enum Outcome { OK, ERROR, QUIT }

    private final Session session;
    private final String database;
    private final boolean readOnly;
    private final PrintWriter console;
    private final PrintWriter err;
    private final Catalog catalog;
    private final SchemaDocs docs = SchemaDocs.bundled();
    private PrintWriter out;
    private Path outputFile;
    private Mode mode = Mode.TABLE;
    private boolean timer;
    private int maxRows;
    private int width;
    private volatile Statement running;

    /**
     * @param console where results and messages go (the terminal, or standard output for a script)
     * @param err where a script's errors go
     */
    public Shell(Session session, String database, boolean readOnly, PrintWriter console, PrintWriter err) {
        this.session = session;
        this.database = database;
        this.readOnly = readOnly;
        this.console = console;
        this.err = err;
        this.out = console;
        this.catalog = new Catalog(session);
    }

    /** How many SQL statements (not dot commands) the text holds. */
    public static int statementCount(String sql) {
        return (int) Statements.script(sql).stream().filter(s -> !s.isDotCommand()).count();
    }

    /** Why dmarcq refuses to run the statement, or null: see {@link Statements#refused}. */
    public static String refusal(String statement) {
        String refused = Statements.refused(statement);
        if (refused == null) {
            return null;
        }
        return refused.equals("enable_logging") ? "dmarcq sql and shell do not turn on DuckDB's logging"
                : "dmarcq sql and shell do not run " + refused + ": it runs SQL from a string; write the statement itself";
    }

    /** Reads and runs statements on a terminal until {@code .quit} or Ctrl-D; returns the exit status. */
    public int interactive(Terminal terminal, Path history) {
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("dmarcq")
                .parser(new SqlParser())
                .completer(new SqlCompleter(catalog))
                .variable(LineReader.HISTORY_FILE, history)
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, "   ...> ")
                .variable(LineReader.INDENTATION, 0)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.CASE_INSENSITIVE, true)
                .build();
        terminal.handle(Terminal.Signal.INT, signal -> cancel());
        maxRows = 1000;
        console.printf("dmarcq shell on %s (%s). End statements with ;  .help for help, Ctrl-D to leave.%n", database,
                readOnly ? "read-only; --write to change it" : "read-write");
        console.flush();
        try {
            while (true) {
                String text;
                try {
                    width = terminal.getWidth();
                    text = reader.readLine("dmarcq> ");
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C at the prompt drops what was typed
                } catch (EndOfFileException e) {
                    break;
                }
                width = terminal.getWidth();
                if (runAll(text, null) == Outcome.QUIT) {
                    break;
                }
            }
        } finally {
            closeOutput();
            try {
                reader.getHistory().save();
            } catch (IOException e) {
                console.println("note: cannot save the history in " + history + ": " + e.getMessage());
            }
        }
        return 0;
    }

    /** Runs a script (standard input of {@code dmarcq shell < file}); stops at the first error, returning 1. */
    public int script(String text, String source) {
        try {
            return runAll(text, source) == Outcome.ERROR ? 1 : 0;
        } finally {
            closeOutput();
        }
    }

    boolean busy() {
        return running != null;
    }

    /** Cancels the running statement, if any (Ctrl-C). */
    void cancel() {
        Statement s = running;
        if (s != null) {
            try {
                s.cancel();
            } catch (SQLException e) {
                // it ended meanwhile
            }
        }
    }

    /** @param source where a script comes from, for error messages; null when typed at the prompt, where errors do not stop */
    private Outcome runAll(String text, String source) {
        for (Statements.Input input : Statements.script(text)) {
            Outcome outcome;
            try {
                outcome = input.isDotCommand() ? dotCommand(input.text(), source) : sql(input.text());
            } catch (ShellException e) {
                report(e.getMessage(), source, input.line());
                outcome = Outcome.ERROR;
            }
            if (outcome == Outcome.QUIT || outcome == Outcome.ERROR && source != null) {
                return outcome;
            }
        }
        return Outcome.OK;
    }

    private void report(String message, String source, int line) {
        if (source == null) {
            console.println("Error: " + message);
            console.flush();
        } else {
            err.println("dmarcq shell: " + source + ", line " + line + ": " + message);
            err.flush();
        }
    }

    private Outcome sql(String text) {
        String refused = refusal(text);
        if (refused != null) {
            throw new ShellException(refused);
        }
        long start = System.nanoTime();
        try {
            session.run(c -> {
                // Prepared, not plain: DuckDB's driver then reports the real error, not its pending-result wrapper.
                try (PreparedStatement s = c.prepareStatement(text)) {
                    running = s;
                    boolean results = s.execute();
                    if (results) {
                        try (ResultSet rs = s.getResultSet()) {
                            print(rs);
                        }
                    } else if (s.getUpdateCount() > 0) {
                        out.printf("(%,d rows changed)%n", s.getUpdateCount());
                    }
                }
            });
        } catch (RuntimeException e) {
            // the database could not be opened for the statement (held by a writer past --wait, ...)
            throw new ShellException(e.getMessage() == null ? e.toString() : e.getMessage());
        } catch (SQLException e) {
            String message = SqlErrors.message(e);
            if (message.contains("Interrupted")) {
                throw new ShellException("cancelled");
            }
            if (message.contains("read-only mode")) {
                message += "\n(the shell opened the database read-only; start it with --write to change it)";
            }
            throw new ShellException(message);
        } finally {
            running = null;
            catalog.invalidate();
            out.flush();
        }
        if (timer) {
            console.printf(Locale.ROOT, "Run time: %.3f s%n", (System.nanoTime() - start) / 1e9);
            console.flush();
        }
        return Outcome.OK;
    }

    private void print(ResultSet rs) throws SQLException {
        boolean toTerminal = out == console;
        ResultPrinter printer = new ResultPrinter(out, toTerminal && maxRows > 0 ? maxRows : Integer.MAX_VALUE,
                toTerminal && width > 0 ? width : Integer.MAX_VALUE, ".maxrows N, LIMIT or .output FILE to see them");
        if (toTerminal) {
            printer.linesWhenWide();
        }
        switch (mode) {
            case TABLE -> printer.print(rs, Format.TABLE);
            case CSV -> printer.print(rs, Format.CSV);
            case JSON -> printer.print(rs, Format.JSON);
            case LINE -> printer.printRecords(rs);
        }
    }

    private Outcome dotCommand(String line, String source) {
        String[] words = line.strip().split("\\s+", 2);
        String argument = words.length > 1 ? words[1].strip() : null;
        switch (words[0]) {
            case ".quit", ".exit" -> {
                return Outcome.QUIT;
            }
            case ".help" -> console.println(HELP);
            case ".tables" -> tables();
            case ".schema" -> schema(argument);
            case ".mode" -> {
                try {
                    mode = Mode.valueOf(require(argument, ".mode table|csv|json|line").toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new ShellException(".mode " + argument + ": expected table, csv, json or line");
                }
            }
            case ".timer" -> {
                String value = require(argument, ".timer on|off");
                if (!value.equals("on") && !value.equals("off")) {
                    throw new ShellException(".timer " + value + ": expected on or off");
                }
                timer = value.equals("on");
            }
            case ".maxrows" -> {
                try {
                    maxRows = Integer.parseInt(require(argument, ".maxrows N"));
                } catch (NumberFormatException e) {
                    throw new ShellException(".maxrows " + argument + ": expected a number of rows (0: all)");
                }
            }
            case ".output" -> output(argument);
            case ".read" -> {
                Path file = Path.of(require(argument, ".read FILE"));
                String text;
                try {
                    text = Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new ShellException(".read: cannot read " + file + ": " + e.getMessage());
                }
                Outcome outcome = runAll(text, file.toString());
                if (outcome == Outcome.ERROR) {
                    throw new ShellException(".read " + file + " stopped at the error above");
                }
                return outcome;
            }
            default -> throw new ShellException("unknown command " + words[0] + "; .help lists the commands");
        }
        console.flush();
        return Outcome.OK;
    }

    private static String require(String argument, String usage) {
        if (argument == null || argument.isEmpty()) {
            throw new ShellException("usage: " + usage);
        }
        return argument;
    }

    private void output(String file) {
        closeOutput();
        if (file == null) {
            return;
        }
        try {
            outputFile = Path.of(file);
            out = new PrintWriter(Files.newBufferedWriter(outputFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            outputFile = null;
            out = console;
            throw new ShellException(".output: cannot write " + file + ": " + e.getMessage());
        }
    }

    private void closeOutput() {
        if (out != console) {
            out.close();
            out = console;
            outputFile = null;
        }
    }

    private void tables() {
        TextTable table = new TextTable(List.of("name", "kind", "columns", "what it holds"));
        for (Catalog.Relation r : catalog.relations().values()) {
            SchemaDocs.Relation doc = docs.relation(r.name());
            table.add(r.name(), r.kind(), r.columns().size(), doc == null ? null : doc.description());
        }
        table.print(console, width > 0 ? width : Integer.MAX_VALUE);
    }

    private void schema(String name) {
        Map<String, Catalog.Relation> relations = catalog.relations();
        if (name == null) {
            for (Catalog.Relation r : relations.values()) {
                List<String> columns = new ArrayList<>();
                r.columns().forEach(c -> columns.add(c.name()));
                console.printf("%s (%s): %s%n", r.name(), r.kind(), String.join(", ", columns));
            }
            console.println(".schema NAME shows a table's or view's columns with their types and meaning.");
            return;
        }
        Catalog.Relation r = relations.get(name);
        if (r == null) {
            throw new ShellException("no table or view named " + name + "; .tables lists them");
        }
        SchemaDocs.Relation doc = docs.relation(name);
        console.printf("%s %s%s%n", r.kind(), r.name(), doc == null || doc.description().isEmpty() ? "" : ": " + doc.description());
        TextTable table = new TextTable(List.of("column", "type", "meaning"));
        for (Catalog.Column c : r.columns()) {
            table.add(c.name(), c.type(), doc == null ? null : doc.columns().get(c.name()));
        }
        table.print(console, width > 0 ? width : Integer.MAX_VALUE);
    }

    /** An error to show the user; the shell goes on unless it runs a script. */
    private static final class ShellException extends RuntimeException {
        ShellException(String message) {
            super(message, null, false, false);
        }
    }
}
