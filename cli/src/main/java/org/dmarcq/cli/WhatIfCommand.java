package org.dmarcq.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dmarcq.analysis.AffectedSender;
import org.dmarcq.analysis.Disposition;
import org.dmarcq.analysis.Naming;
import org.dmarcq.analysis.Proposal;
import org.dmarcq.analysis.SenderClass;
import org.dmarcq.analysis.WhatIf;
import org.dmarcq.analysis.WhatIfResult;
import org.dmarcq.cli.output.Format;
import org.dmarcq.cli.output.ResultPrinter;
import org.dmarcq.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "whatif",
        description = {"Which senders a stricter policy would quarantine or reject, how much mail, why, and what to fix.",
                "Every failing source is classed as your sender, misconfigured (will break: fix it), forwarder / mailing"
                        + " list (collateral that receivers often absorb) or likely spoofing (what the policy is for),"
                        + " with the evidence. Also lists what receivers actually quarantined or rejected in periods when"
                        + " the reports show such a policy was published."},
        mixinStandardHelpOptions = true,
        footer = {"",
                "Examples:",
                "  dmarcq whatif --policy quarantine --domain example.com",
                "  dmarcq whatif --policy reject --pct 25 --since 2026-11-01",
                "  dmarcq whatif --policy quarantine --adkim s --aspf s --format json"})
final class WhatIfCommand implements Callable<Integer> {
    enum Policy { QUARANTINE, REJECT }

    @Mixin NamingOptions namingOptions;
    @Mixin ScopeOptions scope;
    @Mixin OutputOptions output;

    @Option(names = "--policy", required = true, paramLabel = "POLICY", description = "The policy to try: quarantine or reject.")
    Policy policy;

    @Option(names = "--sp", paramLabel = "POLICY", description = "Subdomain policy: none, quarantine or reject (default: as --policy).")
    String sp;

    @Option(names = "--pct", paramLabel = "N", description = "RFC 7489 pct, 0-100 (RFC 9989 receivers ignore it).")
    Integer pct;

    @Option(names = "--testing", description = "RFC 9989 t=y: receivers that follow it apply one level less.")
    boolean testing;

    @Option(names = "--adkim", paramLabel = "MODE", description = "DKIM alignment to try: s (strict) or r.")
    String adkim;

