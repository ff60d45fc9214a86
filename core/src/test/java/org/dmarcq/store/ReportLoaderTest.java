package org.dmarcq.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.dmarcq.report.Location;
import org.dmarcq.report.ReportReader;
import org.dmarcq.rules.PublicSuffixList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportLoaderTest {
    @TempDir Path temp;

    @Test
    void anAbortedReportLeavesNoRowsAndKeysAreReused() throws Exception {
        try (Store store = Store.open(temp.resolve("a.duckdb")); ReportLoader loader = store.loader(PublicSuffixList.bundled())) {
            load(loader, report("first", 3), true);
            load(loader, report("aborted", 4), false);
            load(loader, report("second", 2), true);
            loader.commit();
            assertThat(query(store, "SELECT string_agg(report_id || ':' || record_count, ',' ORDER BY report_key) FROM reports"))
                    .isEqualTo("first:3,second:2");
            assertThat(query(store, "SELECT count(*) FROM records")).isEqualTo("5");
            assertThat(query(store, "SELECT count(*) FROM spf_results")).isEqualTo("5");
            assertThat(query(store, "SELECT string_agg(record_key::VARCHAR, ',' ORDER BY record_key) FROM records"))
                    .isEqualTo("1,2,3,4,5");
        }
    }

    @Test
    void nothingIsKeptWithoutACommit() throws Exception {
        Path db = temp.resolve("b.duckdb");
        try (Store store = Store.open(db); ReportLoader loader = store.loader(PublicSuffixList.bundled())) {
            load(loader, report("kept", 1), true);
            loader.commit();
            load(loader, report("lost", 1), true);
        }
        try (Store store = Store.openReadOnly(db)) {
            assertThat(query(store, "SELECT string_agg(report_id, ',') FROM reports")).isEqualTo("kept");
            assertThat(query(store, "SELECT count(*) FROM records")).isEqualTo("1");
        }
    }

    @Test
    void theSameReportTwiceIsADuplicateEvenWithinOneBatch() throws Exception {
        try (Store store = Store.open(temp.resolve("c.duckdb")); ReportLoader loader = store.loader(PublicSuffixList.bundled())) {
            assertThat(load(loader, report("x", 1), true)).isTrue();
            assertThat(load(loader, report("x", 1), true)).isFalse();
            loader.commit();
        }
        try (Store store = Store.open(temp.resolve("c.duckdb")); ReportLoader loader = store.loader(PublicSuffixList.bundled())) {
            assertThat(load(loader, report("x", 1), true)).isFalse();
        }
    }

    @Test
    void aNewDatabaseHasTheCurrentSchemaVersion() {
        try (Store store = Store.open(temp.resolve("d.duckdb"))) {
            assertThat(store.schemaVersion()).isEqualTo(Store.currentVersion()).isEqualTo(11);
        }
        try (Store store = Store.open(temp.resolve("d.duckdb"))) {
            assertThat(store.schemaVersion()).as("opening again migrates nothing").isEqualTo(11);
        }
    }

    @Test
    void aVersionOneDatabaseIsMigratedAndKeepsItsReports() throws Exception {
        Path db = temp.resolve("old.duckdb");
        try (Store store = Store.open(db); ReportLoader loader = store.loader(PublicSuffixList.bundled())) {
            load(loader, report("before-v2", 2), true);
            loader.commit();
        }
        try (Store store = Store.open(db); Statement s = store.connection().createStatement()) {
            // Back to what schema version 1 had.
            for (String drop : List.of("DELETE FROM schema_version WHERE version = 11", "DROP TABLE lake_exports", "DELETE FROM schema_version WHERE version = 10", "DROP TABLE fetch_messages", "DROP TABLE fetch_checkpoints",
                    "DELETE FROM schema_version WHERE version = 9", "DROP TABLE spf_dns_answers", "DROP TABLE spf_snapshot_ranges", "DROP TABLE spf_snapshot_domains",
                    "DROP TABLE spf_snapshots",
                    "DROP SEQUENCE spf_snapshot_ids", "DELETE FROM schema_version WHERE version = 8",
                    "ALTER TABLE warnings DROP COLUMN detail", "ALTER TABLE warnings DROP COLUMN count",
                    "INSERT INTO warnings VALUES (1, 'old.xml', 'SPF result \"hardfail\" read as \"fail\" (3 times)')",
                    "DELETE FROM schema_version WHERE version = 7", "DROP VIEW report_days", "ALTER VIEW report_days_all RENAME TO report_days",
                    "DROP MACRO plausible_day", "DROP TABLE record_verdicts", "DROP MACRO TABLE evaluate_records",
                    "DELETE FROM schema_version WHERE version = 6", "DROP MACRO domain_under", "DROP MACRO ip_key", "DROP MACRO ip6_tail", "DROP MACRO ip6_head",
                    "DELETE FROM schema_version WHERE version = 5", "DROP VIEW tls_failure_details", "DROP VIEW tls_sessions", "DROP TABLE tls_warnings", "DROP TABLE tls_failures", "DROP TABLE tls_policies",
                    "DROP TABLE tls_reports", "DELETE FROM schema_version WHERE version = 4",
                    "DROP TABLE reverse_dns", "DELETE FROM schema_version WHERE version = 3",
                    "DROP VIEW report_days", "DROP VIEW spf_alignments", "DROP VIEW dkim_alignments",
                    "DROP MACRO aligned_strict", "DROP MACRO aligned_relaxed", "DROP TABLE settings", "DROP TABLE domains",
                    "DELETE FROM schema_version WHERE version = 2")) {
                s.execute(drop);
            }
        }
        assertThatThrownBy(() -> Store.openReadOnly(db)).hasMessageContaining("schema version 1 is older");
        try (Store store = Store.open(db)) {
            assertThat(store.schemaVersion()).isEqualTo(11);
            assertThat(query(store, "SELECT string_agg(report_id, ',') FROM reports")).isEqualTo("before-v2");
            assertThat(query(store, "SELECT count(*) FROM record_verdicts")).isEqualTo("2");
            assertThat(query(store, "SELECT message || '|' || count || '|' || coalesce(detail, '-') FROM warnings"
                    + " WHERE location = 'old.xml'")).as("an old warning's count moves to its column")
                    .isEqualTo("SPF result \"hardfail\" read as \"fail\"|3|-");
        }
    }

    private static boolean load(ReportLoader loader, String xml, boolean end) throws Exception {
        try (ReportReader reader = ReportReader.open(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                Location.of("t.xml", null))) {
            if (!loader.beginReport(reader.header(), "t.xml")) {
                return false;
            }
            for (var r = reader.next(); r != null; r = reader.next()) {
                loader.record(r);
            }
            if (end) {
                loader.endReport(List.of(), 0);
            } else {
                loader.abortReport();
            }
            return true;
        }
    }

    private static String report(String id, int records) {
        StringBuilder sb = new StringBuilder("<feedback><report_metadata><org_name>o</org_name><email>a@o.example</email><report_id>")
                .append(id).append("</report_id><date_range><begin>1762387200</begin><end>1762473600</end></date_range>")
                .append("</report_metadata><policy_published><domain>example.com</domain><p>none</p></policy_published>");
        for (int i = 0; i < records; i++) {
            sb.append("<record><row><source_ip>192.0.2.").append(i + 1).append("</source_ip><count>1</count>")
                    .append("<policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated>")
                    .append("</row><identifiers><header_from>example.com</header_from></identifiers><auth_results><spf>")
                    .append("<domain>example.com</domain><result>pass</result></spf></auth_results></record>");
        }
        return sb.append("</feedback>").toString();
    }

    private static String query(Store store, String sql) throws Exception {
        try (Statement s = store.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
