package org.dmarcq.analysis;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.dmarcq.store.Store;
import org.dmarcq.store.StoreException;

/**
 * Readiness of each policy domain in a scope for quarantine and reject: one {@link SourceAnalysis}
 * under p=quarantine, the pass rate of the mail that is not spoofing (with and without forwarded
 * mail), the unverified systems, the amount of data, and the bars of {@link Readiness.Thresholds}.
 */
public final class ReadinessCheck {
    private ReadinessCheck() {}

    public static List<Readiness> run(Store store, Scope scope, Readiness.Thresholds thresholds) {
        return run(store, scope, thresholds, Classes.defaults(), Naming.defaults());
    }

    /** The same, classing, naming and grouping senders as {@code classes} and {@code naming} say. */
    public static List<Readiness> run(Store store, Scope scope, Readiness.Thresholds thresholds, Classes classes, Naming naming) {
        try (SourceAnalysis analysis = SourceAnalysis.prepare(store, scope, Proposal.of(Disposition.QUARANTINE), classes, naming)) {
            return run(store, scope, thresholds, analysis);
        }
    }

    /** The same from an analysis prepared for {@code p=quarantine} over the scope. */
    static List<Readiness> run(Store store, Scope scope, Readiness.Thresholds thresholds, SourceAnalysis analysis) {
        List<Readiness> results = new ArrayList<>();
        Map<String, SourceAnalysis.DomainTotals> totals = analysis.domainTotals();
        Map<String, List<AffectedSystem>> systems = new LinkedHashMap<>();
        for (SourceAnalysis.Facts f : analysis.systems()) {
            systems.computeIfAbsent(f.policyDomain(), k -> new ArrayList<>()).add(AffectedSystem.of(f));
        }
        Map<String, List<AffectedSender>> senders = new LinkedHashMap<>();
        analysis.sources(f -> senders.computeIfAbsent(f.policyDomain(), k -> new ArrayList<>()).add(AffectedSender.of(f)),
                SenderClass.MISCONFIGURED);
        Map<String, SortedMap<java.time.LocalDate, Double>> daily = new LinkedHashMap<>();
        for (SourceAnalysis.Day d : analysis.days()) {
            double real = d.messages() - d.spoofed();
            if (real > 0) {
                daily.computeIfAbsent(d.policyDomain(), k -> new TreeMap<>())
                        .put(d.day(), Math.max(0, Math.min(1, (d.messages() - d.failing()) / real)));
            }
        }
        for (DomainSummary domain : Domains.list(store, scope)) {
            String name = domain.policyDomain();
            Scope one = new Scope(name, scope.since(), scope.until());
            results.add(check(one, domain, totals.get(name), systems.getOrDefault(name, List.of()),
                    senders.getOrDefault(name, List.of()), daily.getOrDefault(name, new TreeMap<>()), days(store, one),
                    reporters(store, one), thresholds));
        }
        return results;
    }

