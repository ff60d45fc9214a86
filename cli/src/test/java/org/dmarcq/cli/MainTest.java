package org.dmarcq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest extends CommandTest {
    @TempDir Path temp;

    private String db() {
        return temp.resolve("t.duckdb").toString();
    }

    @Test
    void ingestPrintsTheSummaryAndExitsZero() {
        int exit = run("ingest", "--db", db(), "testdata/reports/google.xml", "testdata/reports/two-members.zip");
        assertThat(exit).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).isEqualTo("""
                files read                    2
                reports new                   3
                duplicates                    0
                records                       6
                messages                    145
                files with errors             0
                """);
    }

    @Test
    void aBadFileIsOneLineAndTheBatchGoesOn() {
        int exit = run("ingest", "--db", db(), "--format", "json",
                "testdata/broken/truncated.xml.gz", "testdata/reports/google.xml", "testdata/reports/google.xml.gz");
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString().lines()).containsExactly("testdata/broken/truncated.xml.gz: gzip data is damaged: the data ends early");
        assertThat(out.toString()).isEqualTo("{\"files\":3,\"reports\":1,\"duplicates\":1,\"records\":3,\"messages\":137,"
                + "\"skipped_records\":0,\"warnings\":0,\"emails_without_report\":0,\"tls_reports\":0,\"tls_sessions\":0,"
                + "\"errors\":[{\"file\":\"testdata/broken/truncated.xml.gz\","
                + "\"location\":\"testdata/broken/truncated.xml.gz\",\"message\":\"gzip data is damaged: the data ends early\"}]}\n");
    }

    @Test
    void ingestReadsStandardInput() throws Exception {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(Files.readAllBytes(Path.of("testdata/reports/google.xml.gz"))));
            assertThat(run("ingest", "--db", db(), "--format", "json", "-")).isZero();
        } finally {
            System.setIn(saved);
        }
        assertThat(out.toString()).startsWith("{\"files\":1,\"reports\":1,");
    }

    @Test
    void sqlPrintsAnAlignedTableCsvAndJson() {
        run("ingest", "--db", db(), "testdata/reports/microsoft.xml");
        out.getBuffer().setLength(0);
        String query = "SELECT source_ip, count, header_from, envelope_to, NULL AS nothing FROM records ORDER BY record_key";
        assertThat(run("sql", "--db", db(), query)).isZero();
        assertThat(out.toString()).isEqualTo("""
                source_ip     count  header_from  envelope_to   nothing
                ------------  -----  -----------  ------------  -------
                40.107.22.51      2  example.com  contoso.com   NULL
                203.0.113.9       1  example.com  fabrikam.com  NULL
                (2 rows)
                """);
        out.getBuffer().setLength(0);
        assertThat(run("sql", "--db", db(), "--format", "csv", query)).isZero();
        assertThat(out.toString()).isEqualTo("""
                source_ip,count,header_from,envelope_to,nothing
                40.107.22.51,2,example.com,contoso.com,
                203.0.113.9,1,example.com,fabrikam.com,
                """);
        out.getBuffer().setLength(0);
        assertThat(run("sql", "--db", db(), "--format", "json", "SELECT report_id, begin_time, pct FROM reports")).isZero();
        assertThat(out.toString()).isEqualTo(
                "[{\"report_id\":\"7f3c2a9e1b8d4c6fa0e5d2b1c3a49876\",\"begin_time\":\"2025-11-05T00:00:00Z\",\"pct\":100}]\n");
    }

    @Test
    void sqlIsReadOnlyUnlessAskedAndErrorsAreOneReadableMessage() {
        run("ingest", "--db", db(), "testdata/reports/yahoo.xml");
        err.getBuffer().setLength(0);
        assertThat(run("sql", "--db", db(), "DELETE FROM reports")).isEqualTo(1);
        assertThat(err.toString()).startsWith("dmarcq: SQL: ").contains("read-only").doesNotContain("\tat ");
        err.getBuffer().setLength(0);
        assertThat(run("sql", "--db", db(), "SELECT nope FROM reports")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("""
                dmarcq: SQL: Binder Error: Referenced column "nope" not found in FROM clause!
                LINE 1: SELECT nope FROM reports
                               ^
                """);
    }

    @Test
    void debugShowsTheStackTrace() {
        run("ingest", "--db", db(), "testdata/reports/yahoo.xml");
        err.getBuffer().setLength(0);
        assertThat(run("sql", "--debug", "--db", db(), "SELECT nope FROM reports")).isEqualTo(1);
        assertThat(err.toString()).contains("\tat ").contains("dmarcq: SQL: Binder Error");
    }

    @Test
    void aMissingDatabaseIsNamed() {
        assertThat(run("sql", "--db", temp.resolve("none.duckdb").toString(), "SELECT 1")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("dmarcq: " + temp.resolve("none.duckdb") + ": no such database; create it with dmarcq ingest\n");
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        for (String command : new String[] {"ingest", "sql"}) {
            out.getBuffer().setLength(0);
            assertThat(run(command, "--help")).isZero();
            assertThat(out.toString()).contains("Usage: dmarcq " + command).contains("Example");
        }
        out.getBuffer().setLength(0);
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("ingest").contains("sql");
    }

    @Test
    void wrongUsageExitsTwoWithAHint() {
        assertThat(run("ingest", "--db", db(), "--max-size", "lots", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("'lots' is not a size").contains("Try 'dmarcq ingest --help'");
    }
}
