package org.dmarcq.analysis;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.dmarcq.store.Store;
import org.dmarcq.store.StoreException;

/**
 * "Would this policy break this sender?" Simulates a {@link Proposal} over the records in a
 * {@link Scope}, classifies every source that would be quarantined or rejected (see
 * {@link SourceAnalysis} for the rules) and groups them into sending systems.
 *
 * <p>Receivers differ: one that reports in the RFC 9990 format follows RFC 9989 (ignores
 * {@code pct}, takes {@code t=y} one level down); one that reports in the RFC 7489 format applies
 * {@code pct} (the rest of a rejected share is quarantined, the rest of a quarantined share
 * delivered) and ignores {@code t}. Mail from a subdomain follows {@code sp}. Reports do not say
 * whether a subdomain exists, so {@code np} cannot be simulated: subdomains are taken to exist.
 */
public final class WhatIf {
    private WhatIf() {}

    public static WhatIfResult run(Store store, Scope scope, Proposal proposal) {
        return run(store, scope, proposal, Classes.defaults(), Naming.defaults(), false);
    }

    /**
     * Simulates the proposal: the systems it would affect, by class, with their evidence and fix;
     * every affected source too when {@code withSenders} (for --format json, csv and --all).
     */
    public static WhatIfResult run(Store store, Scope scope, Proposal proposal, Classes classes, Naming naming,
                                   boolean withSenders) {
        WhatIfResult[] answer = new WhatIfResult[1];
        List<AffectedSender> senders = new ArrayList<>();
        run(store, scope, proposal, classes, naming, new Receiver() {
            @Override
            public void answer(WhatIfResult result) {
                answer[0] = result;
            }

            @Override
            public void sender(AffectedSender sender) {
                senders.add(sender);
            }
        }, withSenders);
        return answer[0].withSenders(List.copyOf(senders));
    }

    /**
     * Receives a simulation as it is made: the answer without its sources first, then, when they
     * are asked for, every affected source, most affected first. Tens of thousands of sources need
     * not be held at once.
     */
    public interface Receiver {
        void answer(WhatIfResult withoutSenders);

        void sender(AffectedSender sender);
    }

    /**
     * The same, given to {@code receiver} as it is made. Every query has run by the time the answer
     * is given: a failure comes before anything is received.
     */
    public static void run(Store store, Scope scope, Proposal proposal, Classes classes, Naming naming, Receiver receiver,
                           boolean withSenders) {
        try (SourceAnalysis analysis = SourceAnalysis.prepare(store, scope, proposal, classes, naming)) {
            SourceAnalysis.Totals totals = analysis.totals();
            List<AffectedSystem> systems = analysis.systems().stream().map(AffectedSystem::of).toList();
            WhatIfResult answer = new WhatIfResult(proposal, scope, totals.messages(), totals.failing(), totals.quarantined(),
                    totals.rejected(), analysis.affectedByClass(), totals.days(), systems, analysis.spoofing(), List.of(),
                    replay(store, scope), totals.messagesRfc7489());
            boolean[] answered = {false};
            if (withSenders) {
                analysis.sources(f -> {
                    if (!answered[0]) {
                        receiver.answer(answer);
                        answered[0] = true;
                    }
                    receiver.sender(AffectedSender.of(f));
                });
            }
            if (!answered[0]) {
                receiver.answer(answer);
            }
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": cannot simulate the policy: " + Store.problem(e), e);
        }
    }

    private static List<WhatIfResult.Replay> replay(Store store, Scope scope) throws SQLException {
        // The receivers' dispositions as reported: no verdict needed, so the records themselves.
        String sql = """
                SELECT p.policy_domain, v.source_ip, any_value(p.p) AS published,
                       coalesce(sum(v.count) FILTER (WHERE v.disposition = 'quarantine'), 0) AS quarantined,
                       coalesce(sum(v.count) FILTER (WHERE v.disposition = 'reject'), 0) AS rejected
                FROM records v JOIN reports p ON p.report_key = v.report_key
                WHERE %1$s AND p.p IN ('quarantine', 'reject') AND v.disposition IN ('quarantine', 'reject')
                GROUP BY ALL
                ORDER BY quarantined + rejected DESC, p.policy_domain, v.source_ip
                """.formatted(scope.where("p"));
        String daily = """
                SELECT p.policy_domain, v.source_ip, strftime(r.day, '%%Y-%%m-%%d') AS day, sum(v.count * r.share) AS messages
                FROM records v JOIN reports p ON p.report_key = v.report_key JOIN report_days r ON r.report_key = v.report_key
                WHERE %1$s AND p.p IN ('quarantine', 'reject') AND v.disposition IN ('quarantine', 'reject')
                GROUP BY ALL
                """.formatted(scope.where("p"));
        Map<String, SortedMap<LocalDate, Double>> perDay = new LinkedHashMap<>();
        try (PreparedStatement s = store.connection().prepareStatement(daily)) {
            bind(s, scope.parameters(), 0);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    perDay.computeIfAbsent(rs.getString(1) + " " + rs.getString(2), k -> new TreeMap<>())
                            .put(LocalDate.parse(rs.getString(3)), rs.getDouble(4));
                }
            }
        }
        List<WhatIfResult.Replay> replay = new ArrayList<>();
        try (PreparedStatement s = store.connection().prepareStatement(sql)) {
            bind(s, scope.parameters(), 0);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1) + " " + rs.getString(2);
                    replay.add(new WhatIfResult.Replay(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getLong(5), perDay.getOrDefault(key, new TreeMap<>())));
                }
            }
        }
        return List.copyOf(replay);
    }

    static void bind(PreparedStatement s, Object[] parameters, int offset) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            s.setObject(offset + i + 1, parameters[i]);
        }
    }
}
