package org.dmarcq.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.dmarcq.ingest.Ingest;
import org.dmarcq.store.Store;
import org.jline.terminal.Size;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell driven through a JLine terminal: keys are written to the terminal's input, the screen
 * is read back from its output.
 */
class ShellTest {
    @TempDir Path temp;
    private Path db;

    @BeforeEach
    void ingest() {
        db = temp.resolve("s.duckdb");
        try (Store store = Store.open(db)) {
            Ingest.into(store).run(List.of("testdata/reports/google.xml", "testdata/reports/yahoo.xml"));
        }
    }

    /** A shell on a terminal of 100 by 40 characters, running in a thread of its own. */
    private final class Session implements AutoCloseable {
        final PipedOutputStream keys = new PipedOutputStream();
        final ByteArrayOutputStream screen = new ByteArrayOutputStream();
        final ExternalTerminal terminal;
        final Store store;
        final Shell shell;
        final CompletableFuture<Integer> status;

        Session(boolean write, int width) throws IOException {
            PipedInputStream input = new PipedInputStream(keys, 1 << 16);
            terminal = new ExternalTerminal("test", "xterm", input, synchronizedOut(screen), StandardCharsets.UTF_8);
            terminal.setSize(new Size(width, 40));
            store = write ? Store.open(db) : Store.openReadOnly(db);
            shell = new Shell(org.dmarcq.cli.shell.Session.of(store.connection()), db.toString(), !write, terminal.writer(), terminal.writer());
            status = CompletableFuture.supplyAsync(() -> shell.interactive(terminal, temp.resolve("history")));
        }

        Session type(String text) throws IOException {
            keys.write(text.getBytes(StandardCharsets.UTF_8));
            keys.flush();
            return this;
        }

        String screen() {
            synchronized (screen) {
                return screen.toString(StandardCharsets.UTF_8);
            }
        }

        int prompts() {
            return screen().split("dmarcq> ", -1).length - 1;
        }

        /** Waits until the screen shows the text; returns the screen. */
        String await(String text) {
            waitFor(() -> screen().contains(text), "the screen to show " + text + "; it shows:\n" + screen());
            return screen();
        }

        int end() throws Exception {
            type("\u0004"); // Ctrl-D
            return status.get(20, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            keys.close();
            terminal.close();
            store.close();
        }
    }

