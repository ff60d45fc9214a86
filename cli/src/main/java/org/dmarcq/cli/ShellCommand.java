package org.dmarcq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.dmarcq.cli.output.HumanWriter;
import org.dmarcq.cli.shell.Session;
import org.dmarcq.cli.shell.Shell;
import org.dmarcq.store.Store;
import org.dmarcq.store.Wait;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "shell",
        description = {"An interactive SQL shell over the database: statements ended by ;, history, tab completion of"
                + " keywords, tables, views and columns, dot commands (.help lists them). Read-only unless --write;"
                + " statements can read and write no other file unless --allow-files, and can install no extension"
                + " and change no setting.",
                "With standard input from a file or pipe, runs the statements in it and prints the results; the first"
                        + " error stops it with exit status 1."},
        mixinStandardHelpOptions = true,
        footer = {"",
                "History is kept in ~/.dmarcq_history ($DMARCQ_HISTORY to change). The schema is in docs/schema.md,",
                "ready-made questions in docs/queries.md.",
                "",
                "Examples:",
                "  dmarcq shell --db reports.duckdb",
                "  dmarcq shell < weekly.sql > weekly.txt"})
final class ShellCommand implements Callable<Integer> {
    @Mixin DatabaseOptions database;

    @Option(names = "--write", description = "Open the database for writing, e.g. to create views of one's own.")
    boolean write;

    @Option(names = "--allow-files", description = "Let statements read and write files: COPY ... TO, read_csv,"
            + " read_parquet, glob and the like.")
    boolean allowFiles;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path file = database.existing();
        Wait wait = database.waiting(spec.commandLine().getErr());
        if (write) {
            // a session that writes holds the file throughout: an ingest waits until it ends
            try (Store store = Store.open(file, wait)) {
                store.lockDown(allowFiles);
                return run(file, Session.of(store.connection()));
            }
        }
        Store.openReadOnly(file, wait).close(); // a database it cannot read is said now, not at the first statement
        // Read-only, the file is held only while a statement runs: an ingest can store between statements.
        return run(file, work -> {
            try (Store store = Store.openReadOnly(file, wait)) {
                store.lockDown(allowFiles);
                work.on(store.connection());
            }
        });
    }

    private int run(Path file, Session session) throws IOException {
        if (System.console() == null) {
            Shell shell = new Shell(session, file.toString(), !write, spec.commandLine().getOut(), spec.commandLine().getErr());
            return shell.script(new String(System.in.readAllBytes(), StandardCharsets.UTF_8), "standard input");
        }
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            PrintWriter writer = HumanWriter.forTerminal(terminal.writer());
            return new Shell(session, file.toString(), !write, writer, writer).interactive(terminal, history());
        }
    }

    private static Path history() {
        String configured = System.getenv("DMARCQ_HISTORY");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".dmarcq_history");
    }
}
