package org.dmarcq.spf;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.dmarcq.spf.SpfDns.Status;
import org.dmarcq.store.Store;
import org.dmarcq.store.StoreException;

/**
 * SPF snapshots in the store ({@code spf_snapshots}, {@code spf_snapshot_domains},
 * {@code spf_dns_answers}): every DNS answer an SPF question used, kept with its time, so that a run
 * without network answers from the last one.
 */
public final class SpfSnapshots {
    private SpfSnapshots() {}

    /** A stored snapshot: when, from which server, and its answers as an {@link SpfDns}. */
    public record Snapshot(long id, LocalDateTime takenAt, String dnsServer, SpfDns dns) {}

    /** {@link SpfDns} that keeps every answer it passes on, for {@link #save}. */
    public static final class Recording implements SpfDns {
        private final SpfDns dns;
        private final Map<String, Answer> answers = new ConcurrentHashMap<>();
        private final Map<String, String[]> keys = new ConcurrentHashMap<>();

        public Recording(SpfDns dns) {
            this.dns = dns;
        }

        @Override
        public Answer lookup(String name, Type type) {
            String key = type + " " + name.toLowerCase(java.util.Locale.ROOT);
            keys.putIfAbsent(key, new String[] {name.toLowerCase(java.util.Locale.ROOT), type.name()});
            return answers.computeIfAbsent(key, k -> dns.lookup(name, type));
        }

        @Override
        public boolean remote() {
            return dns.remote();
        }

        /** Whether any lookup got an answer (records, or none) rather than an error. */
        public boolean answered() {
            return answers.values().stream().anyMatch(a -> a.status() != Status.ERROR);
        }
    }

    /**
     * Stores what {@code recording} looked up, with the audit of each domain and, for a record of
     * ranges alone, its ranges ({@link SpfRanges}: which terms are the owner's own by {@code suffixes});
     * returns the snapshot's id.
     */
    public static long save(Store writer, Recording recording, String dnsServer, LocalDateTime takenAt, List<SpfAudit.Result> audits,
                            org.dmarcq.rules.PublicSuffixList suffixes) {
        try {
            writer.connection().setAutoCommit(false);
            long id;
            try (Statement s = writer.connection().createStatement(); ResultSet rs = s.executeQuery("SELECT nextval('spf_snapshot_ids')")) {
                rs.next();
                id = rs.getLong(1);
            }
            try (PreparedStatement s = writer.connection().prepareStatement("INSERT INTO spf_snapshots VALUES (?, ?, ?)")) {
                s.setLong(1, id);
                s.setObject(2, takenAt);
                s.setString(3, dnsServer);
                s.execute();
            }
            try (PreparedStatement s = writer.connection().prepareStatement("INSERT INTO spf_snapshot_domains VALUES (?, ?, ?, ?, ?, ?)");
                 PreparedStatement r = writer.connection().prepareStatement("INSERT INTO spf_snapshot_ranges VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                int ranges = 0;
                for (SpfAudit.Result a : audits) {
                    Optional<List<SpfRanges.Range>> flat = a.record() == null ? Optional.empty() : SpfRanges.of(recording, a);
                    s.setLong(1, id);
                    s.setString(2, a.domain());
                    s.setString(3, a.record());
                    s.setString(4, a.verdict().word());
                    s.setInt(5, a.lookups());
                    s.setBoolean(6, flat.isPresent());
                    s.addBatch();
                    for (SpfRanges.Range range : flat.orElse(List.of())) {
                        r.setLong(1, id);
                        r.setString(2, a.domain());
                        r.setInt(3, range.position());
                        r.setString(4, range.term());
                        r.setBoolean(5, SpfRanges.ownTerm(range.term(), a.domain(), suffixes));
                        r.setString(6, range.range().key(false));
                        r.setString(7, range.range().key(true));
                        r.addBatch();
                        ranges++;
                    }
                }
                if (!audits.isEmpty()) {
                    s.executeBatch();
                }
                if (ranges > 0) { // the driver leaves an empty batch's statement unusable
                    r.executeBatch();
                }
            }
            try (PreparedStatement s = writer.connection().prepareStatement("INSERT INTO spf_dns_answers VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (Map.Entry<String, SpfDns.Answer> e : recording.answers.entrySet()) {
                    String[] key = recording.keys.get(e.getKey());
                    SpfDns.Answer a = e.getValue();
                    List<String> values = a.values().isEmpty() ? java.util.Collections.singletonList(null) : a.values();
                    for (int i = 0; i < values.size(); i++) {
                        s.setLong(1, id);
                        s.setString(2, key[0]);
                        s.setString(3, key[1]);
                        s.setString(4, a.status().name().toLowerCase(java.util.Locale.ROOT));
                        s.setInt(5, i);
                        s.setString(6, values.get(i));
                        s.setString(7, a.error());
                        s.addBatch();
                    }
                }
                s.executeBatch();
            }
            writer.connection().commit();
            return id;
        } catch (SQLException e) {
            try {
                writer.connection().rollback();
            } catch (SQLException ignored) {
                // the failure below is what matters
            }
            throw new StoreException(writer.file() + ": cannot keep the SPF snapshot: " + Store.problem(e), e);
        } finally {
            try {
                writer.connection().setAutoCommit(true);
            } catch (SQLException ignored) {
                // the connection is closed with the store
            }
        }
    }

    /** The latest snapshot, if any was taken. */
    public static Optional<Snapshot> latest(Store store) {
        List<Snapshot> latest = newest(store, 1);
        return latest.isEmpty() ? Optional.empty() : Optional.of(latest.get(0));
    }

    /** The {@code count} newest snapshots, newest first. */
    public static List<Snapshot> newest(Store store, int count) {
        List<Snapshot> snapshots = new ArrayList<>();
        try (PreparedStatement s = store.connection().prepareStatement(
                "SELECT snapshot_id, taken_at, dns_server FROM spf_snapshots ORDER BY taken_at DESC, snapshot_id DESC LIMIT ?")) {
            s.setInt(1, count);
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getLong(1), rs.getObject(2, LocalDateTime.class), rs.getString(3)});
                }
            }
            for (Object[] r : rows) {
                snapshots.add(new Snapshot((long) r[0], (LocalDateTime) r[1], (String) r[2], answers(store, (long) r[0], (LocalDateTime) r[1])));
            }
            return snapshots;
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": cannot read the SPF snapshots: " + Store.problem(e), e);
        }
    }

    private static SpfDns answers(Store store, long id, LocalDateTime taken) throws SQLException {
        Map<String, SpfDns.Answer> answers = new HashMap<>();
        try (PreparedStatement s = store.connection().prepareStatement("""
                SELECT name, type, status, list(value ORDER BY position) FILTER (WHERE value IS NOT NULL), first(error)
                FROM spf_dns_answers WHERE snapshot_id = ? GROUP BY ALL""")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    List<String> values = new ArrayList<>();
                    java.sql.Array array = rs.getArray(4);
                    if (array != null) {
                        for (Object o : (Object[]) array.getArray()) {
                            values.add(String.valueOf(o));
                        }
                    }
                    SpfDns.Status status = SpfDns.Status.valueOf(rs.getString(3).toUpperCase(java.util.Locale.ROOT));
                    answers.put(rs.getString(2) + " " + rs.getString(1), new SpfDns.Answer(status, values, rs.getString(5)));
                }
            }
        }
        String missing = "not in the SPF snapshot of " + taken.toString().replace('T', ' ');
        return (name, type) -> answers.getOrDefault(type + " " + name.toLowerCase(java.util.Locale.ROOT),
                SpfDns.Answer.failed(missing));
    }
}
