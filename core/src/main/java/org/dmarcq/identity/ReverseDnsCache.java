package org.dmarcq.identity;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
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
import org.dmarcq.store.Store;
import org.dmarcq.store.StoreException;

/**
 * Reverse DNS of the source addresses, kept in the {@code reverse_dns} table: addresses are looked
 * up once, with bounded parallelism; a lookup that failed is tried again after {@code retryAfter}.
 */
public final class ReverseDnsCache {
    private ReverseDnsCache() {}

    /** Looks up the addresses the cache lacks; returns how many lookups were made. */
    public static int refresh(Store store, ReverseDns dns, int parallelism, Duration retryAfter) {
        List<String> ips = new ArrayList<>();
        String sql = """
                SELECT DISTINCT r.source_ip FROM records r
                LEFT JOIN reverse_dns d ON d.ip = r.source_ip
                WHERE d.ip IS NULL OR (d.error IS NOT NULL AND d.looked_up_at < ?)
                ORDER BY 1
                """;
        try (PreparedStatement s = store.connection().prepareStatement(sql)) {
            s.setObject(1, LocalDateTime.now(ZoneOffset.UTC).minus(retryAfter));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ips.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": cannot list addresses to look up: " + e.getMessage(), e);
        }
        if (ips.isEmpty()) {
            return 0;
        }
        List<ReverseName> names = new ArrayList<>(ips.size());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, ips.size())), r -> {
            Thread t = new Thread(r, "dmarcq-dns");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<ReverseName>> lookups = new ArrayList<>();
            for (String ip : ips) {
                lookups.add(pool.submit(() -> dns.lookup(ip)));
            }
            for (Future<ReverseName> f : lookups) {
                names.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking up names", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a name lookup failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        save(store, names);
        return names.size();
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

    private static void save(Store store, List<ReverseName> names) {
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
