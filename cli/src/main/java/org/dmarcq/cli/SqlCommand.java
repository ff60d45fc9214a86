package org.dmarcq.cli;

import java.io.PrintWriter;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.dmarcq.cli.output.Format;
import org.dmarcq.cli.output.ResultPrinter;
import org.dmarcq.cli.output.SqlErrors;
import org.dmarcq.cli.shell.Shell;
import org.dmarcq.store.Store;
import org.dmarcq.store.Wait;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "sql",
        description = {"Run one SQL statement against the database and print the result.",
                "The tables and columns are described in docs/schema.md. The database is opened read-only"
                        + " unless --write is given; the statement can read and write no other file unless"
                        + " --allow-files is given, and can install no extension and change no setting."},
        mixinStandardHelpOptions = true,
        footer = {"",
                "Examples:",
                "  dmarcq sql \"SELECT org_name, count(*) FROM reports GROUP BY 1 ORDER BY 2\"",
                "  dmarcq sql --format csv \"SELECT * FROM records\" > records.csv",
                "  dmarcq sql --format json \"SELECT * FROM reports LIMIT 5\""})
final class SqlCommand implements Callable<Integer> {
    /** Rows an aligned table shows; CSV and JSON print every row. */
    static final int TABLE_ROWS = 10_000;

    @Mixin DatabaseOptions database;

    @Parameters(paramLabel = "STATEMENT", description = "One SQL statement (DuckDB dialect).")
    String statement;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default), csv, or json: an array of objects, column names as keys.")
    Format format;

    @Option(names = "--write", description = "Open the database for writing, e.g. to create a view of one's own.")
    boolean write;

    @Option(names = "--allow-files", description = "Let the statement read and write files: COPY ... TO, read_csv,"
            + " read_parquet, glob and the like.")
    boolean allowFiles;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int statements = Shell.statementCount(statement);
        if (statements != 1) {
            throw new ParameterException(spec.commandLine(), statements == 0 ? "no SQL statement given"
                    : "dmarcq sql runs one statement, and this is " + statements + "; run a script with dmarcq shell < FILE");
        }
        String refused = Shell.refusal(statement);
        if (refused != null) {
            throw new UserException("SQL: " + refused);
        }
        Wait wait = database.waiting(spec.commandLine().getErr());
        try (Store store = write ? Store.open(database.path(), wait) : Store.openReadOnly(database.path(), wait)) {
            store.lockDown(allowFiles);
            return run(store, out);
        }
    }

    private int run(Store store, PrintWriter out) {
        try (PreparedStatement s = store.connection().prepareStatement(statement)) {
            if (s.execute()) {
                try (ResultSet rs = s.getResultSet()) {
                    new ResultPrinter(out, TABLE_ROWS).print(rs, format);
                }
            } else if (format == Format.TABLE) {
                out.printf("(%,d rows changed)%n", Math.max(s.getUpdateCount(), 0));
                out.flush();
            }
            return 0;
        } catch (SQLException e) {
            throw new UserException("SQL: " + SqlErrors.message(e), e);
        }
    }
}
