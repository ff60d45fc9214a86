package org.dmarcq.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.dmarcq.rules.DomainNames;
import org.dmarcq.rules.PublicSuffixList;

/**
 * The tables dmarcq derives from the reports, in the caller's transaction: {@code domains} (each
 * name's A-label form and organizational domain, by the Public Suffix List) and
 * {@code record_verdicts} (the macro {@code evaluate_records} over them). The writer keeps them
 * current as it stores, so that readers only read. Statements name tables without a catalog: they
 * act on the connection's current one.
 */
final class Derived {
    private Derived() {}

    /**
     * Derives the rows of what was stored from {@code firstRecordKey} and {@code firstReportKey} on:
     * their names' domains rows, then their records' verdicts. Returns the names added.
     */
    static int add(Connection c, PublicSuffixList list, long firstRecordKey, long firstReportKey) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT DISTINCT name FROM (
                    SELECT header_from AS name FROM records WHERE record_key >= $1
                    UNION ALL SELECT envelope_from FROM records WHERE record_key >= $1
                    UNION ALL SELECT domain FROM dkim_results WHERE record_key >= $1
                    UNION ALL SELECT domain FROM spf_results WHERE record_key >= $1
                    UNION ALL SELECT policy_domain FROM reports WHERE report_key >= $2)
                WHERE name IS NOT NULL AND name NOT IN (SELECT name FROM domains)""")) {
            s.setLong(1, firstRecordKey);
            s.setLong(2, firstReportKey);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        insertNames(c, list, names);
        insertVerdicts(c, firstRecordKey);
        return names.size();
    }

    /**
     * Records evaluated at a time: one report of a million records in one query needs more memory
     * than the stage has (schema version 11 gave the macro its end for this). 200,000 ran out of the
     * stage's 160 MB now and then on a commit of 125,000 records from 20,000 small reports, always
     * at 128 MB; 100,000 holds at 128 MB on those and on the million.
     */
    private static final long VERDICT_CHUNK = 100_000;

    /** The verdicts of the records from {@code firstRecordKey} on, into {@code record_verdicts}, a chunk of keys at a time. */
    private static void insertVerdicts(Connection c, long firstRecordKey) throws SQLException {
        try (Statement s = c.createStatement()) {
            long last = number(s, "SELECT coalesce(max(record_key), 0) FROM records");
            for (long from = firstRecordKey; from <= last; from += VERDICT_CHUNK) {
                s.execute("INSERT INTO record_verdicts SELECT * FROM evaluate_records(" + from + ", end_key := "
                        + (from + VERDICT_CHUNK) + ") ORDER BY record_key");
            }
        }
    }

    private static long number(Statement s, String query) throws SQLException {
        try (ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The names given, with their A-labels and organizational domains, into {@code domains} (they must be missing from it). */
    static void insertNames(Connection c, PublicSuffixList list, List<String> names) throws SQLException {
        if (names.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO domains VALUES (?, ?, ?)")) {
            for (String name : names) {
                String ascii = DomainNames.toAscii(name);
                insert.setString(1, name);
                insert.setString(2, ascii);
                insert.setString(3, ascii == null ? null : list.organizationalDomain(ascii));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Brings both tables up to date whatever happened before: recomputes them whole when the list
     * differs from the one they were computed with; else adds what is missing (names of reverse DNS
     * lookups, verdicts of records stored without them). Returns the names added.
     */
    static int refresh(Connection c, PublicSuffixList list) throws SQLException {
        try (Statement s = c.createStatement()) {
            String used = null;
            try (ResultSet rs = s.executeQuery("SELECT value FROM settings WHERE name = 'public_suffix_list'")) {
                if (rs.next()) {
                    used = rs.getString(1);
                }
            }
            boolean changed = !list.version().equals(used);
            if (changed) {
                s.execute("DELETE FROM domains");
                s.execute("DELETE FROM settings WHERE name = 'public_suffix_list'");
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO settings VALUES ('public_suffix_list', ?)")) {
                    insert.setString(1, list.version());
                    insert.execute();
                }
            }
            List<String> names = new ArrayList<>();
            boolean reportNames = false;
            try (ResultSet rs = s.executeQuery("""
                    SELECT name, bool_or(from_reports) FROM (
                        SELECT header_from AS name, true AS from_reports FROM records
                        UNION ALL SELECT envelope_from, true FROM records
                        UNION ALL SELECT domain, true FROM dkim_results
                        UNION ALL SELECT domain, true FROM spf_results
                        UNION ALL SELECT policy_domain, true FROM reports
                        UNION ALL SELECT ptr, false FROM reverse_dns WHERE confirmed)
                    WHERE name IS NOT NULL AND name NOT IN (SELECT name FROM domains)
                    GROUP BY name""")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                    reportNames |= rs.getBoolean(2);
                }
            }
            insertNames(c, list, names);
            if (changed || reportNames) {
                // the names alignment compares changed: every verdict may have
                s.execute("DELETE FROM record_verdicts");
                insertVerdicts(c, 0);
            } else {
                insertVerdicts(c, number(s, "SELECT coalesce(max(record_key), 0) + 1 FROM record_verdicts"));
            }
            return names.size();
        }
    }

    /** Whether both tables are current for this list: then a reader needs no writer. */
    static boolean current(Connection c, PublicSuffixList list) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT (SELECT value FROM settings WHERE name = 'public_suffix_list'),
                       (SELECT coalesce(max(record_key), 0) FROM records),
                       (SELECT coalesce(max(record_key), 0) FROM record_verdicts),
                       (SELECT count(*) FROM reverse_dns r WHERE r.confirmed AND r.ptr IS NOT NULL
                           AND r.ptr NOT IN (SELECT name FROM domains))""")) {
            rs.next();
            return list.version().equals(rs.getString(1)) && rs.getLong(2) == rs.getLong(3) && rs.getLong(4) == 0;
        }
    }
}
