package org.dmarcq.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
import org.dmarcq.rules.PublicSuffixList;
import org.dmarcq.tlsrpt.TlsReport;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Bulk-loads reports through DuckDB's Appender, many reports to a transaction.
 *
 * <p>A report is whole or absent: its records are appended as they stream in, and its
 * {@code reports} row last, by {@link #endReport}; {@link #abortReport} deletes what the report had
 * appended. Nothing is visible to others, or survives a crash, before {@link #commit}. A report is
 * identified by reporter, report ID, policy domain and period: the same report a second time is a
 * duplicate, whatever file it came in. A commit also derives what readers need from what it
 * stores (the names' domains rows, the records' verdicts), in the same transaction.
 *
 * <p>Two ways to store: straight into an open {@link Store} ({@link Store#loader}), or staged in
 * memory and moved into the database file at each commit ({@link #staging}), so that the file is
 * held only while a batch moves in and readers can open it between batches.
 */
public final class ReportLoader implements AutoCloseable {
    /** Rows after which a report's end commits: fewer when staged, as the stage is memory. */
    private static final long COMMIT_ROWS = 2_000_000;
    private static final long STAGED_COMMIT_ROWS = 500_000;

    /**
     * The most memory the stage's DuckDB may hold before it spills to {@link Store#SPILL}: one report
     * of a million records is staged whole (it is stored whole or not at all), 1.1 GB unbounded.
     * With the JVM's heap this keeps an ingest under 512 MB; measured no slower than 192 MB or
     * unbounded on 20,000 small reports and on that report, and on a lake of 9 million records
     * (798 MB unbounded, 420 MB bounded; docs/benchmarks.md).
     */
    private static final String STAGE_MEMORY = "160MB";

    /** The tables a loader writes, with their key columns. */
    private static final List<List<String>> TABLES = List.of(
            List.of("reports", "report_key"), List.of("report_errors", "report_key"), List.of("warnings", "report_key"),
            List.of("records", "record_key", "report_key"), List.of("override_reasons", "record_key"),
            List.of("dkim_results", "record_key"), List.of("spf_results", "record_key"), List.of("tls_reports", "tls_report_key"),
            List.of("tls_policies", "tls_report_key"), List.of("tls_failures", "tls_report_key"),
            List.of("tls_warnings", "tls_report_key"));
    /** The catalog the database file is attached as, when staging. */
    private static final String FILE = "dmarcq";

    /** Where to write: the store's connection, or the stage in memory. */
    private final DuckDBConnection connection;
    private final PublicSuffixList list;
    /** The database file a stage moves into, and how long to wait for it; null when storing straight in. */
    private final Path file;
    private final Wait wait;
    private final Set<Long> known = ConcurrentHashMap.newKeySet();
    private final Set<Long> knownTls = ConcurrentHashMap.newKeySet();
    private final LocalDateTime ingestedAt = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    private long nextReportKey;
    private long nextRecordKey;
    private long nextTlsReportKey;
    private Appenders appenders;

    // The report in progress.
    private ReportHeader header;
    private String sourceFile;
    private long dedupeKey;
    private long firstRecordKey;
    private long records;
    private long messages;
    private long rowsSinceCommit;
    /**
     * Staged reports that another process stored first (two ingests of the same files at once):
     * they were counted as new, and were not stored again.
     */
    public record LateDuplicates(int reports, long records, long messages, int tlsReports, long tlsSessions) {}

    private LateDuplicates lateDuplicates = new LateDuplicates(0, 0, 0, 0, 0);

    /** What {@link LateDuplicates} says, so far. */
    public LateDuplicates lateDuplicates() {
        return lateDuplicates;
    }

    /** The first keys of the transaction in progress: from them on, rows are derived at commit. */
    private long batchReportKey;
    private long batchRecordKey;
    private long batchTlsReportKey;

    private ReportLoader(DuckDBConnection connection, PublicSuffixList list, Path file, Wait wait) {
        this.connection = connection;
        this.list = list;
        this.file = file;
        this.wait = wait;
    }

    /** A loader into the store's open connection. */
    static ReportLoader direct(DuckDBConnection connection, PublicSuffixList list) {
        ReportLoader loader = new ReportLoader(connection, list, null, null);
        try {
            if (!Derived.current(connection, list)) {
                connection.setAutoCommit(false);
                Derived.refresh(connection, list);
                connection.commit();
            }
            loader.readState("");
            connection.setAutoCommit(false);
            loader.beginTransaction();
            return loader;
        } catch (SQLException e) {
            throw loader.failure("cannot start loading", e);
        }
    }

    /**
     * A loader that stages in memory and moves each batch into the database file at commit: the
     * file is held (DuckDB's lock) only then, so that others may read it meanwhile; while another
     * process holds it, a commit waits as {@code wait} says. The file must exist with the current
     * schema ({@link Store#open} makes it so).
     */
    public static ReportLoader staging(Path file, Wait wait, PublicSuffixList list) {
        return staging(file, wait, list, null);
    }

    /** The same, allowed to read the files under {@code lake} as well: for {@link #appendLake}. */
    public static ReportLoader staging(Path file, Wait wait, PublicSuffixList list, Path lake) {
        DuckDBConnection memory;
        try {
            memory = Store.inMemory(STAGE_MEMORY);
        } catch (SQLException e) {
            throw new StoreException("cannot start loading: " + Store.firstLine(e.getMessage()), e);
        }
        ReportLoader loader = new ReportLoader(memory, list, file, wait);
        loader.lake = lake == null ? null : lake.toAbsolutePath().normalize();
        try {
            loader.lockDown();
            loader.attach();
            try (Statement s = memory.createStatement()) {
                for (List<String> table : TABLES) {
                    s.execute("CREATE TABLE memory.main." + table.get(0) + " AS FROM " + FILE + ".main." + table.get(0) + " LIMIT 0");
                }
                s.execute("USE " + FILE);
                if (!Derived.current(memory, list)) {
                    memory.setAutoCommit(false);
                    Derived.refresh(memory, list);
                    memory.commit();
                    memory.setAutoCommit(true);
                }
                loader.readState(FILE + ".main.");
                s.execute("USE memory");
            } finally {
                loader.detach();
            }
            memory.setAutoCommit(false);
            loader.beginTransaction();
            return loader;
        } catch (SQLException | RuntimeException e) {
            try {
                memory.close();
            } catch (SQLException ignored) {
                // the failure to start is what matters
            }
            throw e instanceof SQLException sql ? loader.failure("cannot start loading", sql) : (RuntimeException) e;
        }
    }

    /** The next keys and the identities already stored, from the tables under {@code prefix}. */
    private void readState(String prefix) throws SQLException {
        try (Statement s = connection.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT (SELECT coalesce(max(report_key), 0) FROM " + prefix + "reports),"
                    + " (SELECT coalesce(max(record_key), 0) FROM " + prefix + "records),"
                    + " (SELECT coalesce(max(tls_report_key), 0) FROM " + prefix + "tls_reports)")) {
                rs.next();
                nextReportKey = rs.getLong(1) + 1;
                nextRecordKey = rs.getLong(2) + 1;
                nextTlsReportKey = rs.getLong(3) + 1;
            }
            try (ResultSet rs = s.executeQuery("SELECT dedupe_key FROM " + prefix + "tls_reports")) {
                while (rs.next()) {
                    knownTls.add(rs.getLong(1));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT dedupe_key FROM " + prefix + "reports")) {
                while (rs.next()) {
                    known.add(rs.getLong(1));
                }
            }
        }
    }

    /**
     * Locks the stage's connection down as {@link Store#lockDown} does, but for the database file
     * and the files DuckDB keeps beside it, which it attaches: whatever the file holds (a view made
     * with {@code sql --write}) reads and writes no other file, installs nothing, changes no setting.
     */
    private void lockDown() throws SQLException {
        String base = file.toAbsolutePath().toString();
        Store.lockDown(connection, List.of(base, base + ".wal", base + ".wal.checkpoint"),
                lake == null ? List.of(base + ".tmp/") : List.of(base + ".tmp/", lake + "/"));
    }

    /** The Parquet lake this stage may read, or null. */
    private Path lake;

    /** What {@link #appendLake} appended of a day of a lake, and what it found stored already. */
    public record LakeRows(int reports, long records, long messages, int tlsReports, int duplicates, int tlsDuplicates) {}

    /**
     * Appends the reports of one day of a Parquet lake written by {@code dmarcq export} (the
     * partition {@code day=DAY} of its datasets) that are not stored yet, as ended reports that the
     * next {@link #commit} stores: each report once, whichever writers wrote it (by
     * {@code dedupe_key}), its keys renumbered after this loader's. The lake's {@code record_verdicts}
     * are not read: the commit derives them, by this dmarcq's rules, as for any report it stores.
     */
    public LakeRows appendLake(LocalDate day) {
        if (lake == null) {
            throw new IllegalStateException("a loader made to read a lake (staging with a lake) appends from it");
        }
        if (header != null) {
            throw new IllegalStateException("a report is in progress: end or abort it first");
        }
        try (Statement s = connection.createStatement()) {
            if (appenders != null) {
                appenders.close();
                appenders = null;
            }
            String part = "/day=" + day + "/*.parquet";
            int reports = 0;
            long records = 0;
            long messages = 0;
            int duplicates = 0;
            if (java.nio.file.Files.isDirectory(lake.resolve("reports").resolve("day=" + day))) {
                duplicates = appendReports(s, "reports", "report_key", nextReportKey, known, "lake_reports", "lake_report_keys", day);
                children(s, List.of("report_errors", "warnings"), "report_key", "lake_report_keys", day);
                s.execute("CREATE OR REPLACE TEMP TABLE lake_records AS SELECT t.*, k.report_key AS new_report_key FROM read_parquet("
                        + files("records", part) + ") t JOIN lake_report_keys k ON k.writer = t.writer AND k.lake_key = t.report_key");
                s.execute("CREATE OR REPLACE TEMP TABLE lake_record_keys AS SELECT writer, record_key AS lake_key,"
                        + " row_number() OVER (ORDER BY writer, record_key) - 1 + " + nextRecordKey + " AS record_key FROM lake_records");
                s.execute("INSERT INTO records SELECT r.* EXCLUDE (writer, new_report_key) REPLACE (k.record_key AS record_key,"
                        + " r.new_report_key AS report_key) FROM lake_records r JOIN lake_record_keys k ON k.writer = r.writer"
                        + " AND k.lake_key = r.record_key ORDER BY k.record_key");
                children(s, List.of("override_reasons", "dkim_results", "spf_results"), "record_key", "lake_record_keys", day);
                try (ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(record_count), 0), coalesce(sum(message_count), 0)"
                        + " FROM lake_reports")) {
                    rs.next();
                    reports = rs.getInt(1);
                    records = rs.getLong(2);
                    messages = rs.getLong(3);
                }
                nextReportKey += reports;
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM lake_records")) {
                    rs.next();
                    nextRecordKey += rs.getLong(1);
                }
                for (String temp : List.of("lake_reports", "lake_report_keys", "lake_records", "lake_record_keys")) {
                    s.execute("DROP TABLE temp.main." + temp);
                }
            }
            int tlsReports = 0;
            int tlsDuplicates = 0;
            if (java.nio.file.Files.isDirectory(lake.resolve("tls_reports").resolve("day=" + day))) {
                tlsDuplicates = appendReports(s, "tls_reports", "tls_report_key", nextTlsReportKey, knownTls, "lake_tls", "lake_tls_keys",
                        day);
                children(s, List.of("tls_policies", "tls_failures", "tls_warnings"), "tls_report_key", "lake_tls_keys", day);
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM lake_tls")) {
                    rs.next();
                    tlsReports = rs.getInt(1);
                }
                nextTlsReportKey += tlsReports;
                s.execute("DROP TABLE temp.main.lake_tls");
                s.execute("DROP TABLE temp.main.lake_tls_keys");
            }
            // DuckDB frees the day's temporary tables (a megabyte or more each, however few their rows)
            // when the stage's transaction ends, not when they are dropped: end it after each day, or
            // a month of days fills the stage's memory. A day that fails leaves its rows in the stage,
            // as before, and the caller closes the loader, which drops the stage.
            connection.commit();
            openTransaction();
            return new LakeRows(reports, records, messages, tlsReports, duplicates, tlsDuplicates);
        } catch (SQLException e) {
            throw failure("cannot read the lake's day " + day, e);
        }
    }

    /**
     * Appends a lake day's reports of {@code table} ({@code reports} or {@code tls_reports}): each
     * report once, whichever writers wrote it, and none already stored or staged (by dedupe_key);
     * its {@code key} renumbered from {@code next}. The rows stay in {@code rows} and the new keys in
     * {@code keys} ({@code writer}, {@code lake_key}, the new key) for the child tables; the
     * identities join {@code identities}. Returns the reports left out as stored already.
     */
    private int appendReports(Statement s, String table, String key, long next, Set<Long> identities, String rows, String keys,
                              LocalDate day) throws SQLException {
        s.execute("CREATE OR REPLACE TEMP TABLE " + rows + " AS SELECT * FROM read_parquet(" + files(table, "/day=" + day + "/*.parquet")
                + ") QUALIFY row_number() OVER (PARTITION BY dedupe_key ORDER BY writer, " + key + ") = 1");
        int duplicates = deleteKnown(s, rows, identities);
        s.execute("CREATE OR REPLACE TEMP TABLE " + keys + " AS SELECT writer, " + key + " AS lake_key, row_number() OVER (ORDER BY"
                + " writer, " + key + ") - 1 + " + next + " AS " + key + " FROM " + rows);
        s.execute("INSERT INTO " + table + " SELECT r.* EXCLUDE (writer) REPLACE (k." + key + " AS " + key + ") FROM " + rows + " r JOIN "
                + keys + " k ON k.writer = r.writer AND k.lake_key = r." + key + " ORDER BY k." + key);
        try (ResultSet rs = s.executeQuery("SELECT dedupe_key FROM " + rows)) {
            while (rs.next()) {
                identities.add(rs.getLong(1));
            }
        }
        return duplicates;
    }

    /**
     * Appends a lake day's rows of each of {@code tables} whose {@code key} names a row appended
     * already, that key renumbered through {@code keys} ({@code writer}, {@code lake_key}, the new key).
     */
    private void children(Statement s, List<String> tables, String key, String keys, LocalDate day) throws SQLException {
        for (String table : tables) {
            if (java.nio.file.Files.isDirectory(lake.resolve(table).resolve("day=" + day))) {
                s.execute("INSERT INTO " + table + " SELECT t.* EXCLUDE (writer) REPLACE (k." + key + " AS " + key + ") FROM read_parquet("
                        + files(table, "/day=" + day + "/*.parquet") + ") t JOIN " + keys + " k ON k.writer = t.writer AND k.lake_key = t."
                        + key);
            }
        }
    }

    /** The files of a dataset's partition, as read_parquet takes them: the day is in the path, not in the files. */
    private String files(String dataset, String part) {
        return "'" + (lake + "/" + dataset + part).replace("'", "''") + "', hive_partitioning = false";
    }

    /** Deletes from a lake table the reports already stored or staged (by dedupe_key); returns how many. */
    private int deleteKnown(Statement s, String table, Set<Long> identities) throws SQLException {
        List<Long> there = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT dedupe_key FROM " + table)) {
            while (rs.next()) {
                if (identities.contains(rs.getLong(1))) {
                    there.add(rs.getLong(1));
                }
            }
        }
        for (int i = 0; i < there.size(); i += 1000) {
            List<Long> chunk = there.subList(i, Math.min(there.size(), i + 1000));
            s.execute("DELETE FROM " + table + " WHERE dedupe_key IN (" + chunk.stream().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(", ")) + ")");
        }
        return there.size();
    }

    /** Attaches the database file to the stage, waiting while another process holds it. */
    private void attach() throws SQLException {
        String path = file.toAbsolutePath().toString().replace("'", "''");
        Locks.retry(file, wait, () -> {
            try (Statement s = connection.createStatement()) {
                s.execute("ATTACH '" + path + "' AS " + FILE);
            }
            return null;
        });
    }

    private void detach() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("DETACH " + FILE);
        }
    }

    /**
     * Whether a report with this identity is already stored or ended in this batch. Safe to call
     * from any thread, e.g. to skip parsing a duplicate; {@link #beginReport} has the last word.
     */
    public boolean isStored(ReportHeader header) {
        return known.contains(dedupeKey(header));
    }

    /** The same for a TLS report. */
    public boolean isStored(TlsReport report) {
        return knownTls.contains(dedupeKey(report));
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
                a.warnings.beginRow().append(reportKey).append(w.location().toString()).append(w.message()).append(w.detail())
                        .append(w.count()).endRow();
            }
        } catch (SQLException e) {
            throw failure("cannot store report " + m.reportId(), e);
        }
        known.add(dedupeKey);
        header = null;
        if (rowsSinceCommit >= (file == null ? COMMIT_ROWS : STAGED_COMMIT_ROWS)) {
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

    /**
     * Stores a whole SMTP TLS report in the current transaction. Returns false, storing nothing, when
     * it is already stored (or was stored earlier in this batch): a duplicate.
     */
    public boolean storeTlsReport(TlsReport r, String sourceFile) {
        if (header != null) {
            throw new IllegalStateException("a DMARC report is in progress: end or abort it first");
        }
        long key = dedupeKey(r);
        if (knownTls.contains(key)) {
            return false;
        }
        long reportKey = nextTlsReportKey;
        try {
            try (PreparedStatement s = connection.prepareStatement("INSERT INTO tls_reports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setLong(1, reportKey);
                s.setString(2, r.orgName());
                s.setString(3, r.contactInfo());
                s.setString(4, r.reportId());
                s.setObject(5, LocalDateTime.ofInstant(r.begin(), ZoneOffset.UTC));
                s.setObject(6, LocalDateTime.ofInstant(r.end(), ZoneOffset.UTC));
                s.setInt(7, r.policies().size());
                s.setLong(8, r.successfulSessions());
                s.setLong(9, r.failedSessions());
                s.setString(10, sourceFile);
                s.setObject(11, ingestedAt);
                s.setLong(12, key);
                s.executeUpdate();
            }
            try (PreparedStatement p = connection.prepareStatement("INSERT INTO tls_policies VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement f = connection.prepareStatement("INSERT INTO tls_failures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (TlsReport.Policy policy : r.policies()) {
                    p.setLong(1, reportKey);
                    p.setInt(2, policy.index());
                    p.setString(3, policy.policyType());
                    p.setString(4, policy.policyDomain());
                    p.setArray(5, connection.createArrayOf("VARCHAR", policy.policyStrings().toArray()));
                    p.setString(6, policy.stsMode());
                    p.setArray(7, connection.createArrayOf("VARCHAR", policy.mxHosts().toArray()));
                    p.setLong(8, policy.successfulSessions());
                    p.setLong(9, policy.failedSessions());
                    p.setLong(10, policy.detailSessions());
                    p.setBoolean(11, policy.detailsMismatch());
                    p.addBatch();
                    for (TlsReport.Failure x : policy.failures()) {
                        f.setLong(1, reportKey);
                        f.setInt(2, policy.index());
                        f.setString(3, x.resultType());
                        f.setString(4, x.sendingMtaIp());
                        f.setString(5, x.receivingMxHostname());
                        f.setString(6, x.receivingMxHelo());
                        f.setString(7, x.receivingIp());
                        f.setLong(8, x.failedSessions());
                        f.setString(9, x.additionalInformation());
                        f.setString(10, x.failureReasonCode());
                        f.addBatch();
                    }
                }
                p.executeBatch();
                f.executeBatch();
            }
            try (PreparedStatement w = connection.prepareStatement("INSERT INTO tls_warnings VALUES (?, ?, ?, ?, ?)")) {
                for (ReportWarning warning : r.warnings()) {
                    w.setLong(1, reportKey);
                    w.setString(2, warning.location().toString());
                    w.setString(3, warning.message());
                    w.setString(4, warning.detail());
                    w.setLong(5, warning.count());
                    w.addBatch();
                }
                w.executeBatch();
            }
        } catch (SQLException e) {
            undoTls(reportKey);
            throw failure("cannot store TLS report " + r.reportId(), e);
        }
        nextTlsReportKey++;
        knownTls.add(key);
        return true;
    }

    private void undoTls(long reportKey) {
        try (Statement s = connection.createStatement()) {
            for (String table : List.of("tls_reports", "tls_policies", "tls_failures", "tls_warnings")) {
                s.execute("DELETE FROM " + table + " WHERE tls_report_key = " + reportKey);
            }
        } catch (SQLException e) {
            // the transaction is rolled back when the loader closes without a commit
        }
    }

    /**
     * Makes every report ended so far durable, with what is derived from it, and starts a new
     * transaction. A stage moves into the database file here, waiting for it as needed.
     */
    public void commit() {
        commit(null);
    }

    /**
     * Writes beside the reports of a commit, in its transaction and in the database file (unqualified
     * table names are the file's): what a fetch read from a mailbox is kept exactly when the reports
     * its messages held are.
     */
    @FunctionalInterface
    public interface AlsoCommitted {
        void write(Connection connection) throws SQLException;
    }

    /** {@link #commit()}, writing {@code also} (when not null) in the same transaction. */
    public void commit(AlsoCommitted also) {
        if (header != null) {
            throw new IllegalStateException("a report is in progress: end or abort it before committing");
        }
        try {
            if (appenders != null) {
                appenders.close();
                appenders = null;
            }
            if (file == null) {
                Derived.add(connection, list, batchRecordKey, batchReportKey);
                if (also != null) {
                    also.write(connection);
                }
                connection.commit();
            } else {
                connection.commit();
                if (nextReportKey > batchReportKey || nextTlsReportKey > batchTlsReportKey || also != null) {
                    moveStage(also);
                }
            }
            beginTransaction();
            rowsSinceCommit = 0;
        } catch (SQLException e) {
            throw failure("cannot commit", e);
        }
    }

    /**
     * Moves the stage into the database file in one transaction, deriving as it goes, then empties
     * it. Keys follow those in the file: should another process have stored reports meanwhile, the
     * staged keys shift past theirs.
     */
    private void moveStage(AlsoCommitted also) throws SQLException {
        connection.setAutoCommit(true);
        attach();
        try (Statement s = connection.createStatement()) {
            connection.setAutoCommit(false);
            long reportShift;
            long recordShift;
            long tlsShift;
            try (ResultSet rs = s.executeQuery("SELECT (SELECT coalesce(max(report_key), 0) FROM " + FILE + ".main.reports),"
                    + " (SELECT coalesce(max(record_key), 0) FROM " + FILE + ".main.records),"
                    + " (SELECT coalesce(max(tls_report_key), 0) FROM " + FILE + ".main.tls_reports)")) {
                rs.next();
                reportShift = rs.getLong(1) + 1 - batchReportKey;
                recordShift = rs.getLong(2) + 1 - batchRecordKey;
                tlsShift = rs.getLong(3) + 1 - batchTlsReportKey;
            }
            // another ingest of the same reports, run at the same time, may have stored some meanwhile
            // (kept aside before the first insert, after which every staged report is "there")
            s.execute("CREATE OR REPLACE TEMP TABLE late_reports AS SELECT s.report_key FROM memory.main.reports s JOIN "
                    + FILE + ".main.reports m USING (dedupe_key)");
            s.execute("CREATE OR REPLACE TEMP TABLE late_tls_reports AS SELECT s.tls_report_key FROM memory.main.tls_reports s JOIN "
                    + FILE + ".main.tls_reports m USING (dedupe_key)");
            String reportsThere = "SELECT report_key FROM temp.main.late_reports";
            String tlsThere = "SELECT tls_report_key FROM temp.main.late_tls_reports";
            try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM (" + reportsThere + ")),"
                    + " (SELECT coalesce(sum(record_count), 0) FROM memory.main.reports WHERE report_key IN (" + reportsThere + ")),"
                    + " (SELECT coalesce(sum(message_count), 0) FROM memory.main.reports WHERE report_key IN (" + reportsThere + ")),"
                    + " (SELECT count(*) FROM (" + tlsThere + ")),"
                    + " (SELECT coalesce(sum(successful_sessions + failed_sessions), 0) FROM memory.main.tls_reports"
                    + " WHERE tls_report_key IN (" + tlsThere + "))")) {
                rs.next();
                lateDuplicates = new LateDuplicates(lateDuplicates.reports() + rs.getInt(1), lateDuplicates.records() + rs.getLong(2),
                        lateDuplicates.messages() + rs.getLong(3), lateDuplicates.tlsReports() + rs.getInt(4),
                        lateDuplicates.tlsSessions() + rs.getLong(5));
            }
            for (List<String> table : TABLES) {
                List<String> shifted = new ArrayList<>();
                for (String key : table.subList(1, table.size())) {
                    long shift = key.equals("report_key") ? reportShift : key.equals("record_key") ? recordShift : tlsShift;
                    shifted.add(key + " + " + shift + " AS " + key);
                }
                String keep = switch (table.get(1)) {
                    case "report_key" -> "report_key NOT IN (" + reportsThere + ")";
                    case "record_key" -> "record_key NOT IN (SELECT record_key FROM memory.main.records WHERE report_key IN ("
                            + reportsThere + "))";
                    default -> "tls_report_key NOT IN (" + tlsThere + ")";
                };
                s.execute("INSERT INTO " + FILE + ".main." + table.get(0) + " SELECT * REPLACE (" + String.join(", ", shifted)
                        + ") FROM memory.main." + table.get(0) + " WHERE " + keep);
            }
            s.execute("USE " + FILE);
            Derived.add(connection, list, batchRecordKey + recordShift, batchReportKey + reportShift);
            if (also != null) {
                also.write(connection);
            }
            connection.commit();
            nextReportKey += reportShift;
            nextRecordKey += recordShift;
            nextTlsReportKey += tlsShift;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            throw e;
        } finally {
            try (Statement s = connection.createStatement()) {
                connection.setAutoCommit(true);
                s.execute("USE memory");
                s.execute("DROP TABLE IF EXISTS temp.main.late_reports");
                s.execute("DROP TABLE IF EXISTS temp.main.late_tls_reports");
            }
            detach();
        }
        try (Statement s = connection.createStatement()) {
            for (List<String> table : TABLES) {
                s.execute("DELETE FROM memory.main." + table.get(0));
            }
        }
        connection.setAutoCommit(false);
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the failure that stopped the move is the one to report
        }
    }

    /** Rolls back whatever was not committed; a stage is dropped. */
    @Override
    public void close() {
        try {
            if (appenders != null) {
                appenders.closeQuietly();
                appenders = null;
            }
            if (!connection.getAutoCommit()) { // a failed move leaves no transaction open
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("cannot close the loader", e);
        } finally {
            if (file != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // nothing of the stage is wanted any more
                }
                Store.removeSpill();
            }
        }
    }

    private void beginTransaction() throws SQLException {
        openTransaction();
        batchReportKey = nextReportKey;
        batchRecordKey = nextRecordKey;
        batchTlsReportKey = nextTlsReportKey;
    }

    private void openTransaction() throws SQLException {
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
        return hash(h.orgName().toLowerCase(Locale.ROOT) + '\n' + h.reportId() + '\n' + h.policyDomain() + '\n'
                + h.dateRange().beginEpochSecond() + '\n' + h.dateRange().endEpochSecond());
    }

    /** A TLS report is identified by reporter, report ID and period (its policy domains are inside it). */
    static long dedupeKey(TlsReport r) {
        return hash("tls\n" + r.orgName().toLowerCase(Locale.ROOT) + '\n' + r.reportId() + '\n' + r.begin().getEpochSecond()
                + '\n' + r.end().getEpochSecond());
    }

    private static long hash(String identity) {
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
