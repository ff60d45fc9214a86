package org.dmarcq.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dmarcq.store.Store;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The golden fixtures: every input under {@code testdata/reports/} is ingested into a new database
 * and every stored row compared with {@code testdata/expected/<name>.json}; every input under
 * {@code testdata/broken/} must give exactly the error lines in {@code testdata/expected/<name>.txt}.
 * SMTP TLS reports under {@code testdata/tls/} are compared the same way, their tables only.
 * Each input is ingested twice: the second run must store nothing and count only duplicates.
 *
 * <p>Run with {@code -Ddmarcq.golden.update=true} to write the expected files after a deliberate
 * change; review their diff before committing.
 */
class GoldenFixturesTest {
    static final Path TESTDATA = Path.of("testdata");
    private static final boolean UPDATE = Boolean.getBoolean("dmarcq.golden.update");
    private static final List<String> TABLES = List.of(
            "reports ORDER BY report_key",
            "report_errors ORDER BY report_key, message",
            "records ORDER BY record_key",
            "override_reasons ORDER BY record_key, type, comment",
            "dkim_results ORDER BY record_key, domain, selector",
            "spf_results ORDER BY record_key, domain",
            "warnings ORDER BY report_key, location, message");
    private static final List<String> TLS_TABLES = List.of(
            "tls_reports ORDER BY tls_report_key",
            "tls_policies ORDER BY tls_report_key, policy_index",
            "tls_failures ORDER BY tls_report_key, policy_index, result_type, sending_mta_ip, failed_sessions",
            "tls_warnings ORDER BY tls_report_key, location, message");

    @TempDir Path temp;

    @TestFactory
    Stream<DynamicTest> reportsAreStoredExactly() throws IOException {
        return inputs("reports").map(input -> DynamicTest.dynamicTest(input.getFileName().toString(), () -> {
            Path db = Files.createTempDirectory(temp, "db").resolve("golden.duckdb");
            String actual;
            try (Store store = Store.open(db)) {
                IngestSummary first = Ingest.into(store).run(List.of(input.toString()));
                actual = dump(store, first, TABLES);
                IngestSummary second = Ingest.into(store).run(List.of(input.toString()));
                assertThat(second.reports()).as("reports stored by a second ingest").isZero();
                assertThat(second.duplicates()).as("duplicates on a second ingest").isEqualTo(first.reports() + first.duplicates());
                assertThat(second.problems()).isEqualTo(first.problems());
                assertThat(count(store, "records")).as("records after a second ingest").isEqualTo(first.records());
            }
            compare(actual, TESTDATA.resolve("expected").resolve(input.getFileName() + ".json"));
        }));
    }

    @TestFactory
    Stream<DynamicTest> tlsReportsAreStoredExactly() throws IOException {
        return inputs("tls").map(input -> DynamicTest.dynamicTest(input.getFileName().toString(), () -> {
            Path db = Files.createTempDirectory(temp, "db").resolve("golden.duckdb");
            String actual;
            try (Store store = Store.open(db)) {
                IngestSummary first = Ingest.into(store).run(List.of(input.toString()));
                assertThat(first.tlsReports()).as("TLS reports stored").isPositive();
                assertThat(first.tlsSessions()).as("sessions: the reports' totals, exactly")
                        .isEqualTo(sum(store, "successful_sessions + failed_sessions", "tls_policies"));
                actual = dump(store, first, TLS_TABLES);
                IngestSummary second = Ingest.into(store).run(List.of(input.toString()));
                assertThat(second.tlsReports()).as("TLS reports stored by a second ingest").isZero();
                assertThat(second.duplicates()).as("duplicates on a second ingest").isEqualTo(first.tlsReports() + first.duplicates());
                assertThat(count(store, "tls_reports")).as("TLS reports after a second ingest").isEqualTo(first.tlsReports());
            }
            compare(actual, TESTDATA.resolve("expected").resolve(input.getFileName() + ".json"));
        }));
    }

