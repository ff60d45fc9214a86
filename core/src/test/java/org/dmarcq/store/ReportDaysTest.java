package org.dmarcq.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report_days spreads a report's period over the UTC days it touches, pro rata by time. */
class ReportDaysTest {
    @TempDir Path temp;

    @Test
    void periodsAreSpreadByTheirShareOfEachDay() throws Exception {
        try (Store store = Store.open(temp.resolve("d.duckdb")); Statement s = store.connection().createStatement()) {
            // Only the report columns report_days reads matter here.
            s.execute("""
                    INSERT INTO reports (report_key, org_name, report_id, begin_time, end_time, policy_domain, format,
                        record_count, message_count, skipped_records, source_file, ingested_at, dedupe_key) VALUES
                    (1, 'inclusive', 'a', '2025-11-05 00:00:00', '2025-11-05 23:59:59', 'example.com', 'rfc7489', 0, 0, 0, 'f', now()::TIMESTAMP, 1),
                    (2, 'exclusive', 'b', '2025-11-05 00:00:00', '2025-11-06 00:00:00', 'example.com', 'rfc7489', 0, 0, 0, 'f', now()::TIMESTAMP, 2),
                    (3, 'two days from noon', 'c', '2025-11-05 12:00:00', '2025-11-07 12:00:00', 'example.com', 'rfc7489', 0, 0, 0, 'f', now()::TIMESTAMP, 3),
                    (4, 'an instant', 'd', '2025-11-05 08:00:00', '2025-11-05 08:00:00', 'example.com', 'rfc7489', 0, 0, 0, 'f', now()::TIMESTAMP, 4),
                    (5, 'before 2000', 'e', '1999-12-31 00:00:00', '1999-12-31 23:59:59', 'example.com', 'rfc7489', 0, 0, 0, 'f', now()::TIMESTAMP, 5),
                    (6, 'a broken clock', 'f', '2999-01-01 00:00:00', '2999-01-01 23:59:59', 'example.com', 'rfc7489', 0, 0, 0, 'f', now()::TIMESTAMP, 6)
                    """);
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT report_key, day, round(share, 4) FROM report_days ORDER BY 1, 2")) {
                while (rs.next()) {
                    rows.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getDouble(3));
                }
            }
            assertThat(rows).as("periods outside 2000 to next year have no days").containsExactly(
                    "1 2025-11-05 1.0",
                    "2 2025-11-05 1.0",
                    "3 2025-11-05 0.25",
                    "3 2025-11-06 0.5",
                    "3 2025-11-07 0.25",
                    "4 2025-11-05 1.0");
        }
    }
}