    private static OutputStream synchronizedOut(ByteArrayOutputStream out) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (out) {
                    out.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (out) {
                    out.write(b, off, len);
                }
            }
        };
    }

    private static void waitFor(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void aStatementMaySpanLinesAndResultsAreTables() throws Exception {
        try (Session s = new Session(false, 100)) {
            s.await("dmarcq> ");
            s.type("SELECT org_name,\r").await("...> ");
            s.type("count(*) AS reports FROM reports GROUP BY 1 ORDER BY 1;\r");
            String screen = s.await("(2 rows)");
            assertThat(screen).contains("org_name    reports", "google.com        1", "Yahoo             1");
            assertThat(s.end()).isZero();
        }
        assertThat(Files.readString(temp.resolve("history"))).contains("count(*) AS reports FROM reports");
    }

    @Test
    void tabCompletesTablesViewsAndColumnsFromTheLiveCatalog() throws Exception {
        try (Session s = new Session(true, 100)) {
            s.await("dmarcq> ");
            s.type("SELECT count(*) AS n FROM record_verd\t;\r").await("(1 row)");
            assertThat(s.screen()).contains("FROM record_verdicts ;");
            s.type("CREATE VIEW weekly_failures AS SELECT 7 AS failing_messages;\r");
            s.type("SELECT weekly_failures.fail\t FROM weekly_fail\t;\r").await("weekly_failures.failing_messages");
            s.await("----------------\r\n               7\r\n(1 row)");
            s.type(".sch\t record_v\t\r").await("table record_verdicts: One row per record");
            s.await("the receiver's DKIM or SPF verdict differs");
            assertThat(s.screen()).containsPattern("\\ndisagrees +BOOLEAN +the receiver's DKIM or SPF verdict differs");
            assertThat(s.end()).isZero();
        }
    }

    @Test
    void dotCommandsChangeHowResultsAreShownAndWhereTheyGo() throws Exception {
        Path file = temp.resolve("out.csv");
        try (Session s = new Session(false, 100)) {
            s.await("dmarcq> ");
            s.type(".tables\r").await("record_verdicts");
            s.type(".mode csv\rSELECT 1 AS a, NULL AS b;\r").await("a,b");
            s.type(".mode json\rSELECT 2 AS a, NULL AS b;\r").await("[{\"a\":2,\"b\":null}]");
            s.type(".mode line\rSELECT 3 AS a, NULL AS b;\r").await("b = NULL");
            s.type(".mode table\r.output " + file + "\rSELECT 4 AS written;\r.output\rSELECT 5 AS shown;\r").await("shown");
            s.type(".timer on\rSELECT 6;\r").await("Run time: ");
            s.type(".mode yaml\r").await("Error: .mode yaml: expected table, csv, json or line");
            s.type(".frobnicate\r").await("Error: unknown command .frobnicate; .help lists the commands");
            s.type(".help\r").await(".read FILE");
            assertThat(s.end()).isZero();
        }
        assertThat(Files.readString(file)).isEqualTo("written\n-------\n      4\n(1 row)\n");
    }

    @Test
    void tablesFitTheTerminalWideResultsTurnToLinesAndNullIsShown() throws Exception {
        try (Session s = new Session(false, 40)) {
            s.await("dmarcq> ");
            s.type("SELECT 'narrow' AS fits, NULL AS nothing, 1 AS n;\r");
            String screen = s.await("(1 row)");
            assertThat(screen.lines().filter(l -> l.startsWith("narrow")).findFirst().orElseThrow()).contains("NULL");
            // too wide for 40 columns: one value per line, whole, rather than cut
            s.type("SELECT repeat('x', 50) AS wide, NULL AS nothing, 1 AS n;\r");
            screen = s.await("      n = 1");
            assertThat(screen).contains("   wide = " + "x".repeat(50), "nothing = NULL").doesNotContain("…");
            s.type(".maxrows 3\rSELECT * FROM range(10);\r").await("(10 rows, 7 not shown; .maxrows N, LIMIT or .output FILE to see them)");
            assertThat(s.end()).isZero();
        }
    }

    @Test
    void aReadOnlyShellRefusesChangesAndGoesOn() throws Exception {
        try (Session s = new Session(false, 100)) {
            s.await("dmarcq> ");
            s.type("DELETE FROM reports;\r").await("start it with --write to change it");
            s.type("SELECT count(*) AS left FROM reports;\r").await("(1 row)");
            assertThat(s.screen()).containsPattern("left\\s*\\n-+\\s*\\n\\s*2\\s*\\n");
            assertThat(s.end()).isZero();
        }
    }

    @Test
    void syntaxErrorsShowWhere() throws Exception {
        try (Session s = new Session(false, 100)) {
            s.await("dmarcq> ");
            s.type("SELEC 1;\r").await("Error: Parser Error: syntax error at or near \"SELEC\"");
            s.await("LINE 1: SELEC 1");
            assertThat(s.end()).isZero();
        }
    }

    @Test
    void ctrlCCancelsTheRunningStatementAndKeepsTheShell() throws Exception {
        try (Session s = new Session(false, 100)) {
            s.await("dmarcq> ");
            s.type("SELECT sum(hash(i)) FROM range(100000000000000) t(i);\r");
            waitFor(s.shell::busy, "the statement to start");
            s.type("\u0003").await("Error: cancelled");
            s.type("SELECT 42 AS answer;\r").await("    42\r\n(1 row)");
            int prompts = s.prompts();
            s.type("SELECT 1").await("dmarcq> SELECT 1");
            // A terminal drops what was typed ahead of Ctrl-C: wait for the new prompt.
            s.type("\u0003");
            waitFor(() -> s.prompts() > prompts, "a new prompt after Ctrl-C");
            s.type("SELECT 4343 AS after;\r").await(" 4343\r\n(1 row)");
            assertThat(s.screen()).as("the line dropped by Ctrl-C did not run").doesNotContain("SELECT 1SELECT");
            assertThat(s.end()).isZero();
        }
    }

    @Test
    void aScriptRunsUntilItsFirstError() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (Store store = Store.openReadOnly(db)) {
            Shell shell = new Shell(org.dmarcq.cli.shell.Session.of(store.connection()), db.toString(), true, new PrintWriter(out), new PrintWriter(err));
            int status = shell.script("""
                    .mode csv
                    SELECT org_name FROM reports ORDER BY lower(org_name);
                    SELECT nothing FROM reports;
                    SELECT 'not reached';
                    """, "script.sql");
            assertThat(status).isEqualTo(1);
            assertThat(out.toString()).isEqualTo("org_name\ngoogle.com\nYahoo\n");
            assertThat(err.toString()).startsWith("dmarcq shell: script.sql, line 3: Binder Error: Referenced column \"nothing\" not found");
        }
    }
}
