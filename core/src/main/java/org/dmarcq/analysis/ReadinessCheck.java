package org.dmarcq.analysis;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.dmarcq.store.Store;
import org.dmarcq.store.StoreException;

/**
 * Readiness of each policy domain in a scope for quarantine and reject: {@link WhatIf} under each
 * policy, the pass rate of the mail that is not spoofing, the amount of data, and the bars of
 * {@link Readiness.Thresholds}.
 */
public final class ReadinessCheck {
    private ReadinessCheck() {}

    public static List<Readiness> run(Store store, Scope scope, Readiness.Thresholds thresholds) {
        return run(store, scope, thresholds, Naming.defaults());
    }

    /** The same, naming and grouping senders as {@code naming} says. */
    public static List<Readiness> run(Store store, Scope scope, Readiness.Thresholds thresholds, Naming naming) {
        List<Readiness> results = new ArrayList<>();
        for (DomainSummary domain : Domains.list(store, scope)) {
            Scope one = new Scope(domain.policyDomain(), scope.since(), scope.until());
            results.add(check(store, one, domain, thresholds, naming));
        }
        return results;
    }

    private static Readiness check(Store store, Scope scope, DomainSummary domain, Readiness.Thresholds t, Naming naming) {
        WhatIf.Thresholds classes = WhatIf.Thresholds.defaults();
        WhatIfResult quarantine = WhatIf.run(store, scope, Proposal.of(Disposition.QUARANTINE), classes, naming);
        WhatIfResult reject = WhatIf.run(store, scope, Proposal.of(Disposition.REJECT), classes, naming);
        long spoofed = 0;
        long misconfigured = 0;
        long forwarded = 0;
        List<AffectedSender> toFix = new ArrayList<>();
        SortedMap<LocalDate, Double> failingPerDay = new TreeMap<>();
        SortedMap<LocalDate, Double> spoofedPerDay = new TreeMap<>();
        for (AffectedSender s : quarantine.senders()) {
            s.perDay().forEach((day, n) -> failingPerDay.merge(day, n, Double::sum));
            switch (s.senderClass()) {
                case SPOOFING -> {
                    spoofed += s.failingMessages();
                    s.perDay().forEach((day, n) -> spoofedPerDay.merge(day, n, Double::sum));
                }
                case MISCONFIGURED -> {
                    misconfigured += s.failingMessages();
                    toFix.add(s);
                }
                case FORWARDER -> forwarded += s.failingMessages();
            }
        }
        long genuine = quarantine.messages() - spoofed;
        long passing = quarantine.messages() - quarantine.failingMessages();
        Double passRate = genuine > 0 ? (double) passing / genuine : null;
        SortedMap<LocalDate, Double> daily = new TreeMap<>();
        messagesPerDay(store, scope).forEach((day, n) -> {
            double real = n - spoofedPerDay.getOrDefault(day, 0.0);
            if (real > 0) {
                daily.put(day, Math.max(0, Math.min(1, (n - failingPerDay.getOrDefault(day, 0.0)) / real)));
            }
        });
        List<String> reporters = reporters(store, scope);

        List<String> data = new ArrayList<>();
        if (quarantine.days() < t.minDays()) {
            data.add(String.format(Locale.ROOT, "only %d days of reports; %d needed", quarantine.days(), t.minDays()));
        }
        if (reporters.size() < t.minReporters()) {
            data.add(String.format(Locale.ROOT, "reports from %d %s; %d needed", reporters.size(),
                    reporters.size() == 1 ? "receiver" : "receivers", t.minReporters()));
        }
        double afterFixes = genuine > 0 ? (double) (passing + misconfigured) / genuine : 0;
        List<Readiness.SystemToFix> systemsToFix = systems(toFix);
        Readiness.Verdict quarantineVerdict = verdict(data, passRate, afterFixes, systemsToFix.size(), t, List.of());
        List<String> rejectProblems = new ArrayList<>();
        double forwardedShare = genuine > 0 ? (double) forwarded / genuine : 0;
        if (forwardedShare > t.maxForwardedShare()) {
            rejectProblems.add(String.format(Locale.ROOT, "%.1f%% of your mail comes through forwarders and mailing lists,"
                    + " which reject would bounce where receivers do not absorb it (at most %.1f%%)",
                    100 * forwardedShare, 100 * t.maxForwardedShare()));
        }
        int rejectToFix = systems(reject.senders().stream().filter(s -> s.senderClass() == SenderClass.MISCONFIGURED).toList()).size();
        Readiness.Verdict rejectVerdict = verdict(data, passRate, afterFixes, rejectToFix, t, rejectProblems);
        return new Readiness(domain.policyDomain(), quarantine.days(), reporters, quarantine.messages(), spoofed, passRate,
                daily, quarantineVerdict, rejectVerdict, List.copyOf(toFix), systemsToFix, domain.p(),
                nextStep(domain.p(), quarantineVerdict, rejectVerdict, systemsToFix, t, quarantine.days()));
    }