    private static Readiness check(Scope scope, DomainSummary domain, SourceAnalysis.DomainTotals totals,
                                   List<AffectedSystem> systems, List<AffectedSender> senders,
                                   SortedMap<java.time.LocalDate, Double> daily, int days, List<String> reporters,
                                   Readiness.Thresholds t) {
        SourceAnalysis.DomainTotals n = totals != null ? totals : new SourceAnalysis.DomainTotals(0, 0, 0, 0, 0, 0, 0, 0, 0);
        long genuine = n.messages() - n.spoofed();
        long passing = n.messages() - n.failing();
        long withoutForwarded = genuine - n.forwarded();
        Double passRate = genuine > 0 ? (double) passing / genuine : null;
        Double passRateWithoutForwarded = withoutForwarded > 0 ? (double) passing / withoutForwarded : null;
        double unverifiedShare = genuine > 0 ? (double) n.unverified() / genuine : 0;
        // what the next step's advice rests on: the owner's mail, not what forgers send to whom
        double rfc7489Share = genuine > 0 ? (double) n.genuineRfc7489() / genuine : 0;

        List<Readiness.SystemToFix> toFix = new ArrayList<>();
        List<AffectedSystem> toVerify = new ArrayList<>();
        List<AffectedSystem> receiverFailures = new ArrayList<>();
        for (AffectedSystem s : systems) {
            if (s.senderClass() == SenderClass.UNVERIFIED) {
                toVerify.add(s);
            } else if (s.senderClass() == SenderClass.MISCONFIGURED && "receiver-fail".equals(s.reason())) {
                receiverFailures.add(s);
            } else if (s.senderClass() == SenderClass.MISCONFIGURED) {
                List<AffectedSender> members = senders.stream()
                        .filter(x -> x.names().sendingSystem().equals(s.name()) && s.ips().contains(x.sourceIp())).toList();
                toFix.add(new Readiness.SystemToFix(s, members));
            }
        }
        List<AffectedSender> sendersToFix = toFix.stream().flatMap(s -> s.senders().stream()).toList();

        List<String> data = new ArrayList<>();
        if (days < t.minDays()) {
            data.add("only " + Wording.count(days, "day") + " of reports; " + t.minDays() + " needed");
        }
        if (reporters.size() < t.minReporters()) {
            data.add(String.format(Locale.ROOT, "reports from %d %s; %d needed", reporters.size(),
                    reporters.size() == 1 ? "receiver" : "receivers", t.minReporters()));
        }
        List<String> verify = new ArrayList<>();
        if (!toVerify.isEmpty() && unverifiedShare > t.maxUnverifiedShare()) {
            String[] shares = distinct(unverifiedShare, t.maxUnverifiedShare());
            verify.add(String.format(Locale.ROOT, "%s of the mail that is not spoofing fails from %d unverified %s, which"
                    + " nothing ties to you (at most %s): say which are yours in the inventory", shares[0],
                    toVerify.size(), toVerify.size() == 1 ? "system" : "systems", shares[1]));
        }
        long fixable = toFix.stream().mapToLong(Readiness.SystemToFix::failingMessages).sum();
        double afterFixes = withoutForwarded > 0 ? (double) (passing + fixable) / withoutForwarded : 0;
        String forwardedNote = n.forwarded() > 0 ? String.format(Locale.ROOT,
                "%.1f%% with the forwarded mail left out (%,d messages through forwarders and lists, which quarantine does not"
                        + " need fixed)", 100 * (passRateWithoutForwarded == null ? 0 : passRateWithoutForwarded), n.forwarded())
                : null;
        Readiness.Verdict quarantine = verdict(data, passRateWithoutForwarded, passRate, afterFixes, toFix.size(), t, verify,
                forwardedNote);

        List<String> rejectProblems = new ArrayList<>(verify);
        double forwardedShare = genuine > 0 ? (double) n.forwarded() / genuine : 0;
        if (forwardedShare > t.maxForwardedShare()) {
            String[] shares = distinct(forwardedShare, t.maxForwardedShare());
            rejectProblems.add(String.format(Locale.ROOT, "%s of your mail comes through forwarders and mailing lists,"
                    + " which reject would bounce where receivers do not absorb it (at most %s)", shares[0], shares[1]));
        }
        double rejectAfterFixes = genuine > 0 ? (double) (passing + fixable) / genuine : 0;
        Readiness.Verdict reject = verdict(data, passRate, passRate, rejectAfterFixes, toFix.size(), t, rejectProblems, null);
        return new Readiness(domain.policyDomain(), days, reporters, n.messages(), n.spoofed(), passRate, daily, quarantine,
                reject, sendersToFix, List.copyOf(toFix), domain.p(),
                nextStep(domain.p(), quarantine, reject, toFix, verify.isEmpty() ? List.of() : toVerify, t, days, rfc7489Share),
                n.forwarded(),
                passRateWithoutForwarded, List.copyOf(toVerify), List.copyOf(receiverFailures), unverifiedShare, rfc7489Share);
    }

    /**
     * @param rate the pass rate the verdict is judged by; {@code shown} the one stated (with
     *     forwarded mail), so the reader sees both when they differ
     */
    private static Readiness.Verdict verdict(List<String> data, Double rate, Double shown, double afterFixes, int toFix,
                                             Readiness.Thresholds t, List<String> more, String forwardedNote) {
        List<String> because = new ArrayList<>(data);
        String stated = shown == null ? "no mail that is not spoofed"
                : String.format(Locale.ROOT, "%.1f%% of the mail that is not spoofing passes DMARC", 100 * shown);
        because.add(stated + String.format(Locale.ROOT, " (%.1f%% needed)", 100 * t.minPassRate()));
        if (forwardedNote != null) {
            because.add(forwardedNote);
        }
        because.addAll(more);
        if (!data.isEmpty() || !more.isEmpty() || rate == null) {
            return new Readiness.Verdict("not ready", List.copyOf(because));
        }
        if (toFix == 0 && rate >= t.minPassRate()) {
            return new Readiness.Verdict("ready", List.copyOf(because));
        }
        if (toFix > 0 && afterFixes >= t.minPassRate()) {
            because.add(String.format(Locale.ROOT, "%.1f%% once the %d %s fixed", 100 * afterFixes, toFix,
                    toFix == 1 ? "sender below is" : "senders below are"));
            return new Readiness.Verdict("ready with " + toFix + (toFix == 1 ? " sender" : " senders") + " to fix",
                    List.copyOf(because));
        }
        if (toFix > 0) {
            because.add(String.format(Locale.ROOT, "%.1f%% even with the %d misconfigured %s fixed", 100 * afterFixes, toFix,
                    toFix == 1 ? "sender" : "senders"));
        }
        return new Readiness.Verdict("not ready", List.copyOf(because));
    }

