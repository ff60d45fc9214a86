package org.dmarcq.analysis;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.dmarcq.identity.Inventory;
import org.dmarcq.spf.SpfAudit;
import org.dmarcq.spf.SpfDns;
import org.dmarcq.spf.SpfSnapshots;
import org.dmarcq.store.Store;
import org.dmarcq.store.StoreException;

/**
 * Everything a report of the store says, from the analyses the commands use: per policy domain
 * its readiness, what a proposed policy would break (with each system's trend and the domains its
 * mail is signed and bounced with, for explaining it to the system's owner), its spoofing and its
 * volume per day by sending system; the systems the inventory does not know; the SPF inventory and
 * the MTA-STS verdicts where the store has what they need. Aggregates only: a month of a million
 * records makes a few thousand numbers.
 *
 * @param summaries the policy domains as {@code dmarcq domains} shows them
 * @param unknown the sending systems, spoofing left out, that the inventory does not know, most messages first
 * @param unknownTotal how many there are in all
 * @param spf the SPF inventory, or null when there were no SPF records to evaluate
 * @param spfSource where the SPF records came from, in words, or null
 * @param tls the MTA-STS enforce verdicts, empty without TLS reports
 */
public record Overview(Scope scope, Proposal proposal, Readiness.Thresholds thresholds, List<DomainSummary> summaries,
                       List<Domain> domains, List<SendingSystem> unknown, long unknownTotal, boolean inventoryKept,
                       List<SpfInventory.Domain> spf, String spfSource, List<TlsEnforcement> tls, Period period) {

    /** Systems listed as unknown, at most: the rest are counted. */
    public static final int UNKNOWN_SHOWN = 25;

    /** Systems charted by name in the volume of each domain; the rest are one series. */
    public static final int VOLUME_SERIES = 7;

    /**
     * One policy domain.
     *
     * @param actions the systems the proposal would affect, spoofing left out, most affected first
     * @param spoofing its likely spoofing, or null when there is none
     * @param volume its messages per UTC day by sending system: the largest by name, then spoofing, then the rest
     */
    public record Domain(String policyDomain, Readiness readiness, List<Action> actions, WhatIfResult.Spoofing spoofing,
                         List<Series> volume) {}

    /**
     * A system the proposal would affect.
     *
     * @param owner the owner its inventory entry names, or null
     * @param perDay expected messages quarantined or rejected per UTC day
     * @param headerFrom the From domains of its failing mail; {@code dkimDomains} the domains its passing
     *     signatures were made for, {@code spfDomains} its envelope (bounce) domains
     * @param spfTerm the term of the policy domain's SPF record that authorises its address, in
     *     words (the latest SPF snapshot's), or null
     */
    public record Action(AffectedSystem system, String owner, SortedMap<LocalDate, Double> perDay, List<String> headerFrom,
                         List<String> dkimDomains, List<String> spfDomains, List<String> selectors, String spfTerm) {}

    /** A series of a chart of volume: {@code name} null for spoofing ({@code spoofing} true) or for everything else. */
    public record Series(String name, boolean spoofing, SortedMap<LocalDate, Double> messages) {
        public double total() {
            return messages.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /** What the verdicts rest on: the reports, records and messages in the scope, their period, and who sent them. */
    public record Period(Instant firstBegin, Instant lastEnd, long reports, long records, long messages, List<String> reporters) {}

    /**
     * Collects it all. {@code spfDns} answers the SPF lookups (a snapshot or a zone file; null to
     * leave the SPF inventory out), {@code spfEarlier} the snapshots to compare with.
     */
    public static Overview collect(Store store, Scope scope, Proposal proposal, Readiness.Thresholds thresholds, Classes classes,
                                   Naming naming, SpfDns spfDns, String spfSource, List<SpfSnapshots.Snapshot> spfEarlier,
                                   int tlsMinDays) {
        List<DomainSummary> summaries = Domains.list(store, scope);
        Map<String, Readiness> readiness = new LinkedHashMap<>();
        Map<String, List<Action>> actions = new LinkedHashMap<>();
        Map<String, WhatIfResult.Spoofing> spoofing = new LinkedHashMap<>();
        Map<String, List<Series>> volume = new LinkedHashMap<>();
        List<SendingSystem> unknown = new ArrayList<>();
        long[] unknownTotal = {0};
        List<SpfInventory.Domain> spf = null;
        // readiness, the SPF inventory and the classes of the systems are judged under p=quarantine:
        // one analysis serves them all, and the proposal too when it is p=quarantine
        boolean quarantine = proposal.equals(Proposal.of(Disposition.QUARANTINE));
        try (SourceAnalysis analysis = SourceAnalysis.prepare(store, scope, Proposal.of(Disposition.QUARANTINE), classes, naming)) {
            for (Readiness r : ReadinessCheck.run(store, scope, thresholds, analysis)) {
                readiness.put(r.policyDomain(), r);
            }
            if (spfDns != null) {
                spf = SpfInventory.run(store, scope, SpfInventory.audit(SpfInventory.domains(store, scope), spfDns), spfDns, spfEarlier,
                        naming, analysis);
            }
            unknownTotal[0] = analysis.sendingSystems(new SendingSystems.Filter(true, null, 0,
                    Set.of(SenderClass.PASSING, SenderClass.MISCONFIGURED, SenderClass.UNVERIFIED, SenderClass.FORWARDER), false).sql(),
                    UNKNOWN_SHOWN, f -> unknown.add(SendingSystems.system(f))).total();
            if (quarantine) {
                proposed(analysis, naming, actions, spoofing, volume);
            }
        }
        if (!quarantine) {
            try (SourceAnalysis analysis = SourceAnalysis.prepare(store, scope, proposal, classes, naming)) {
                proposed(analysis, naming, actions, spoofing, volume);
            }
        }
        List<Domain> domains = new ArrayList<>();
        for (DomainSummary summary : summaries) {
            String name = summary.policyDomain();
            domains.add(new Domain(name, readiness.get(name), List.copyOf(actions.getOrDefault(name, List.of())), spoofing.get(name),
                    volume.getOrDefault(name, List.of())));
        }
        List<TlsEnforcement> tls = TlsWhatIf.enforce(store, scope, null, tlsMinDays, TlsWhatIf.RESOLVED_AFTER_DAYS);
        return new Overview(scope, proposal, thresholds, summaries, List.copyOf(domains), List.copyOf(unknown), unknownTotal[0],
                !naming.inventory().entries().isEmpty(), spf, spf == null ? null : spfSource, tls, period(store, scope));
    }

    /** What the analysis's proposal does, per policy domain: the systems it affects, the spoofing, the volume. */
    private static void proposed(SourceAnalysis analysis, Naming naming, Map<String, List<Action>> actions,
                                 Map<String, WhatIfResult.Spoofing> spoofing, Map<String, List<Series>> volume) {
        Map<String, SortedMap<LocalDate, Double>> trends = new LinkedHashMap<>();
        for (SourceAnalysis.SystemDay d : analysis.affectedDays()) {
            trends.computeIfAbsent(key(d.policyDomain(), d.system(), d.senderClass()), k -> new TreeMap<>()).put(d.day(), d.affected());
        }
        for (SourceAnalysis.Facts f : analysis.systems()) {
            AffectedSystem system = AffectedSystem.of(f);
            actions.computeIfAbsent(f.policyDomain(), k -> new ArrayList<>()).add(new Action(system,
                    owner(naming.inventory(), system.inventory()),
                    trends.getOrDefault(key(f.policyDomain(), f.system(), system.senderClass().word()), new TreeMap<>()),
                    f.headerFrom(), f.dkimDomains(), f.spfDomains(), f.selectors(), f.spfTerm()));
        }
        for (WhatIfResult.Spoofing s : analysis.spoofing()) {
            spoofing.put(s.policyDomain(), s);
        }
        Map<String, Map<String, Series>> series = new LinkedHashMap<>();
        for (SourceAnalysis.SystemDay d : analysis.volumeDays(VOLUME_SERIES)) {
            boolean spoofed = "spoofing".equals(d.senderClass());
            String name = d.system() != null ? "system:" + d.system() : spoofed ? "spoofing" : "other";
            series.computeIfAbsent(d.policyDomain(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(name, k -> new Series(d.system(), spoofed, new TreeMap<>()))
                    .messages().merge(d.day(), d.messages(), Double::sum);
        }
        series.forEach((domain, byName) -> volume.put(domain, List.copyOf(byName.values())));
    }

    private static String key(String domain, String system, String senderClass) {
        return domain + '\0' + system + '\0' + senderClass;
    }

    private static String owner(Inventory inventory, String entry) {
        if (entry == null) {
            return null;
        }
        for (Inventory.Entry e : inventory.entries()) {
            if (e.name().equals(entry)) {
                return e.owner();
            }
        }
        return null;
    }

    private static Period period(Store store, Scope scope) {
        String sql = """
                SELECT count(*), min(begin_time), max(end_time),
                       (SELECT count(*) FROM records r JOIN reports p USING (report_key) WHERE %1$s),
                       (SELECT coalesce(sum(r.count), 0) FROM records r JOIN reports p USING (report_key) WHERE %1$s),
                       list(DISTINCT org_name ORDER BY org_name)
                FROM reports WHERE %2$s""".formatted(scope.where("p"), scope.where());
        try (PreparedStatement s = store.connection().prepareStatement(sql)) {
            Object[] parameters = scope.parameters();
            WhatIf.bind(s, parameters, 0);
            WhatIf.bind(s, parameters, parameters.length);
            WhatIf.bind(s, parameters, 2 * parameters.length);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new Period(Scope.instant(rs.getObject(2, java.time.LocalDateTime.class)),
                        Scope.instant(rs.getObject(3, java.time.LocalDateTime.class)), rs.getLong(1), rs.getLong(4), rs.getLong(5),
                        ListColumns.strings(rs, 6));
            }
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": cannot read the period of the reports: " + Store.problem(e), e);
        }
    }
}
