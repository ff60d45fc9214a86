package org.dmarcq.analysis;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.dmarcq.identity.Identification;
import org.dmarcq.identity.ReverseDnsCache;
import org.dmarcq.store.Store;
import org.dmarcq.store.StoreException;

/**
 * Who sends mail as the domain: one {@link Sender} per source IP, from the {@code record_verdicts}
 * view, most failing messages first, then most messages.
 */
public final class Senders {
    private Senders() {}

    /** The senders in a scope; only those with failing messages when {@code failingOnly}. */
    public static List<Sender> list(Store store, Scope scope, boolean failingOnly) {
        return list(store, scope, failingOnly, Naming.defaults());
    }

    /** The same, naming services, systems and inventory entries as {@code naming} says. */
    public static List<Sender> list(Store store, Scope scope, boolean failingOnly, Naming naming) {
        String sql = """
                WITH scoped AS (
                    SELECT *, coalesce(receiver_dmarc, dmarc) AS verdict FROM record_verdicts WHERE %s
                ), reasons AS (
                    SELECT source_ip, reason, sum(count) AS messages
                    FROM scoped WHERE reason IS NOT NULL GROUP BY ALL
                ), main_reason AS (
                    SELECT source_ip, first(reason ORDER BY messages DESC, reason) AS reason
                    FROM reasons GROUP BY source_ip
                ), dkim AS (
                    SELECT s.source_ip, list(DISTINCT d.domain ORDER BY d.domain) AS domains,
                           list(DISTINCT d.domain ORDER BY d.domain) FILTER (WHERE d.result = 'pass') AS passing
                    FROM scoped s JOIN dkim_results d ON d.record_key = s.record_key
                    WHERE d.domain IS NOT NULL GROUP BY ALL
                )
                SELECT s.source_ip,
                       sum(s.count) AS messages,
                       coalesce(sum(s.count) FILTER (WHERE s.verdict = 'pass'), 0) AS dmarc_pass,
                       coalesce(sum(s.count) FILTER (WHERE s.verdict = 'fail'), 0) AS dmarc_fail,
                       coalesce(sum(s.count) FILTER (WHERE s.spf_aligned), 0) AS spf_aligned,
                       coalesce(sum(s.count) FILTER (WHERE s.dkim_aligned), 0) AS dkim_aligned,
                       any_value(m.reason) AS reason,
                       list(DISTINCT s.header_from ORDER BY s.header_from) FILTER (WHERE s.header_from IS NOT NULL) AS header_from,
                       list(DISTINCT coalesce(s.envelope_from, s.spf_domains) ORDER BY coalesce(s.envelope_from, s.spf_domains))
                           FILTER (WHERE coalesce(s.envelope_from, s.spf_domains) IS NOT NULL) AS envelope_from,
                       any_value(k.domains) AS dkim_domains,
                       any_value(k.passing) AS dkim_passing,
                       list(DISTINCT s.reporter ORDER BY s.reporter) AS reporters,
                       min(s.begin_time) AS first_seen,
                       max(s.end_time) AS last_seen,
                       count(*) FILTER (WHERE s.disagrees) AS disagreements
                FROM scoped s
                LEFT JOIN main_reason m ON m.source_ip = s.source_ip
                LEFT JOIN dkim k ON k.source_ip = s.source_ip
                GROUP BY s.source_ip
                %s
                ORDER BY dmarc_fail DESC, messages DESC, s.source_ip
                """.formatted(scope.where(), failingOnly ? "HAVING coalesce(sum(s.count) FILTER (WHERE s.verdict = 'fail'), 0) > 0" : "");
        List<Sender> senders = new ArrayList<>();
        // Names come from the cache when shown: a better map or a later lookup renames old data.
        Map<String, String> ptr = ReverseDnsCache.confirmedNames(store);
        Connection connection = store.connection();
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            Object[] parameters = scope.parameters();
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    List<String> envelope = strings(rs, "envelope_from");
                    String ip = rs.getString("source_ip");
                    String name = ptr.get(ip);
                    List<String> dkimDomains = strings(rs, "dkim_domains");
                    Identification service = naming.identify(ip, strings(rs, "dkim_passing"), envelope, name).orElse(null);
                    String serviceName = service == null ? null : service.service().name();
                    senders.add(new Sender(ip, rs.getLong("messages"), rs.getLong("dmarc_pass"),
                            rs.getLong("dmarc_fail"), rs.getLong("spf_aligned"), rs.getLong("dkim_aligned"),
                            rs.getString("reason"), strings(rs, "header_from"), envelope,
                            dkimDomains, strings(rs, "reporters"),
                            Scope.instant(rs.getObject("first_seen", LocalDateTime.class)),
                            Scope.instant(rs.getObject("last_seen", LocalDateTime.class)), rs.getLong("disagreements"),
                            name, service, naming.systemOf(ip, name, serviceName),
                            naming.inventoryName(List.of(ip), name == null ? List.of() : List.of(name), dkimDomains, envelope,
                                    serviceName)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": cannot list senders: " + e.getMessage(), e);
        }
        return senders;
    }

    static List<String> strings(ResultSet rs, String column) throws SQLException {
        return strings(rs.getArray(column));
    }

    static List<String> strings(ResultSet rs, int column) throws SQLException {
        return strings(rs.getArray(column));
    }

    private static List<String> strings(java.sql.Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        Object[] values = (Object[]) array.getArray();
        return Arrays.stream(values).map(String::valueOf).toList();
    }
}