    @TestFactory
    Stream<DynamicTest> brokenInputsGiveExactErrors() throws IOException {
        return inputs("broken").map(input -> DynamicTest.dynamicTest(input.getFileName().toString(), () -> {
            Path db = Files.createTempDirectory(temp, "db").resolve("broken.duckdb");
            String actual;
            try (Store store = Store.open(db)) {
                IngestSummary summary = Ingest.into(store).run(List.of(input.toString()));
                assertThat(summary.problems()).as("problems").isNotEmpty();
                assertThat(summary.reports()).as("reports stored from a broken input").isZero();
                assertThat(count(store, "records")).as("records left behind").isZero();
                assertThat(count(store, "tls_reports") + count(store, "tls_policies")).as("TLS rows left behind").isZero();
                actual = summary.problems().stream().map(IngestProblem::toString).collect(Collectors.joining("\n", "", "\n"));
            }
            compare(actual, TESTDATA.resolve("expected").resolve(input.getFileName() + ".txt"));
        }));
    }

    @Test
    void everyExpectedFileHasItsInput() throws IOException {
        List<String> inputs = new ArrayList<>();
        for (String folder : List.of("reports", "broken", "tls")) {
            inputs.addAll(inputs(folder).map(p -> p.getFileName().toString()).toList());
        }
        try (Stream<Path> expected = Files.list(TESTDATA.resolve("expected"))) {
            List<String> orphans = expected.map(p -> p.getFileName().toString())
                    .map(name -> name.substring(0, name.lastIndexOf('.')))
                    .filter(name -> !inputs.contains(name))
                    .toList();
            assertThat(orphans).as("expected files without an input").isEmpty();
        }
    }

    static Stream<Path> inputs(String folder) throws IOException {
        try (Stream<Path> list = Files.list(TESTDATA.resolve(folder))) {
            return list.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList().stream();
        }
    }

    private static void compare(String actual, Path expectedFile) throws IOException {
        if (UPDATE || !Files.exists(expectedFile)) {
            if (!UPDATE) {
                Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
                throw new AssertionError("no expected file: wrote " + expectedFile + "; review it and run again");
            }
            Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
            return;
        }
        assertThat(actual).isEqualTo(Files.readString(expectedFile, StandardCharsets.UTF_8));
    }

    static long count(Store store, String table) throws SQLException {
        try (Statement s = store.connection().createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long sum(Store store, String expression, String table) throws SQLException {
        try (Statement s = store.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(sum(" + expression + "), 0) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The summary and every stored row as JSON, one row per line, without the ingest time. */
    static String dump(Store store, IngestSummary summary, List<String> tables) throws SQLException {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"summary\": {\"files\": ").append(summary.files())
                .append(", \"reports\": ").append(summary.reports())
                .append(", \"duplicates\": ").append(summary.duplicates())
                .append(", \"records\": ").append(summary.records())
                .append(", \"messages\": ").append(summary.messages())
                .append(", \"skipped_records\": ").append(summary.skippedRecords())
                .append(", \"warnings\": ").append(summary.warnings())
                .append(", \"emails_without_report\": ").append(summary.emailsWithoutReport())
                .append(tables == TLS_TABLES ? ", \"tls_reports\": " + summary.tlsReports() + ", \"tls_sessions\": " + summary.tlsSessions() : "")
                .append("},\n");
        sb.append("  \"problems\": [");
        List<IngestProblem> problems = summary.problems();
        for (int i = 0; i < problems.size(); i++) {
            sb.append(i == 0 ? "\n" : ",\n").append("    ").append(jsonString(problems.get(i).toString()));
        }
        sb.append(problems.isEmpty() ? "],\n" : "\n  ],\n");
        for (int t = 0; t < tables.size(); t++) {
            String table = tables.get(t);
            String name = table.substring(0, table.indexOf(' '));
            sb.append("  \"").append(name).append("\": [");
            String sql = "SELECT to_json(t)::VARCHAR FROM (SELECT * EXCLUDE (ingested_at) FROM " + table + ") t";
            if (!name.equals("reports") && !name.equals("tls_reports")) {
                sql = "SELECT to_json(t)::VARCHAR FROM (SELECT * FROM " + table + ") t";
            }
            boolean first = true;
            try (Statement s = store.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    sb.append(first ? "\n" : ",\n").append("    ").append(rs.getString(1));
                    first = false;
                }
            }
            sb.append(first ? "]" : "\n  ]").append(t == tables.size() - 1 ? "\n" : ",\n");
        }
        return sb.append("}\n").toString();
    }

    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return sb.append('"').toString();
    }
}
