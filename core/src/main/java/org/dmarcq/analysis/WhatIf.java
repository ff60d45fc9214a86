package org.dmarcq.analysis;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.dmarcq.identity.ReverseDnsCache;
import org.dmarcq.store.Store;
import org.dmarcq.store.StoreException;

/**
 * "Would this policy break this sender?" Simulates a {@link Proposal} over the records in a
 * {@link Scope} and classifies every source that would be quarantined or rejected.
 *
 * <p>Receivers differ: one that reports in the RFC 9990 format follows RFC 9989 (ignores
 * {@code pct}, takes {@code t=y} one level down); one that reports in the RFC 7489 format applies
 * {@code pct} (the rest of a rejected share is quarantined, the rest of a quarantined share
 * delivered) and ignores {@code t}. Mail from a subdomain follows {@code sp}. Reports do not say
 * whether a subdomain exists, so {@code np} cannot be simulated: subdomains are taken to exist.
 */
public final class WhatIf {
    /** Overrides after which receivers delivered failing mail anyway. */
    private static final Set<String> ABSORBED = Set.of("forwarded", "mailing_list", "trusted_forwarder", "local_policy");

    private WhatIf() {}

    /**
     * Limits of the sender classification.
     *
     * @param consistentDays days a source without authentication must be seen on to count as a sender
     *     of one's own rather than spoofing
     * @param consistentShare and at least this share of the days with reports in the scope
     * @param consistentMessages and the failing messages it must have sent
     * @param forwarderShare share of its failing messages that must look forwarded (a receiver's
     *     forwarding override, or a broken signature of the domain's own) for a forwarder
     */
    public record Thresholds(int consistentDays, double consistentShare, long consistentMessages, double forwarderShare) {
        public static Thresholds defaults() {
            return new Thresholds(3, 0.25, 10, 0.5);
        }

        int steadyDays(int scopeDays) {
            return Math.max(consistentDays, (int) Math.ceil(consistentShare * scopeDays));
        }
    }

    public static WhatIfResult run(Store store, Scope scope, Proposal proposal) {
        return run(store, scope, proposal, Thresholds.defaults());
    }

    public static WhatIfResult run(Store store, Scope scope, Proposal proposal, Thresholds thresholds) {
        return run(store, scope, proposal, thresholds, Naming.defaults());
    }