    /** Senders grouped by sending system, most failing messages first. */
    private static List<Readiness.SystemToFix> systems(List<AffectedSender> senders) {
        Map<String, List<AffectedSender>> groups = new LinkedHashMap<>();
        for (AffectedSender s : senders) {
            groups.computeIfAbsent(s.names().sendingSystem(), k -> new ArrayList<>()).add(s);
        }
        List<Readiness.SystemToFix> systems = new ArrayList<>();
        groups.forEach((name, members) -> {
            members.sort(Comparator.comparingLong(AffectedSender::failingMessages).reversed().thenComparing(AffectedSender::sourceIp));
            String inventory = members.stream().map(m -> m.names().inventory()).filter(Objects::nonNull).findFirst().orElse(null);
            systems.add(new Readiness.SystemToFix(name, inventory, List.copyOf(members)));
        });
        systems.sort(Comparator.comparingLong(Readiness.SystemToFix::failingMessages).reversed()
                .thenComparing(Readiness.SystemToFix::name));
        return List.copyOf(systems);
    }

    private static Readiness.Verdict verdict(List<String> data, Double passRate, double afterFixes, int toFix,
                                             Readiness.Thresholds t, List<String> more) {
        List<String> because = new ArrayList<>(data);
        String rate = passRate == null ? "no mail that is not spoofed"
                : String.format(Locale.ROOT, "%.1f%% of the mail that is not spoofing passes DMARC", 100 * passRate);
        because.add(rate + String.format(Locale.ROOT, " (%.1f%% needed)", 100 * t.minPassRate()));
        because.addAll(more);
        if (!data.isEmpty() || !more.isEmpty() || passRate == null) {
            return new Readiness.Verdict("not ready", List.copyOf(because));
        }
        if (toFix == 0 && passRate >= t.minPassRate()) {
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
                                   List<Readiness.SystemToFix> toFix, Readiness.Thresholds t, int days) {
        boolean atQuarantine = "quarantine".equals(current);
        if ("reject".equals(current)) {
            return "already at p=reject: watch this report for new failing senders";
        }
        String stay = "stay at p=" + (current == null ? "none" : current);
        if (quarantine.verdict().equals("not ready") && days < t.minDays()) {
            int more = t.minDays() - days;
            stay = String.format(Locale.ROOT, "%s and keep collecting reports (%d more %s)", stay, more, more == 1 ? "day" : "days");
            if (toFix.isEmpty()) {
                return stay;
            }
        }
        if (!toFix.isEmpty()) {
            StringBuilder sb = new StringBuilder(stay + "; fix "
                    + (toFix.size() == 1 ? "this sender" : "these " + toFix.size() + " senders") + " first: ");
            for (int i = 0; i < Math.min(toFix.size(), 5); i++) {
                Readiness.SystemToFix s = toFix.get(i);
                sb.append(i == 0 ? "" : "; ").append(s.name()).append(" (").append(String.join(", ", s.reasons())).append(")");
            }
            if (toFix.size() > 5) {
                sb.append("; and ").append(toFix.size() - 5).append(" more");
            }
            return sb.append(quarantine.verdict().startsWith("ready") ? "; then move to p=quarantine with pct=25 or t=y" : "").toString();
        }
        if (quarantine.verdict().equals("ready") && !atQuarantine) {
            return reject.verdict().equals("ready")
                    ? "move to p=quarantine (pct=25 or t=y first if you want to be careful), then to p=reject"
                    : "move to p=quarantine, starting with pct=25 or t=y, and watch for new failing senders";
        }
        if (atQuarantine && reject.verdict().equals("ready")) {
            return "move to p=reject, starting with pct=25 or t=y";
        }
        return stay + ": see why above";
    }

    private static SortedMap<LocalDate, Double> messagesPerDay(Store store, Scope scope) {
        String sql = """
                SELECT strftime(d.day, '%%Y-%%m-%%d'), sum(v.count * d.share)
                FROM record_verdicts v JOIN report_days d ON d.report_key = v.report_key
                WHERE %s GROUP BY 1
                """.formatted(scope.where("v"));
        SortedMap<LocalDate, Double> days = new TreeMap<>();
        try (PreparedStatement s = store.connection().prepareStatement(sql)) {
            WhatIf.bind(s, scope.parameters(), 0);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    days.put(LocalDate.parse(rs.getString(1)), rs.getDouble(2));
                }
            }
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": cannot count messages per day: " + e.getMessage(), e);
        }
        return days;
    }

    private static List<String> reporters(Store store, Scope scope) {
        String sql = "SELECT list(DISTINCT org_name ORDER BY org_name) FROM reports WHERE " + scope.where();
        try (PreparedStatement s = store.connection().prepareStatement(sql)) {
            WhatIf.bind(s, scope.parameters(), 0);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return Senders.strings(rs, 1);
            }
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": cannot list reporters: " + e.getMessage(), e);
        }
    }
}