    private static String nextStep(String current, Readiness.Verdict quarantine, Readiness.Verdict reject,
                                   List<Readiness.SystemToFix> toFix, List<AffectedSystem> toVerify, Readiness.Thresholds t,
                                   int days, double rfc7489Share) {
        boolean atQuarantine = "quarantine".equals(current);
        if ("reject".equals(current)) {
            return "already at p=reject: watch this report for new failing senders";
        }
        // Receivers that report in the RFC 7489 format apply pct and ignore t=y; RFC 9990 ones the reverse.
        String careful = rfc7489Share >= 0.5
                ? String.format(Locale.ROOT, "pct=25 (%.0f%% of your mail goes to receivers that honour pct and ignore t=y)",
                        100 * rfc7489Share)
                : String.format(Locale.ROOT, "t=y (%.0f%% of your mail goes to receivers that honour t=y and ignore pct)",
                        100 * (1 - rfc7489Share));
        String stay = "stay at p=" + (current == null ? "none" : current);
        List<String> steps = new ArrayList<>();
        if (quarantine.verdict().equals("not ready") && days < t.minDays()) {
            int more = t.minDays() - days;
            steps.add(String.format(Locale.ROOT, "keep collecting reports (%d more %s)", more, more == 1 ? "day" : "days"));
        }
        if (!toVerify.isEmpty()) {
            StringBuilder sb = new StringBuilder("verify " + (toVerify.size() == 1 ? "this system" : "these " + toVerify.size()
                    + " systems") + " (mark each in the inventory, ours: true or ours: false): ");
            appendNames(sb, toVerify.stream().map(s -> s.name() + " (" + s.reason() + ")").toList());
            steps.add(sb.toString());
        }
        if (!toFix.isEmpty()) {
            StringBuilder sb = new StringBuilder("fix " + (toFix.size() == 1 ? "this sender" : "these " + toFix.size() + " senders")
                    + " first: ");
            appendNames(sb, toFix.stream().map(s -> s.name() + " (" + String.join(", ", s.reasons()) + ")").toList());
            steps.add(sb.toString());
        }
        if (!steps.isEmpty()) {
            return stay + "; " + String.join("; ", steps)
                    + (quarantine.verdict().startsWith("ready") ? "; then move to p=quarantine with " + careful : "");
        }
        if (quarantine.verdict().equals("ready") && !atQuarantine) {
            return reject.verdict().equals("ready")
                    ? "move to p=quarantine (" + careful + " first if you want to be careful), then to p=reject"
                    : "move to p=quarantine, starting with " + careful + ", and watch for new failing senders";
        }
        if (atQuarantine && reject.verdict().equals("ready")) {
            return "move to p=reject, starting with " + careful;
        }
        return stay + ": see why above";
    }

    /** Two shares as percentages, with as many decimals as it takes to show that the first is the larger. */
    private static String[] distinct(double share, double limit) {
        for (int decimals = 1; ; decimals++) {
            String a = String.format(Locale.ROOT, "%." + decimals + "f%%", 100 * share);
            String b = String.format(Locale.ROOT, "%." + decimals + "f%%", 100 * limit);
            if (!a.equals(b) || decimals == 4) {
                return new String[] {a, b};
            }
        }
    }

    private static void appendNames(StringBuilder sb, List<String> names) {
        for (int i = 0; i < Math.min(names.size(), 5); i++) {
            sb.append(i == 0 ? "" : "; ").append(names.get(i));
        }
        if (names.size() > 5) {
            sb.append("; and ").append(names.size() - 5).append(" more");
        }
    }

    private static int days(Store store, Scope scope) {
        String sql = "SELECT count(DISTINCT d.day) FROM reports p JOIN report_days d ON d.report_key = p.report_key WHERE "
                + scope.where("p");
        try (PreparedStatement s = store.connection().prepareStatement(sql)) {
            WhatIf.bind(s, scope.parameters(), 0);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": cannot count the days of reports: " + Store.problem(e), e);
        }
    }

    private static List<String> reporters(Store store, Scope scope) {
        String sql = "SELECT list(DISTINCT org_name ORDER BY org_name) FROM reports WHERE " + scope.where();
        try (PreparedStatement s = store.connection().prepareStatement(sql)) {
            WhatIf.bind(s, scope.parameters(), 0);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return ListColumns.strings(rs, 1);
            }
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": cannot list reporters: " + Store.problem(e), e);
        }
    }
}