    /** The same, naming each sender's service, system and inventory entry as {@code naming} says. */
    public static WhatIfResult run(Store store, Scope scope, Proposal proposal, Thresholds thresholds, Naming naming) {
        try {
            Map<String, Source> sources = new LinkedHashMap<>();
            long[] totals = failingRecords(store, scope, proposal, sources);
            int steadyDays = thresholds.steadyDays((int) totals[2]);
            Map<String, String> ptr = ReverseDnsCache.confirmedNames(store);
            List<AffectedSender> senders = new ArrayList<>();
            Map<SenderClass, Double> byClass = new EnumMap<>(SenderClass.class);
            for (SenderClass c : SenderClass.values()) {
                byClass.put(c, 0.0);
            }
            double quarantined = 0;
            double rejected = 0;
            for (Source source : sources.values()) {
                if (source.quarantined + source.rejected <= 0) {
                    continue;
                }
                String name = ptr.get(source.ip);
                String service = naming.identify(source.ip, source.dkimPassDomains, source.spfDomains, name)
                        .map(i -> i.service().name()).orElse(null);
                List<String> names = name == null ? List.of() : List.of(name);
                AffectedSender sender = source.classify(thresholds, steadyDays, new AffectedSender.Names(service, name,
                        naming.systemOf(source.ip, name, service),
                        naming.inventoryName(List.of(source.ip), names, source.dkimPassDomains, source.spfDomains, service)));
                senders.add(sender);
                byClass.merge(sender.senderClass(), sender.messages(), Double::sum);
                quarantined += sender.quarantined();
                rejected += sender.rejected();
            }
            senders.sort(Comparator.comparingDouble(AffectedSender::messages).reversed()
                    .thenComparing(AffectedSender::policyDomain).thenComparing(AffectedSender::sourceIp));
            return new WhatIfResult(proposal, scope, totals[0], totals[1], quarantined, rejected, byClass, (int) totals[2],
                    List.copyOf(senders), replay(store, scope));
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": cannot simulate the policy: " + e.getMessage(), e);
        }
    }

    /** Reads the records that fail under the proposal into per-source aggregates; returns messages, failing, days. */
    private static long[] failingRecords(Store store, Scope scope, Proposal proposal, Map<String, Source> sources)
            throws SQLException {
        String dkimOk = proposal.adkim() == null ? "dkim_aligned" : proposal.adkim().equals("s") ? "dkim_aligned_strict" : "dkim_aligned_relaxed";
        String spfOk = proposal.aspf() == null ? "spf_aligned" : proposal.aspf().equals("s") ? "spf_aligned_strict" : "spf_aligned_relaxed";
        // The receivers' verdict is what happens; stricter modes can only add failures to it.
        String fails = "coalesce(receiver_dmarc, dmarc) = 'fail'"
                + (proposal.changesAlignment() ? " OR NOT (" + dkimOk + " OR " + spfOk + ")" : "");
        String sql = """
                WITH scoped AS (
                    SELECT v.*, p.format, (%2$s) AS fails, (%3$s OR %4$s) AS aligned_under_proposal
                    FROM record_verdicts v JOIN reports p ON p.report_key = v.report_key
                    WHERE %1$s
                )
                SELECT s.policy_domain, s.source_ip, s.header_from, s.count, s.format, s.reason, s.override,
                       s.aligned_under_proposal, coalesce(s.receiver_dmarc, s.dmarc) = 'pass' AS passes_now,
                       s.dkim_passed, s.spf_passed, s.dkim_author_signature_failed, s.spf_domains,
                       (SELECT list(DISTINCT d.domain ORDER BY d.domain) FROM dkim_alignments d
                        WHERE d.record_key = s.record_key AND d.passed) AS dkim_pass_domains,
                       (SELECT list(DISTINCT d.selector ORDER BY d.selector) FROM dkim_alignments d
                        WHERE d.record_key = s.record_key AND d.passed AND d.selector IS NOT NULL) AS dkim_pass_selectors,
                       (SELECT list(DISTINCT d.domain || coalesce(' (selector ' || d.selector || ')', '') ORDER BY 1)
                        FROM dkim_alignments d WHERE d.record_key = s.record_key AND d.author_signature AND NOT d.passed)
                           AS failed_author_signatures,
                       (SELECT list(strftime(r.day, '%%Y-%%m-%%d') ORDER BY r.day) FROM report_days r WHERE r.report_key = s.report_key) AS days,
                       (SELECT list(r.share ORDER BY r.day) FROM report_days r WHERE r.report_key = s.report_key) AS shares
                FROM scoped s
                WHERE s.fails
                """.formatted(scope.where("v"), fails, dkimOk, spfOk);
        try (PreparedStatement s = store.connection().prepareStatement(sql)) {
            bind(s, scope.parameters(), 0);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String domain = rs.getString("policy_domain");
                    String ip = rs.getString("source_ip");
                    Source source = sources.computeIfAbsent(domain + " " + ip, k -> new Source(domain, ip));
                    source.add(rs, proposal);
                }
            }
        }
        String totals = """
                SELECT coalesce(sum(v.count), 0),
                       (SELECT count(DISTINCT r.day) FROM report_days r JOIN reports p ON p.report_key = r.report_key WHERE %2$s)
                FROM record_verdicts v WHERE %1$s
                """.formatted(scope.where("v"), scope.where("p"));
        try (PreparedStatement s = store.connection().prepareStatement(totals)) {
            Object[] parameters = scope.parameters();
            bind(s, parameters, 0);
            bind(s, parameters, parameters.length);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                long failing = sources.values().stream().mapToLong(x -> x.failing).sum();
                return new long[] {rs.getLong(1), failing, rs.getLong(2)};
            }
        }
    }

    private static List<WhatIfResult.Replay> replay(Store store, Scope scope) throws SQLException {
        String sql = """
                SELECT v.policy_domain, v.source_ip, any_value(p.p) AS published,
                       coalesce(sum(v.count) FILTER (WHERE v.disposition = 'quarantine'), 0) AS quarantined,
                       coalesce(sum(v.count) FILTER (WHERE v.disposition = 'reject'), 0) AS rejected
                FROM record_verdicts v JOIN reports p ON p.report_key = v.report_key
                WHERE %1$s AND p.p IN ('quarantine', 'reject') AND v.disposition IN ('quarantine', 'reject')
                GROUP BY ALL
                ORDER BY quarantined + rejected DESC, v.policy_domain, v.source_ip
                """.formatted(scope.where("v"));
        String daily = """
                SELECT v.policy_domain, v.source_ip, strftime(r.day, '%%Y-%%m-%%d') AS day, sum(v.count * r.share) AS messages
                FROM record_verdicts v JOIN reports p ON p.report_key = v.report_key JOIN report_days r ON r.report_key = v.report_key
                WHERE %1$s AND p.p IN ('quarantine', 'reject') AND v.disposition IN ('quarantine', 'reject')
                GROUP BY ALL
                """.formatted(scope.where("v"));
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

    /** What one source's failing records add up to. */
    private static final class Source {
        final String domain;
        final String ip;
        long failing;
        double quarantined;
        double rejected;
        long absorbed;
        long authorSignatureFailed;
        long authenticated;
        long strictOnly;
        long receiverOnly;
        final Map<String, Long> reasons = new TreeMap<>();
        final Set<String> headerFrom = new TreeSet<>();
        final Set<String> dkimPassDomains = new TreeSet<>();
        final Set<String> dkimPassSelectors = new TreeSet<>();
        final Set<String> failedAuthorSignatures = new TreeSet<>();
        final Set<String> spfDomains = new TreeSet<>();
        final SortedMap<LocalDate, Double> perDay = new TreeMap<>();

        Source(String domain, String ip) {
            this.domain = domain;
            this.ip = ip;
        }

        void add(ResultSet rs, Proposal proposal) throws SQLException {
            long count = rs.getLong("count");
            String headerFrom = rs.getString("header_from");
            Disposition policy = headerFrom == null || headerFrom.equals(domain) || !headerFrom.endsWith("." + domain)
                    ? proposal.p() : proposal.subdomainPolicy();
            // What each kind of receiver applies, as expected shares of the count.
            double rejectShare;
            double quarantineShare;
            if ("rfc9990".equals(rs.getString("format"))) {
                Disposition applied = proposal.testing() ? policy.lower() : policy;
                rejectShare = applied == Disposition.REJECT ? 1 : 0;
                quarantineShare = applied == Disposition.QUARANTINE ? 1 : 0;
            } else {
                double sampled = (proposal.pct() == null ? 100 : proposal.pct()) / 100.0;
                rejectShare = policy == Disposition.REJECT ? sampled : 0;
                quarantineShare = policy == Disposition.REJECT ? 1 - sampled : policy == Disposition.QUARANTINE ? sampled : 0;
            }
            failing += count;
            quarantined += count * quarantineShare;
            rejected += count * rejectShare;
            String override = rs.getString("override");
            if (override != null && ABSORBED.contains(override)) {
                absorbed += count;
            }
            if (rs.getBoolean("dkim_author_signature_failed")) {
                authorSignatureFailed += count;
            }
            if (rs.getBoolean("dkim_passed") || rs.getBoolean("spf_passed")) {
                authenticated += count;
            }
            String reason = rs.getString("reason");
            if (rs.getBoolean("passes_now") && !rs.getBoolean("aligned_under_proposal")) {
                strictOnly += count;
                reason = "strict-alignment";
            } else if (rs.getBoolean("aligned_under_proposal")) {
                receiverOnly += count; // the receiver failed what aligns by our reckoning
                reason = "receiver-fail";
            }
            if (reason != null) {
                reasons.merge(reason, count, Long::sum);
            }
            if (headerFrom != null) {
                this.headerFrom.add(headerFrom);
            }
            addAll(dkimPassDomains, rs.getArray("dkim_pass_domains"));
            addAll(dkimPassSelectors, rs.getArray("dkim_pass_selectors"));
            addAll(failedAuthorSignatures, rs.getArray("failed_author_signatures"));
            String spf = rs.getString("spf_domains");
            if (spf != null) {
                spfDomains.addAll(List.of(spf.split(",")));
            }
            Object[] days = array(rs.getArray("days"));
            Object[] shares = array(rs.getArray("shares"));
            double affected = count * (quarantineShare + rejectShare);
            for (int i = 0; i < days.length; i++) {
                perDay.merge(LocalDate.parse(String.valueOf(days[i])), affected * ((Number) shares[i]).doubleValue(), Double::sum);
            }
        }

        AffectedSender classify(Thresholds thresholds, int steadyDays, AffectedSender.Names names) {
            String reason = reasons.entrySet().stream()
                    .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                    .map(Map.Entry::getKey).orElse(null);
            List<String> evidence = new ArrayList<>();
            int days = perDay.size();
            evidence.add(String.format(Locale.ROOT, "%,d failing messages on %d %s", failing, days, days == 1 ? "day" : "days"));
            SenderClass senderClass;
            double forwarded = (double) (absorbed + authorSignatureFailed) / failing;
            if (receiverOnly > 0) {
                evidence.add(percent(receiverOnly) + " of them failed at receivers although SPF or DKIM aligns by the"
                        + " Public Suffix List (record_verdicts.disagrees)");
            }
            if (strictOnly == failing) {
                senderClass = SenderClass.MISCONFIGURED;
                evidence.add("passes DMARC today; fails only under the proposed strict alignment");
            } else if (forwarded >= thresholds.forwarderShare() && absorbed + authorSignatureFailed > 0) {
                senderClass = SenderClass.FORWARDER;
                if (absorbed > 0) {
                    evidence.add(percent(absorbed) + " of them delivered by receivers anyway (forwarding, mailing list or local policy override)");
                }
                if (authorSignatureFailed > 0) {
                    evidence.add(percent(authorSignatureFailed) + " carry a failing DKIM signature of " + domain
                            + "'s own, typical of a message changed in transit: " + String.join(", ", failedAuthorSignatures));
                }
            } else if (authenticated * 2 >= failing) {
                senderClass = SenderClass.MISCONFIGURED;
                if (!dkimPassDomains.isEmpty()) {
                    evidence.add("DKIM passes, but for " + String.join(", ", dkimPassDomains) + ", not aligned with " + domain);
                }
                if (authenticated > 0 && (dkimPassDomains.isEmpty() || "spf-not-aligned".equals(reason))) {
                    evidence.add("SPF passes, but for " + String.join(", ", spfDomains) + ", not aligned with " + domain);
                }
            } else if (days >= steadyDays && failing >= thresholds.consistentMessages()) {
                senderClass = SenderClass.MISCONFIGURED;
                evidence.add(String.format(Locale.ROOT, "no SPF or DKIM pass, but a steady source: at least %d days and %,d messages",
                        steadyDays, thresholds.consistentMessages()));
            } else {
                senderClass = SenderClass.SPOOFING;
                evidence.add("no SPF or DKIM pass for any domain, and no steady volume");
            }
            return new AffectedSender(domain, ip, senderClass, failing, quarantined, rejected, reason,
                    Fixes.fix(senderClass, reason, domain, ip, dkimPassDomains, dkimPassSelectors, spfDomains, failedAuthorSignatures),
                    List.copyOf(evidence), List.copyOf(headerFrom), List.copyOf(dkimPassDomains), List.copyOf(spfDomains),
                    days, perDay, names);
        }

        private String percent(long part) {
            return String.format(Locale.ROOT, "%.0f%%", 100.0 * part / failing);
        }

        private static void addAll(Set<String> target, java.sql.Array array) throws SQLException {
            for (Object o : array(array)) {
                if (o != null) {
                    target.add(String.valueOf(o));
                }
            }
        }

        private static Object[] array(java.sql.Array array) throws SQLException {
            return array == null ? new Object[0] : (Object[]) array.getArray();
        }
    }
}
