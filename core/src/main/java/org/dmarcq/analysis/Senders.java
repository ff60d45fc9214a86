package org.dmarcq.analysis;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.dmarcq.store.Store;

/**
 * Who sends mail as the domain: one {@link Sender} per source IP, from the {@code record_verdicts}
 * view, most failing messages first, then most messages; named, grouped and classed as
 * {@link SourceAnalysis} does under p=quarantine.
 */
public final class Senders {
    private Senders() {}

    /** The senders in a scope; only those with failing messages when {@code failingOnly}. */
    public static List<Sender> list(Store store, Scope scope, boolean failingOnly) {
        return list(store, scope, failingOnly, Classes.defaults(), Naming.defaults());
    }

    /** The same, naming services, systems and inventory entries as {@code naming} says. */
    public static List<Sender> list(Store store, Scope scope, boolean failingOnly, Classes classes, Naming naming) {
        List<Sender> senders = new ArrayList<>();
        try (SourceAnalysis analysis = SourceAnalysis.prepare(store, scope, Proposal.of(Disposition.QUARANTINE), classes, naming)) {
            Map<String, SourceAnalysis.Facts> facts = analysis.factsBySource();
            analysis.addresses(failingOnly, rs -> {
                SourceAnalysis.Facts f = facts.get(rs.getString("policy_domain") + " " + rs.getString("source_ip") + " "
                        + rs.getString("entry_name"));
                senders.add(new Sender(rs.getString("source_ip"), rs.getLong("messages"), rs.getLong("dmarc_pass"),
                        rs.getLong("dmarc_fail"), rs.getLong("spf_aligned"), rs.getLong("dkim_aligned"), rs.getString("reason"),
                        strings(rs, "header_from"), strings(rs, "envelope_from"), strings(rs, "dkim_domains"),
                        strings(rs, "reporters"), Scope.instant(rs.getObject("first_seen", LocalDateTime.class)),
                        Scope.instant(rs.getObject("last_seen", LocalDateTime.class)), rs.getLong("disagreements"),
                        rs.getString("ptr"), rs.getString("service"), rs.getString("service_type"), rs.getString("service_detail"),
                        rs.getString("system"), rs.getString("entry_name"), SourceAnalysis.classOf(rs.getString("rule")),
                        f == null ? List.of() : Explain.evidence(f)));
            });
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