    @Option(names = "--aspf", paramLabel = "MODE", description = "SPF alignment to try: s (strict) or r.")
    String aspf;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        if (pct != null && (pct < 0 || pct > 100)) {
            throw UserException.usage("--pct " + pct + ": expected a percentage, 0 to 100");
        }
        Proposal proposal;
        try {
            Disposition subdomains = sp == null ? null : Disposition.of(sp);
            if (sp != null && subdomains == null) {
                throw UserException.usage("--sp '" + sp + "': expected none, quarantine or reject");
            }
            proposal = new Proposal(Disposition.of(policy.name()), subdomains, pct, testing, mode(adkim, "--adkim"), mode(aspf, "--aspf"));
        } catch (IllegalArgumentException e) {
            throw UserException.usage(e.getMessage());
        }
        WhatIfResult result;
        Naming naming = namingOptions.naming();
        try (Store store = namingOptions.open()) {
            result = WhatIf.run(store, scope.toScope(), proposal, WhatIf.Thresholds.defaults(), naming);
        }
        PrintWriter out = spec.commandLine().getOut();
        switch (output.format) {
            case JSON -> json(result, out);
            case CSV -> new ResultPrinter(out, Integer.MAX_VALUE).print(COLUMNS, rows(result, false), Format.CSV);
            case TABLE -> table(result, out);
        }
        return 0;
    }

    private static final List<String> COLUMNS = List.of("policy_domain", "source_ip", "system", "inventory", "class", "messages", "per_day", "reason", "fix");

    private static String mode(String value, String option) {
        if (value == null) {
            return null;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (!v.equals("s") && !v.equals("r")) {
            throw UserException.usage(option + " '" + value + "': expected s (strict) or r (relaxed)");
        }
        return v;
    }

    private static List<Object[]> rows(WhatIfResult result, boolean table) {
        List<Object[]> rows = new ArrayList<>();
        for (AffectedSender s : result.senders()) {
            double perDay = s.days() == 0 ? 0 : s.messages() / s.days();
            rows.add(new Object[] {s.policyDomain(), s.sourceIp(), s.system(), s.names().inventory(), table ? s.senderClass().label() : s.senderClass().word(),
                    Math.round(s.messages()), Math.round(perDay * 10) / 10.0, s.reason(), s.fix()});
        }
        return rows;
    }

    private static void table(WhatIfResult r, PrintWriter out) {
        out.printf(Locale.ROOT, "Under %s, of %,d messages in %d days of reports (%,d fail DMARC):%n", describe(r.proposal()),
                r.messages(), r.days(), r.failingMessages());
        if (r.rejected() > 0) {
            out.printf(Locale.ROOT, "  %,12.0f would be rejected%n", r.rejected());
        }
        out.printf(Locale.ROOT, "  %,12.0f would be quarantined%n", r.quarantined());
        out.println("  of which:");
        for (SenderClass c : SenderClass.values()) {
            out.printf(Locale.ROOT, "  %,12.0f from %s%n", r.byClass().get(c), c.label());
        }
        out.println();
        List<Object[]> rows = new ArrayList<>();
        for (Object[] row : rows(r, true)) {
            rows.add(java.util.Arrays.copyOf(row, row.length - 1)); // the fix, in full, follows the table
        }
        new ResultPrinter(out, Integer.MAX_VALUE).print(COLUMNS.subList(0, COLUMNS.size() - 1), rows, Format.TABLE);
        List<AffectedSender> toFix = r.senders().stream().filter(s -> s.senderClass() != SenderClass.SPOOFING).toList();
        if (!toFix.isEmpty()) {
            out.println();
            out.println("What to do, sender by sender:");
            for (AffectedSender s : toFix) {
                out.printf(Locale.ROOT, "%n%s %s%s (%s, %,.0f messages, %s)%n  fix: %s%n", s.policyDomain(), s.sourceIp(),
                        label(s.names()), s.senderClass().label(), s.messages(), s.reason(), s.fix());
                for (String e : s.evidence()) {
                    out.println("  evidence: " + e);
                }
            }
        }
        if (!r.replay().isEmpty()) {
            out.println();
            out.println("Already published: what receivers quarantined or rejected while the reports show p=quarantine or p=reject:");
            List<Object[]> replayRows = new ArrayList<>();
            for (WhatIfResult.Replay replay : r.replay()) {
                replayRows.add(new Object[] {replay.policyDomain(), replay.sourceIp(), replay.publishedPolicy(), replay.quarantined(),
                        replay.rejected(), perDay(replay.perDay())});
            }
            new ResultPrinter(out, Integer.MAX_VALUE).print(
                    List.of("policy_domain", "source_ip", "published", "quarantined", "rejected", "per_day"), replayRows, Format.TABLE);
        }
    }

    /** " [service; inventory: name]" after an address, or nothing when it has no name. */
    static String label(AffectedSender.Names names) {
        List<String> parts = new ArrayList<>();
        if (names.service() != null) {
            parts.add(names.service());
        } else if (names.ptr() != null) {
            parts.add(names.ptr());
        }
        if (names.inventory() != null) {
            parts.add("inventory: " + names.inventory());
        }
        return parts.isEmpty() ? "" : " [" + String.join("; ", parts) + "]";
    }

    /** The fields that say what a sender is called, in {@code whatif} and {@code readiness} JSON. */
    static void putNames(Map<String, Object> m, AffectedSender.Names names) {
        m.put("system", names.service());
        m.put("ptr", names.ptr());
        m.put("sending_system", names.sendingSystem());
        m.put("inventory", names.inventory());
    }

    private static String perDay(Map<java.time.LocalDate, Double> days) {
        StringBuilder sb = new StringBuilder();
        days.forEach((day, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(day.toString().substring(5)).append(": ")
                .append(Math.round(n)));
        return sb.toString();
    }

    static String describe(Proposal p) {
        StringBuilder sb = new StringBuilder("p=" + p.p().word());
        if (p.sp() != null) {
            sb.append("; sp=").append(p.sp().word());
        }
        if (p.pct() != null) {
            sb.append("; pct=").append(p.pct());
        }
        if (p.testing()) {
            sb.append("; t=y");
        }
        if (p.adkim() != null) {
            sb.append("; adkim=").append(p.adkim());
        }
        if (p.aspf() != null) {
            sb.append("; aspf=").append(p.aspf());
        }
        return sb.toString();
    }

    /** The contract of {@code whatif --format json}: see docs/cli.md. */
    private static void json(WhatIfResult r, PrintWriter out) {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("p", r.proposal().p().word());
        policy.put("sp", r.proposal().sp() == null ? null : r.proposal().sp().word());
        policy.put("pct", r.proposal().pct());
        policy.put("testing", r.proposal().testing());
        policy.put("adkim", r.proposal().adkim());
        policy.put("aspf", r.proposal().aspf());
        root.put("policy", policy);
        root.put("messages", r.messages());
        root.put("days", r.days());
        root.put("failing_messages", r.failingMessages());
        root.put("quarantined", round(r.quarantined()));
        root.put("rejected", round(r.rejected()));
        Map<String, Object> byClass = new LinkedHashMap<>();
        r.byClass().forEach((c, n) -> byClass.put(c.word(), round(n)));
        root.put("by_class", byClass);
        List<Object> senders = new ArrayList<>();
        for (AffectedSender s : r.senders()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("policy_domain", s.policyDomain());
            m.put("source_ip", s.sourceIp());
            putNames(m, s.names());
            m.put("class", s.senderClass().word());
            m.put("messages", round(s.messages()));
            m.put("quarantined", round(s.quarantined()));
            m.put("rejected", round(s.rejected()));
            m.put("failing_messages", s.failingMessages());
            m.put("reason", s.reason());
            m.put("fix", s.fix());
            m.put("evidence", s.evidence());
            m.put("header_from", s.headerFrom());
            m.put("dkim_domains", s.dkimDomains());
            m.put("spf_domains", s.spfDomains());
            m.put("days", s.days());
            m.put("per_day", days(s.perDay()));
            senders.add(m);
        }
        root.put("senders", senders);
        List<Object> replay = new ArrayList<>();
        for (WhatIfResult.Replay x : r.replay()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("policy_domain", x.policyDomain());
            m.put("source_ip", x.sourceIp());
            m.put("published", x.publishedPolicy());
            m.put("quarantined", x.quarantined());
            m.put("rejected", x.rejected());
            m.put("per_day", days(x.perDay()));
            replay.add(m);
        }
        root.put("replay", replay);
        ResultPrinter.printJson(out, root);
    }

    static Map<String, Object> days(Map<java.time.LocalDate, Double> perDay) {
        Map<String, Object> days = new LinkedHashMap<>();
        perDay.forEach((day, n) -> days.put(day.toString(), round(n)));
        return days;
    }

    /** Expected counts to one decimal: pct makes them fractional; more digits would be false precision. */
    static double round(double n) {
        return Math.round(n * 10) / 10.0;
    }
}
