package org.dmarcq.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.dmarcq.report.DkimResult;
import org.dmarcq.report.PolicyOverride;
import org.dmarcq.report.PolicyPublished;
import org.dmarcq.report.ReportHeader;
import org.dmarcq.report.ReportMetadata;
import org.dmarcq.report.ReportRecord;
import org.dmarcq.report.ReportWarning;
import org.dmarcq.report.SpfResult;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Bulk-loads reports through DuckDB's Appender, many reports to a transaction.
 *
 * <p>A report is whole or absent: its records are appended as they stream in, and its
 * {@code reports} row last, by {@link #endReport}; {@link #abortReport} deletes what the report had
 * appended. Nothing is visible to others, or survives a crash, before {@link #commit}. A report is
 * identified by reporter, report ID, policy domain and period: the same report a second time is a
 * duplicate, whatever file it came in.
 */
public final class ReportLoader implements AutoCloseable {
    private static final long COMMIT_ROWS = 2_000_000;

    private final DuckDBConnection connection;
    private final Set<Long> known = ConcurrentHashMap.newKeySet();
    private final LocalDateTime ingestedAt = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    private long nextReportKey;
    private long nextRecordKey;
    private Appenders appenders;

    // The report in progress.
    private ReportHeader header;
    private String sourceFile;
    private long dedupeKey;
    private long firstRecordKey;
    private long records;
    private long messages;
    private long rowsSinceCommit;

    ReportLoader(DuckDBConnection connection) {
        this.connection = connection;
        try (Statement s = connection.createStatement()) {
            try (ResultSet rs = s.executeQuery(
                    "SELECT (SELECT coalesce(max(report_key), 0) FROM reports), (SELECT coalesce(max(record_key), 0) FROM records)")) {
                rs.next();
                nextReportKey = rs.getLong(1) + 1;
                nextRecordKey = rs.getLong(2) + 1;
            }
            try (ResultSet rs = s.executeQuery("SELECT dedupe_key FROM reports")) {
                while (rs.next()) {
                    known.add(rs.getLong(1));
                }
            }
            connection.setAutoCommit(false);
            beginTransaction();
        } catch (SQLException e) {
            throw failure("cannot start loading", e);
        }
    }

    /**
     * Whether a report with this identity is already stored or ended in this batch. Safe to call
     * from any thread, e.g. to skip parsing a duplicate; {@link #beginReport} has the last word.
     */
    public boolean isStored(ReportHeader header) {
        return known.contains(dedupeKey(header));
    }

    /**
     * Starts a report. Returns false, and starts nothing, when the report is already stored (or
     * was loaded earlier in this batch): a duplicate.
     */
    public boolean beginReport(ReportHeader header, String sourceFile) {
        if (this.header != null) {
            throw new IllegalStateException("a report is in progress: end or abort it first");
        }
        long key = dedupeKey(header);
        if (known.contains(key)) {
            return false;
        }
        this.header = header;
        this.sourceFile = sourceFile;
        this.dedupeKey = key;
        this.firstRecordKey = nextRecordKey;
        this.records = 0;
        this.messages = 0;
        return true;
    }

    /** Appends one record of the report in progress. */
    public void record(ReportRecord r) {
        requireReport();
        long recordKey = nextRecordKey++;
        try {
            Appenders a = appenders();
            a.records.beginRow()
                    .append(recordKey)
                    .append(nextReportKey)
                    .append(r.index())
                    .append(r.sourceIp())
                    .append(r.count())
                    .append(r.disposition())
                    .append(r.policyDkim())
                    .append(r.policySpf())
                    .append(r.headerFrom())
                    .append(r.envelopeFrom())
                    .append(r.envelopeTo())
                    .endRow();
            for (PolicyOverride o : r.overrides()) {
                a.overrides.beginRow().append(recordKey).append(o.type()).append(o.comment()).endRow();
                rowsSinceCommit++;
            }
            for (DkimResult d : r.dkim()) {
                a.dkim.beginRow().append(recordKey).append(d.domain()).append(d.selector()).append(d.result())
                        .append(d.humanResult()).endRow();
                rowsSinceCommit++;
            }
            for (SpfResult s : r.spf()) {
                a.spf.beginRow().append(recordKey).append(s.domain()).append(s.scope()).append(s.result())
                        .append(s.humanResult()).endRow();
                rowsSinceCommit++;
            }
        } catch (SQLException e) {
            throw failure("cannot store a record of " + header.reportId(), e);
        }
        rowsSinceCommit++;
        records++;
        messages += r.count();
    }

    /** Ends the report in progress: its row is appended with its warnings. Returns the stored report's key. */
    public long endReport(List<ReportWarning> warnings, long skippedRecords) {
        requireReport();
        long reportKey = nextReportKey++;
        ReportMetadata m = header.metadata();
        PolicyPublished p = header.policy();
        try {
            Appenders a = appenders();
            a.reports.beginRow()
                    .append(reportKey)
                    .append(m.orgName())
                    .append(m.email())
                    .append(m.extraContactInfo())
                    .append(m.reportId())
                    .append(utc(m.dateRange().beginEpochSecond()))
                    .append(utc(m.dateRange().endEpochSecond()))
                    .append(p.domain())
                    .append(p.adkim())
                    .append(p.aspf())
                    .append(p.p())
                    .append(p.sp())
                    .append(p.np())
                    .append(p.pct())
                    .append(p.fo())
                    .append(p.testing())
                    .append(p.discoveryMethod())
                    .append(header.format())
                    .append(header.version())
                    .append(header.xmlNamespace())
                    .append(m.generator())
                    .append(records)
                    .append(messages)
                    .append(skippedRecords)
                    .append(sourceFile)
                    .append(ingestedAt)
                    .append(dedupeKey)
                    .endRow();
            for (String error : m.errors()) {
                a.errors.beginRow().append(reportKey).append(error).endRow();
            }
            for (ReportWarning w : warnings) {
                a.warnings.beginRow().append(reportKey).append(w.location().toString()).append(w.message()).endRow();
            }
        } catch (SQLException e) {
            throw failure("cannot store report " + m.reportId(), e);
        }
        known.add(dedupeKey);
        header = null;
        if (rowsSinceCommit >= COMMIT_ROWS) {
            commit();
        }
        return reportKey;
    }

    /** Forgets the report in progress: rows it appended are deleted (nothing was committed). */
    public void abortReport() {
        if (header == null) {
            return;
        }
        header = null;
        if (nextRecordKey == firstRecordKey) {
            return;
        }
        try {
            appenders().flush();
            try (Statement s = connection.createStatement()) {
                for (String table : List.of("records", "override_reasons", "dkim_results", "spf_results")) {
                    s.execute("DELETE FROM " + table + " WHERE record_key >= " + firstRecordKey);
                }
            }
        } catch (SQLException e) {
            throw failure("cannot undo a partly stored report", e);
        }
        nextRecordKey = firstRecordKey;
    }

    /** Makes every report ended so far durable, and starts a new transaction. */
    public void commit() {
        if (header != null) {
            throw new IllegalStateException("a report is in progress: end or abort it before committing");
        }
        try {
            if (appenders != null) {
                appenders.close();
                appenders = null;
            }
            connection.commit();
            beginTransaction();
            rowsSinceCommit = 0;
        } catch (SQLException e) {
            throw failure("cannot commit", e);
        }
    }

    /** Rolls back whatever was not committed. */
    @Override
    public void close() {
        try {
            if (appenders != null) {
                appenders.closeQuietly();
                appenders = null;
            }
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            throw failure("cannot close the loader", e);
        }
    }

    private void beginTransaction() throws SQLException {
        // The JDBC driver opens a transaction lazily, on the next statement; an Appender that
        // flushed before that would autocommit. Run one statement so appends are transactional.
        try (Statement s = connection.createStatement()) {
            s.execute("SELECT 1");
        }
    }

    private void requireReport() {
        if (header == null) {
            throw new IllegalStateException("no report in progress: call beginReport first");
        }
    }

    private Appenders appenders() throws SQLException {
        if (appenders == null) {
            appenders = new Appenders(connection);
        }
        return appenders;
    }

    private static LocalDateTime utc(long epochSecond) {
        return LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
    }

    /** 64 bits of SHA-256 over the report's identity: reporter, report ID, policy domain, period. */
    static long dedupeKey(ReportHeader h) {
        String identity = h.orgName().toLowerCase(Locale.ROOT) + '\n' + h.reportId() + '\n' + h.policyDomain() + '\n'
                + h.dateRange().beginEpochSecond() + '\n' + h.dateRange().endEpochSecond();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < 8; i++) {
                key = (key << 8) | (digest[i] & 0xff);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private StoreException failure(String what, SQLException e) {
        return new StoreException("database: " + what + ": " + Store.firstLine(e.getMessage()), e);
    }

    private static final class Appenders {
        final DuckDBAppender reports;
        final DuckDBAppender errors;
        final DuckDBAppender records;
        final DuckDBAppender overrides;
        final DuckDBAppender dkim;
        final DuckDBAppender spf;
        final DuckDBAppender warnings;

        Appenders(DuckDBConnection c) throws SQLException {
            reports = c.createAppender("reports");
            errors = c.createAppender("report_errors");
            records = c.createAppender("records");
            overrides = c.createAppender("override_reasons");
            dkim = c.createAppender("dkim_results");
            spf = c.createAppender("spf_results");
            warnings = c.createAppender("warnings");
        }

        List<DuckDBAppender> all() {
            return List.of(records, overrides, dkim, spf, reports, errors, warnings);
        }

        void flush() throws SQLException {
            for (DuckDBAppender a : all()) {
                a.flush();
            }
        }

        void close() throws SQLException {
            for (DuckDBAppender a : all()) {
                a.close();
            }
        }

        void closeQuietly() {
            for (DuckDBAppender a : all()) {
                try {
                    a.close();
                } catch (SQLException ignored) {
                    // rolling back anyway
                }
            }
        }
    }
}
