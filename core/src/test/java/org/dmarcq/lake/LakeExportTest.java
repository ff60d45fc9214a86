package org.dmarcq.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.dmarcq.ingest.Ingest;
import org.dmarcq.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Parquet lake: every table's rows in its dataset, hive-partitioned by day; a second run writes
 * nothing; a run after more reports writes only those; a run that died before it was recorded is
 * thrown away and one that died after is finished; another writer's run in progress is left alone.
 */
class LakeExportTest {
    @TempDir Path temp;

    private Path store(String name, String... inputs) {
        Path db = temp.resolve(name);
        try (Store store = Store.open(db)) {
            Ingest.into(store).run(List.of(inputs));
        }
        return db;
    }

    private static long count(Store store, String sql) throws Exception {
        try (Statement s = store.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<Path> visibleFiles(Path lake) throws Exception {
        try (Stream<Path> walk = Files.walk(lake)) {
            return walk.filter(p -> p.toString().endsWith(".parquet") && !lake.relativize(p).startsWith("_staging")).sorted().toList();
        }
    }

    @Test
    void everyTableIsInItsDatasetOnceAndASecondRunWritesNothing() throws Exception {
        Path db = store("a.duckdb", "samples/rua", "samples/tlsrpt");
        Path lake = temp.resolve("lake");
        LakeExport.Summary first;
        try (Store store = Store.open(db)) {
            first = LakeExport.export(store, lake, null, "machine one", "test");
        }
        assertThat(first.reports()).isEqualTo(120);
        assertThat(first.tlsReports()).isEqualTo(60);
        assertThat(first.writer()).startsWith("machine-one-");
        try (Store store = Store.open(db)) {
            for (String table : List.of("reports", "records", "dkim_results", "spf_results", "override_reasons", "record_verdicts",
                    "tls_reports", "tls_policies", "tls_failures")) {
                long stored = count(store, "SELECT count(*) FROM " + table);
                assertThat(stored).as(table).isPositive();
                // the same rows, column for column, once each (the lake adds writer and day)
                assertThat(count(store, "SELECT count(*) FROM (SELECT * EXCLUDE (writer, day) FROM read_parquet('" + lake + "/" + table
                        + "/*/*.parquet', hive_partitioning = true) EXCEPT ALL SELECT * FROM " + table + ")")).as(table).isZero();
                assertThat(count(store, "SELECT count(*) FROM read_parquet('" + lake + "/" + table + "/*/*.parquet')")).as(table)
                        .isEqualTo(stored);
            }
            assertThat(count(store, "SELECT count(*) FROM read_parquet('" + lake + "/reports/*/*.parquet', hive_partitioning = true)"
                    + " WHERE day <> begin_time::DATE")).as("the partition is the UTC day the report begins").isZero();
        }
        assertThat(lake.resolve("_staging")).doesNotExist();
        JsonNode manifest = new ObjectMapper().readTree(lake.resolve("manifest.json").toFile());
        assertThat(manifest.get("datasets").get("records").get("rows").asLong()).isEqualTo(3032);
        assertThat(manifest.get("highest_report_key").get(first.writer()).asLong()).isEqualTo(120);
        assertThat(Files.readString(lake.resolve("_schema_version")).strip()).isEqualTo("11");
        List<Path> files = visibleFiles(lake);

        LakeExport.Summary second;
        try (Store store = Store.open(db)) {
            second = LakeExport.export(store, lake, null, "machine one", "test");
        }
        assertThat(second.reports() + second.tlsReports() + second.files()).isZero();
        assertThat(visibleFiles(lake)).isEqualTo(files);
    }

    @Test
    void aLaterRunWritesOnlyTheNewReports() throws Exception {
        Path db = store("b.duckdb", "testdata/reports/google.xml");
        Path lake = temp.resolve("lake");
        try (Store store = Store.open(db)) {
            assertThat(LakeExport.export(store, lake, null, "m", "test").reports()).isEqualTo(1);
            Ingest.into(store).run(List.of("testdata/reports/microsoft.xml", "testdata/reports/google.xml"));
            LakeExport.Summary next = LakeExport.export(store, lake, null, "m", "test");
            assertThat(next.reports()).isEqualTo(1);
        }
        try (Store store = Store.open(db)) {
            assertThat(count(store, "SELECT count(*) FROM read_parquet('" + lake + "/reports/*/*.parquet')")).isEqualTo(2);
            assertThat(count(store, "SELECT count(DISTINCT dedupe_key) FROM read_parquet('" + lake + "/reports/*/*.parquet')")).isEqualTo(2);
        }
    }

    @Test
    void twoMachinesWriteOneLakeAndTheDocumentedQueryCountsEachReportOnce() throws Exception {
        Path one = store("one.duckdb", "testdata/reports/google.xml", "testdata/reports/yahoo.xml");
        Path two = store("two.duckdb", "testdata/reports/google.xml", "testdata/reports/microsoft.xml");
        Path all = store("all.duckdb", "testdata/reports/google.xml", "testdata/reports/yahoo.xml", "testdata/reports/microsoft.xml");
        Path lake = temp.resolve("lake");
        try (Store a = Store.open(one)) {
            LakeExport.export(a, lake, null, "ingest-1", "test");
        }
        try (Store b = Store.open(two)) {
            LakeExport.export(b, lake, null, "ingest-2", "test");
        }
        // the query of docs/cli.md, as written there
        String documented = """
                WITH reports AS (
                    SELECT * FROM read_parquet('DIR/reports/*/*.parquet', hive_partitioning = true)
                    QUALIFY row_number() OVER (PARTITION BY dedupe_key ORDER BY writer, report_key) = 1
                )
                SELECT r.policy_domain, sum(v.count) AS messages
                FROM reports r JOIN read_parquet('DIR/record_verdicts/*/*.parquet', hive_partitioning = true) v
                  ON v.writer = r.writer AND v.report_key = r.report_key
                GROUP BY ALL""".replace("DIR", lake.toString());
        try (Store store = Store.open(all)) {
            assertThat(count(store, "SELECT count(*) FROM read_parquet('" + lake + "/reports/*/*.parquet')")).isEqualTo(4);
            assertThat(count(store, "SELECT count(*) FROM ((" + documented + ") EXCEPT ALL (SELECT policy_domain, sum(count)"
                    + " FROM record_verdicts GROUP BY ALL))")).isZero();
            assertThat(count(store, "SELECT count(*) FROM (" + documented + ")")).isEqualTo(
                    count(store, "SELECT count(DISTINCT policy_domain) FROM reports"));
        }
        JsonNode manifest = new ObjectMapper().readTree(lake.resolve("manifest.json").toFile());
        assertThat(manifest.get("highest_report_key").size()).isEqualTo(2);
    }

    @Test
    void aLakeReadBackIntoAnEmptyStoreEqualsTheOriginalTableForTable() throws Exception {
        Path db = store("orig.duckdb", "samples/rua", "samples/tlsrpt", "testdata/reports/override-reasons.xml");
        Path lake = temp.resolve("lake");
        try (Store store = Store.open(db)) {
            LakeExport.export(store, lake, null, "m", "test");
        }
        Path copy = temp.resolve("copy.duckdb");
        try (Store store = Store.open(copy)) {
            // made, empty
        }
        LakeImport.Summary read = LakeImport.run(copy, org.dmarcq.store.Wait.NONE, org.dmarcq.rules.PublicSuffixList.bundled(), lake);
        assertThat(read.reports()).isEqualTo(121);
        assertThat(read.tlsReports()).isEqualTo(60);
        assertThat(read.duplicates()).isZero();
        try (Store store = Store.open(db); Statement s = store.connection().createStatement()) {
            s.execute("ATTACH '" + copy + "' AS copy (READ_ONLY)");
            // keys are each store's own: rows are compared by their report's identity and the record's place in it
            for (String table : List.of("reports", "records", "report_errors", "warnings", "dkim_results", "spf_results",
                    "override_reasons", "record_verdicts", "tls_reports", "tls_policies", "tls_failures", "tls_warnings")) {
                String original = comparable(table, "");
                String readBack = comparable(table, "copy.");
                assertThat(count(store, "SELECT count(*) FROM (" + original + " EXCEPT ALL " + readBack + ")")).as(table).isZero();
                assertThat(count(store, "SELECT count(*) FROM (" + readBack + " EXCEPT ALL " + original + ")")).as(table).isZero();
                if (!table.equals("report_errors") && !table.equals("warnings") && !table.equals("tls_warnings")) {
                    assertThat(count(store, "SELECT count(*) FROM copy." + table)).as(table).isPositive();
                }
            }
        }
        // read again: every report is a duplicate, nothing is stored twice
        LakeImport.Summary again = LakeImport.run(copy, org.dmarcq.store.Wait.NONE, org.dmarcq.rules.PublicSuffixList.bundled(), lake);
        assertThat(again.reports()).isZero();
        assertThat(again.duplicates()).isEqualTo(121);
        assertThat(again.tlsDuplicates()).isEqualTo(60);
    }

    @Test
    void aLakeOfAnEarlierVersionWithTheSameColumnsIsReadAndOneWithOtherColumnsIsRefused() throws Exception {
        Path db = store("orig.duckdb", "samples/rua");
        Path lake = temp.resolve("lake");
        try (Store store = Store.open(db)) {
            LakeExport.export(store, lake, null, "m", "test");
        }
        Path copy = temp.resolve("copy.duckdb");
        Files.writeString(lake.resolve("_schema_version"), "9\n");
        assertThatThrownBy(() -> LakeImport.run(copy, org.dmarcq.store.Wait.NONE, org.dmarcq.rules.PublicSuffixList.bundled(), lake))
                .hasMessageContaining("written with schema version 9; this dmarcq reads lakes of versions 10 to 11");
        Files.writeString(lake.resolve("_schema_version"), "10\n");
        LakeImport.Summary read = LakeImport.run(copy, org.dmarcq.store.Wait.NONE, org.dmarcq.rules.PublicSuffixList.bundled(), lake);
        assertThat(read.reports()).isPositive();
    }

    /** A table's rows with their keys replaced by what identifies them in any store. */
    private static String comparable(String table, String catalog) {
        String c = catalog;
        return switch (table) {
            case "reports" -> "SELECT * EXCLUDE (report_key, ingested_at) FROM " + c + "reports";
            case "records" -> "SELECT r.* EXCLUDE (record_key, report_key), p.dedupe_key FROM " + c + "records r JOIN " + c
                    + "reports p ON p.report_key = r.report_key";
            case "report_errors", "warnings" -> "SELECT t.* EXCLUDE (report_key), p.dedupe_key FROM " + c + table + " t JOIN " + c
                    + "reports p ON p.report_key = t.report_key";
            case "record_verdicts" -> "SELECT t.* EXCLUDE (record_key, report_key), p.dedupe_key, r.record_index FROM " + c + table
                    + " t JOIN " + c + "records r ON r.record_key = t.record_key JOIN " + c + "reports p ON p.report_key = r.report_key";
            case "tls_reports" -> "SELECT * EXCLUDE (tls_report_key, ingested_at) FROM " + c + "tls_reports";
            case "tls_policies", "tls_failures", "tls_warnings" -> "SELECT t.* EXCLUDE (tls_report_key), p.dedupe_key FROM " + c + table
                    + " t JOIN " + c + "tls_reports p ON p.tls_report_key = t.tls_report_key";
            default -> "SELECT t.* EXCLUDE (record_key), p.dedupe_key, r.record_index FROM " + c + table + " t JOIN " + c
                    + "records r ON r.record_key = t.record_key JOIN " + c + "reports p ON p.report_key = r.report_key";
        };
    }

    @Test
    void aRunThatDiedIsThrownAwayOrFinishedAndAnotherWritersRunIsLeftAlone() throws Exception {
        Path db = store("c.duckdb", "testdata/reports/google.xml", "testdata/reports/yahoo.xml");
        Path lake = temp.resolve("lake");
        String writer;
        try (Store store = Store.open(db)) {
            writer = LakeExport.export(store, lake, null, "m", "test").writer();
        }
        // died while writing: nothing recorded, a half-written file in staging
        Path died = lake.resolve("_staging").resolve(writer + "-20260101T000000-00000001").resolve("records/day=2025-11-05");
        Files.createDirectories(died);
        Files.writeString(died.resolve(writer + "-20260101T000000-00000001-0.parquet"), "PAR1 half");
        // another machine's run, in progress
        Path other = lake.resolve("_staging").resolve("other-12345678-20260101T000000-00000002").resolve("reports/day=2025-11-05");
        Files.createDirectories(other);
        Files.writeString(other.resolve("x.parquet"), "PAR1 theirs");
        // died after recording its run, before moving its files: moved by the next run
        try (Store store = Store.open(db); Statement s = store.connection().createStatement()) {
            s.execute("INSERT INTO lake_exports VALUES ('" + LakeExport.lakeId(lake) + "', '20260101T000000-00000003', 'dmarc', 999,"
                    + " TIMESTAMP '2026-01-01 00:00:00')");
        }
        Path recorded = lake.resolve("_staging").resolve(writer + "-20260101T000000-00000003").resolve("warnings/day=2025-11-05");
        Files.createDirectories(recorded);
        Files.copy(visibleFiles(lake).get(0), recorded.resolve(writer + "-20260101T000000-00000003-0.parquet"));

        LakeExport.Summary next;
        try (Store store = Store.open(db)) {
            next = LakeExport.export(store, lake, null, "m", "test");
        }
        assertThat(next.discarded()).isEqualTo(1);
        assertThat(next.finished()).isEqualTo(1);
        assertThat(lake.resolve("_staging").resolve(writer + "-20260101T000000-00000001")).doesNotExist();
        assertThat(lake.resolve("warnings/day=2025-11-05/" + writer + "-20260101T000000-00000003-0.parquet")).exists();
        assertThat(other.resolve("x.parquet")).exists();
        assertThat(visibleFiles(lake)).noneMatch(p -> p.toString().contains("00000001"));
    }
}
