package org.dmarcq.identity;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.dmarcq.rules.PublicSuffixList;
import org.dmarcq.store.Store;
import org.dmarcq.store.StoreException;

/**
 * Reverse DNS of the source addresses, kept in the {@code reverse_dns} table: addresses are looked
 * up once, with bounded parallelism; a lookup that failed is tried again after {@code retryAfter}.
 */
public final class ReverseDnsCache {
    private ReverseDnsCache() {}

    /** Looks up the addresses the cache lacks, in every report; returns how many lookups were made. */
    public static int refresh(Store store, ReverseDns dns, int parallelism, Duration retryAfter) {
        List<ReverseName> names = lookUp(missing(store, null, null, null, retryAfter), dns, parallelism, Progress.NONE).names();
        save(store, names, PublicSuffixList.bundled());
        return names.size();
    }

    /**
     * The addresses of the reports in a scope (a policy domain, or null for all; reports that begin
     * on the UTC days from {@code since} to {@code until}, either open) that have no reverse DNS yet,
     * or whose lookup failed longer than {@code retryAfter} ago.
     */
    public static List<String> missing(Store store, String policyDomain, LocalDate since, LocalDate until, Duration retryAfter) {
        List<String> ips = new ArrayList<>();
        String sql = """
                SELECT DISTINCT r.source_ip FROM records r JOIN reports p ON p.report_key = r.report_key
                LEFT JOIN reverse_dns d ON d.ip = r.source_ip
                WHERE (d.ip IS NULL OR (d.error IS NOT NULL AND d.looked_up_at < $1))
                  AND ($2::VARCHAR IS NULL OR p.policy_domain = $2)
                  AND ($3::TIMESTAMP IS NULL OR p.begin_time >= $3) AND ($4::TIMESTAMP IS NULL OR p.begin_time < $4)
                ORDER BY 1
                """;
        try (PreparedStatement s = store.connection().prepareStatement(sql)) {
            s.setObject(1, LocalDateTime.now(ZoneOffset.UTC).minus(retryAfter));
            s.setString(2, policyDomain);
            s.setObject(3, since == null ? null : since.atStartOfDay());
            s.setObject(4, until == null ? null : until.plusDays(1).atStartOfDay());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ips.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": cannot list addresses to look up: " + e.getMessage(), e);
        }
        return ips;
    }

    /** Told how the lookups go. */
    public interface Progress {
        Progress NONE = (done, total) -> { };

        void looked(int done, int total);
    }

    /**
     * The lookups of a run: {@code unanswered} counts those that timed out; {@code gaveUp} says the
     * run stopped early because none of the first lookups got an answer (no DNS to be had here).
     */
    public record Lookups(List<ReverseName> names, int unanswered, boolean gaveUp) {}

    /**
     * Looks the addresses up, {@code parallelism} at a time. When the first lookups all time out,
     * the server is not answering: the rest are not tried (and not recorded), rather than each
     * waiting out its timeout.
     */
    public static Lookups lookUp(List<String> ips, ReverseDns dns, int parallelism, Progress progress) {
        List<ReverseName> names = new ArrayList<>(ips.size());
        if (ips.isEmpty()) {
            return new Lookups(names, 0, false);
        }
        int threads = Math.max(1, Math.min(parallelism, ips.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "dmarcq-dns");
            t.setDaemon(true);
            return t;
        });
        int unanswered = 0;
        boolean gaveUp = false;
        try {
            List<Future<ReverseName>> lookups = new ArrayList<>();
            for (String ip : ips) {
                lookups.add(pool.submit(() -> dns.lookup(ip)));
            }
            int probe = Math.min(ips.size(), threads);
            for (int i = 0; i < lookups.size(); i++) {
                ReverseName name = lookups.get(i).get();
                boolean timedOut = "timeout".equals(name.error());
                if (timedOut) {
                    unanswered++;
                }
                names.add(name);
                progress.looked(i + 1, ips.size());
                if (i + 1 == probe && unanswered == probe && probe < ips.size()) {
                    gaveUp = true; // the first round, all unanswered: the server is not there
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking up names", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a name lookup failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new Lookups(names, unanswered, gaveUp);
    }

    /** The cached PTR names by address: confirmed ones only, since only they say who runs it. */
    public static Map<String, String> confirmedNames(Store store) {
        Map<String, String> names = new HashMap<>();
        try (Statement s = store.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT ip, ptr FROM reverse_dns WHERE confirmed")) {
            while (rs.next()) {
                names.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": cannot read reverse DNS: " + e.getMessage(), e);
        }
        return names;
    }

    /**
     * Keeps the names, and gives their forward-confirmed PTR names rows in the {@code domains}
     * table (by {@code list}), in one transaction.
     */
    public static void save(Store store, List<ReverseName> names, PublicSuffixList list) {
        if (names.isEmpty()) {
            return;
        }
        try {
            store.connection().setAutoCommit(false);
            insert(store, names);
            store.addDomainNames(list, names.stream().filter(ReverseName::confirmed).map(ReverseName::ptr)
                    .filter(java.util.Objects::nonNull).distinct().toList());
            store.connection().commit();
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": cannot save reverse DNS: " + e.getMessage(), e);
        } finally {
            try {
                store.connection().setAutoCommit(true);
            } catch (SQLException ignored) {
                // a failed commit rolled back already
            }
        }
    }

    private static void insert(Store store, List<ReverseName> names) {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        try (PreparedStatement s = store.connection().prepareStatement(
                "INSERT OR REPLACE INTO reverse_dns VALUES (?, ?, ?, ?, ?)")) {
            for (ReverseName n : names) {
                s.setString(1, n.ip());
                s.setString(2, n.ptr());
                s.setBoolean(3, n.confirmed());
                s.setString(4, n.error());
                s.setObject(5, now);
                s.addBatch();
            }
            s.executeBatch();
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": cannot save reverse DNS: " + e.getMessage(), e);
        }
    }
}
