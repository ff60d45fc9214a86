package org.dmarcq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code sql} and {@code shell} reach nothing but the database unless {@code --allow-files}: every
 * way DuckDB has to write a file, read one, fetch or load an extension or change a setting is
 * refused, with a hint, and leaves nothing behind.
 */
class SqlLockDownTest extends CommandTest {
    @TempDir Path temp;

    private String db() {
        return temp.resolve("l.duckdb").toString();
    }

    @BeforeEach
    void ingest() throws Exception {
        assertThat(run("ingest", "--db", db(), "testdata/reports/google.xml")).as(err.toString()).isZero();
        Files.writeString(temp.resolve("outside.csv"), "a,b\n1,2\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        COPY (SELECT 1) TO 'TEMP/copied.csv'                  | --allow-files lets a statement use other files
        COPY reports TO 'TEMP/reports.parquet' (FORMAT parquet) | --allow-files lets a statement use other files
        EXPORT DATABASE 'TEMP/exported'                       | --allow-files lets a statement use other files
        SELECT * FROM read_text('TEMP/outside.csv')           | --allow-files lets a statement use other files
        SELECT * FROM read_csv('TEMP/outside.csv')            | --allow-files lets a statement use other files
        SELECT * FROM glob('TEMP/*')                          | --allow-files lets a statement use other files
        ATTACH 'TEMP/other.duckdb' AS other                   | --allow-files lets a statement use other files
        INSTALL httpfs                                        | dmarcq installs and loads no DuckDB extensions
        FORCE INSTALL httpfs FROM 'http://127.0.0.1:9/'       | dmarcq installs and loads no DuckDB extensions
        LOAD 'TEMP/evil.duckdb_extension'                     | dmarcq installs and loads no DuckDB extensions
        SET threads = 1                                       | dmarcq sql and shell do not change DuckDB's settings
        SET enable_external_access = true                     | dmarcq sql and shell do not change DuckDB's settings
        RESET lock_configuration                              | dmarcq sql and shell do not change DuckDB's settings
        CALL enable_logging(storage = 'file', storage_path = 'TEMP/logs') | dmarcq sql and shell do not turn on DuckDB's logging
        SELECT * FROM "ENABLE_LOGGING"()                      | dmarcq sql and shell do not turn on DuckDB's logging
        FROM query('FROM enable_logging(storage=''file'', storage_path=''TEMP/logs'')') | dmarcq sql and shell do not run query()
        FROM query('SELCT 1')                                 | dmarcq sql and shell do not run query(): it runs SQL from a string
        FROM query_table('reports')                           | dmarcq sql and shell do not run query_table(): it runs SQL from a string
        """)
    void refusedWithoutAllowFiles(String statement, String hint) throws Exception {
        String sql = statement.replace("TEMP", temp.toString());
        for (boolean write : new boolean[] {false, true}) {
            int exit = write ? run("sql", "--write", "--db", db(), sql) : run("sql", "--db", db(), sql);
            assertThat(exit).as("%s (--write: %s)", sql, write).isEqualTo(1);
            assertThat(err.toString()).contains(hint);
        }
        assertThat(shell(sql + ";")).isEqualTo(1);
        assertThat(err.toString()).contains(hint);
        try (var files = Files.list(temp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("l.duckdb", "outside.csv");
        }
    }

    @Test
    void allowFilesLetsStatementsUseFilesButStillNoExtensions() throws Exception {
        Path copied = temp.resolve("copied.csv");
        assertThat(run("sql", "--allow-files", "--db", db(), "COPY (SELECT org_name FROM reports) TO '" + copied + "'"))
                .as(err.toString()).isZero();
        assertThat(Files.readString(copied)).isEqualTo("org_name\ngoogle.com\n");
        assertThat(run("sql", "--allow-files", "--format", "csv", "--db", db(),
                "SELECT a, b FROM read_csv('" + temp.resolve("outside.csv") + "')")).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("a,b\n1,2\n");
        assertThat(shell("COPY (SELECT 1 AS one) TO '" + temp.resolve("shell.csv") + "';", "--allow-files")).as(err.toString()).isZero();
        assertThat(temp.resolve("shell.csv")).hasContent("one\n1");
        assertThat(run("sql", "--allow-files", "--db", db(), "INSTALL httpfs")).isEqualTo(1);
        assertThat(err.toString()).contains("dmarcq installs and loads no DuckDB extensions");
        assertThat(run("sql", "--allow-files", "--db", db(), "SET threads = 1")).isEqualTo(1);
    }

    @Test
    void severalStatementsInOneSqlArgumentAreRefused() {
        assertThat(run("sql", "--db", db(), "SELECT 1; SELECT 2")).isEqualTo(2);
        assertThat(err.toString()).startsWith("dmarcq: dmarcq sql runs one statement, and this is 2; run a script with dmarcq shell < FILE");
        assertThat(run("sql", "--db", db(), "SELECT 1 AS one; -- a comment after the end is fine")).as(err.toString()).isZero();
        assertThat(run("sql", "--db", db(), "SELECT 'enabled logging' AS words -- enable_logging(), query('x')")).as(err.toString())
                .isZero();
    }

    @Test
    void objectsPlantedToRunMoreThanSqlAreRefusedBeforeAnyQuery() throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + db()); var s = c.createStatement()) {
            s.execute("CREATE MACRO sneaky() AS TABLE FROM query('SELECT 1')");
        }
        for (String command : List.of("domains", "senders", "sql", "shell")) {
            int exit = switch (command) {
                case "shell" -> shell("SELECT 1;");
                case "sql" -> run("sql", "--db", db(), "SELECT 1");
                case "senders" -> run("senders", "--offline", "--db", db());
                default -> run(command, "--db", db());
            };
            assertThat(exit).as(command).isEqualTo(1);
            assertThat(err.toString()).as(command).contains("the macro sneaky calls enable_logging, query() or query_table(),"
                    + " which dmarcq does not run; drop it (dmarcq sql --write \"DROP MACRO TABLE sneaky\")");
        }
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + db()); var s = c.createStatement()) {
            s.execute("DROP MACRO TABLE sneaky");
            s.execute("DROP TABLE reverse_dns");
            s.execute("CREATE VIEW reverse_dns AS SELECT '192.0.2.1' AS ip, 'x.example' AS ptr, true AS confirmed,"
                    + " NULL::VARCHAR AS error, now()::TIMESTAMP AS looked_up_at");
        }
        assertThat(run("ingest", "--db", db(), "testdata/reports/yahoo.xml")).isEqualTo(1);
        assertThat(err.toString()).contains("reverse_dns is not dmarcq's table but a view in its place");
    }

    @Test
    void theDatabaseStillAnswersEverything() {
        assertThat(run("sql", "--db", db(), "SELECT count(*) AS n FROM record_verdicts")).as(err.toString()).isZero();
        assertThat(run("sql", "--db", db(), "SELECT count(*) AS n FROM duckdb_settings()")).as(err.toString()).isZero();
        assertThat(run("sql", "--db", db(), "SELECT count(*) AS n FROM (SELECT * FROM range(3000000) t(x) ORDER BY random())"))
                .as(err.toString()).isZero();
    }

    private int shell(String script, String... options) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)));
        try {
            String[] args = new String[options.length + 3];
            args[0] = "shell";
            System.arraycopy(options, 0, args, 1, options.length);
            args[options.length + 1] = "--db";
            args[options.length + 2] = db();
            return run(args);
        } finally {
            System.setIn(saved);
        }
    }
}
