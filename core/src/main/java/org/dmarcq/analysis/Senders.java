package org.dmarcq.analysis;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
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
        return list(store, scope, failingOnly, Classes.defaults(), Naming.defaults(), 0).rows();
    }

    /**
     * The same, naming services, systems and inventory entries as {@code naming} says: the first
     * {@code limit} senders in their order (all when 0), and what the others are.
     */
    public static Page<Sender> list(Store store, Scope scope, boolean failingOnly, Classes classes, Naming naming, int limit) {
        try (SourceAnalysis analysis = SourceAnalysis.prepare(store, scope, Proposal.of(Disposition.QUARANTINE), classes, naming)) {
            List<Sender> rows = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            Page<Void> page = analysis.addresses(failingOnly, limit, rs -> {
                rows.add(new Sender(rs.getString("source_ip"), rs.getLong("messages"), rs.getLong("dmarc_pass"),
                        rs.getLong("dmarc_fail"), rs.getLong("spf_aligned"), rs.getLong("dkim_aligned"), rs.getString("reason"),
                        strings(rs, "header_from"), strings(rs, "envelope_from"), strings(rs, "dkim_domains"),
                        strings(rs, "reporters"), Scope.instant(rs.getObject("first_seen", LocalDateTime.class)),
                        Scope.instant(rs.getObject("last_seen", LocalDateTime.class)), rs.getLong("disagreements"),
                        rs.getString("ptr"), rs.getString("service"), rs.getString("service_type"), rs.getString("service_detail"),
                        rs.getString("system"), rs.getString("entry_name"), SourceAnalysis.classOf(rs.getString("rule")), List.of()));
                keys.add(rs.getString("policy_domain") + " " + rs.getString("source_ip") + " " + rs.getString("entry_name"));
            });
            // the evidence comes from the facts of the source each row was classed by
            Map<String, SourceAnalysis.Facts> facts = analysis.factsBySource(limit);
            List<Sender> senders = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                SourceAnalysis.Facts f = facts.get(keys.get(i));
                senders.add(rows.get(i).withEvidence(f == null ? List.of() : Explain.evidence(f)));
            }
            return new Page<>(senders, page.total(), page.notShown());
        }
    }

    static List<String> strings(ResultSet rs, String column) throws SQLException {
        return ListColumns.strings(rs, column);
    }

    static List<String> strings(ResultSet rs, int column) throws SQLException {
        return ListColumns.strings(rs, column);
    }
}
