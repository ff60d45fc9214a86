package org.dmarcq.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dmarcq.analysis.AffectedSender;
import org.dmarcq.analysis.AffectedSystem;
import org.dmarcq.analysis.Disposition;
import org.dmarcq.analysis.Evidence;
import org.dmarcq.analysis.Naming;
import org.dmarcq.analysis.Proposal;
import org.dmarcq.analysis.SenderClass;
import org.dmarcq.analysis.WhatIf;
import org.dmarcq.analysis.WhatIfResult;
import org.dmarcq.analysis.Wording;
import org.dmarcq.cli.output.Lines;
import org.dmarcq.cli.output.Format;
import org.dmarcq.cli.output.ResultPrinter;
import org.dmarcq.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "whatif",
        description = {"Which sending systems a stricter policy would quarantine or reject, how much mail, why, and what to"
                + " fix.",
                "Every failing source is classed, with the evidence: your sender, misconfigured (evidence ties it to you:"
                        + " it will break, fix it), unverified (it sends steadily, in batches or through a service, but"
                        + " nothing ties it to you: you decide), forwarder / mailing list (collateral that receivers often"
                        + " absorb) or likely spoofing (what the policy is for). One row per sending system; spoofing folds"
                        + " into one line per domain (--all lists every source). Also lists what receivers actually"
                        + " quarantined or rejected in periods when the reports show such a policy was published."},
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

    @Option(names = "--testing", description = "RFC 9989 t=y: receivers that follow it apply one level less (RFC 7489 receivers ignore it).")
    boolean testing;

    @Option(names = "--adkim", paramLabel = "MODE", description = "DKIM alignment to try: s (strict) or r.")
    String adkim;

    @Option(names = "--aspf", paramLabel = "MODE", description = "SPF alignment to try: s (strict) or r.")
    String aspf;

    @Option(names = "--all", description = "List every affected source in the table, one row per address, spoofing too.")
    boolean all;

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
        Naming naming = namingOptions.naming();
        boolean perSource = all || output.format != Format.TABLE;
        PrintWriter out = spec.commandLine().getOut();
        try (Store store = namingOptions.open(scope.toScope(), spec.commandLine().getErr())) {
            if (output.format == Format.JSON) {
                // every source as it comes: tens of thousands of them need not be held at once
                JsonAnswer json = new JsonAnswer(out);
                WhatIf.run(store, scope.toScope(), proposal, namingOptions.classes(), naming, json, true);
                json.finish();
                return 0;
            }
            WhatIfResult result = WhatIf.run(store, scope.toScope(), proposal, namingOptions.classes(), naming, perSource);
            if (output.format == Format.CSV) {
                ResultPrinter.forCommand(out).print(SENDER_COLUMNS, senderRows(result, false), Format.CSV);
            } else {
                table(result, out);
            }
        }
        return 0;
    }

    /** The columns of {@code --format csv} (a contract: docs/cli.md) and of the table with {@code --all}. */
    private static final List<String> SENDER_COLUMNS = List.of("policy_domain", "source_ip", "system", "inventory", "class",
            "messages", "per_day", "reason", "fix");
    private static final List<String> SYSTEM_COLUMNS = List.of("policy_domain", "system", "class", "addresses", "days",
            "per_sending_day", "messages", "reason");

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

    private static List<Object[]> senderRows(WhatIfResult result, boolean table) {
        List<Object[]> rows = new ArrayList<>();
        for (AffectedSender s : result.senders()) {
            double perDay = s.days() == 0 ? 0 : s.messages() / s.days();
            rows.add(new Object[] {s.policyDomain(), s.sourceIp(), s.system(), s.names().inventory(),
                    s.senderClass().word(), Math.round(s.messages()),
                    Math.round(perDay * 10) / 10.0, s.reason(), s.fix()});
        }
        return rows;
    }

    private static void table(WhatIfResult r, PrintWriter out) {
        Lines.printf(out, "Under %s, of %s in %s of reports (%,d fail DMARC):%n", describe(r.proposal()),
                Wording.count(r.messages(), "message"), Wording.count(r.days(), "day"), r.failingMessages());
        if (r.rejected() > 0) {
            Lines.printf(out, "  %,12.0f would be rejected%n", r.rejected());
        }
        Lines.printf(out, "  %,12.0f would be quarantined%n", r.quarantined());
        Lines.println(out, "  of which:");
        r.byClass().forEach((c, n) -> Lines.printf(out, "  %,12.0f from %s%n", n, c.label()));
        if (r.proposal().testing() && r.rfc7489Share() > 0) {
            Lines.printf(out, "  t=y is ignored by receivers that report in the RFC 7489 format: %.0f%% of this mail;"
                    + " they apply p=%s in full.%n", 100 * r.rfc7489Share(), r.proposal().p().word());
        }
        out.println();
        if (r.systems().isEmpty() && r.spoofing().isEmpty() && r.senders().isEmpty()) {
            Lines.println(out, "Nothing would be quarantined or rejected.");
        } else if (!r.senders().isEmpty()) {
            List<Object[]> rows = new ArrayList<>();
            for (Object[] row : senderRows(r, true)) {
                rows.add(java.util.Arrays.copyOf(row, row.length - 1)); // the fix, in full, follows the table
            }
            ResultPrinter.forCommand(out).dropFirst("inventory", "per_day", "policy_domain")
                    .print(SENDER_COLUMNS.subList(0, SENDER_COLUMNS.size() - 1), rows, Format.TABLE);
        } else {
            List<Object[]> rows = new ArrayList<>();
            for (AffectedSystem s : r.systems()) {
                rows.add(new Object[] {s.policyDomain(), s.name(), s.senderClass().word(), s.ips().size(), s.sendingDays(),
                        Math.round(s.messagesPerSendingDay() * 10) / 10.0, Math.round(s.affected()), s.reason()});
            }
            ResultPrinter.forCommand(out).dropFirst("per_sending_day", "days", "addresses", "policy_domain")
                    .print(SYSTEM_COLUMNS, rows, Format.TABLE);
        }
        if (r.senders().isEmpty()) {
            for (WhatIfResult.Spoofing s : r.spoofing()) {
                Lines.println(out, spoofingLine(s));
            }
        }
        List<AffectedSystem> toFix = r.systems().stream().filter(s -> s.senderClass() != SenderClass.SPOOFING).toList();
        if (!toFix.isEmpty()) {
            out.println();
            Lines.println(out, "What to do, system by system:");
            for (AffectedSystem s : toFix) {
                Lines.printf(out, "%n%s %s%s (%s, %,.0f messages, %s)%n  fix: %s%n", s.policyDomain(), s.name(),
                        addresses(s), s.senderClass().label(), s.affected(), String.join(", ", s.reasons()), s.fix());
                for (Evidence e : s.evidence()) {
                    Lines.println(out, "  evidence (" + e.kind().word() + "): " + e.detail());
                }
            }
        }
        if (!r.replay().isEmpty()) {
            out.println();
            Lines.println(out, "Already published: what receivers quarantined or rejected while the reports show p=quarantine or p=reject:");
            List<Object[]> replayRows = new ArrayList<>();
            for (WhatIfResult.Replay replay : r.replay()) {
                replayRows.add(new Object[] {replay.policyDomain(), replay.sourceIp(), replay.publishedPolicy(), replay.quarantined(),
                        replay.rejected(), perDay(replay.perDay())});
            }
            ResultPrinter.forCommand(out).print(
                    List.of("policy_domain", "source_ip", "published", "quarantined", "rejected", "per_day"), replayRows, Format.TABLE);
        }
    }

    /** The folded line for a domain's spoofing: how much, from how many sources, why, and the largest sources. */
    static String spoofingLine(WhatIfResult.Spoofing s) {
        List<String> reasons = new ArrayList<>();
        s.reasons().entrySet().stream().limit(3).forEach(e -> reasons.add(String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue())));
        List<String> largest = new ArrayList<>();
        for (WhatIfResult.Largest l : s.largest()) {
            largest.add(String.format(Locale.ROOT, "%s (%,d on %d %s)", l.sourceIp(), l.failingMessages(), l.sendingDays(),
                    l.sendingDays() == 1 ? "day" : "days"));
        }
        String marked = s.markedNotOurs() == 0 ? ""
                : String.format(Locale.ROOT, ", %,d of them marked not yours in the inventory", s.markedNotOurs());
        return String.format(Locale.ROOT, "%s: likely spoofing, %,.0f messages from %,d %s%s (%s); largest: %s%s", s.policyDomain(),
                s.affected(), s.sources(), s.sources() == 1 ? "source" : "sources", marked, String.join(", ", reasons),
                String.join(", ", largest), s.sources() > largest.size() ? " (--all lists them all)" : "");
    }

    /** " [a, b, c and 5 more]" after a system's name when it is not an address itself. */
    private static String addresses(AffectedSystem s) {
        if (s.ips().size() == 1 && s.ips().get(0).equals(s.name())) {
            return "";
        }
        List<String> shown = s.ips().subList(0, Math.min(5, s.ips().size()));
        return " [" + String.join(", ", shown) + (s.ips().size() > 5 ? " and " + (s.ips().size() - 5) + " more" : "") + "]";
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

    /** Evidence in JSON: objects {@code {kind, detail}}. */
    static List<Object> evidence(List<Evidence> evidence) {
        List<Object> list = new ArrayList<>();
        for (Evidence e : evidence) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", e.kind().word());
            m.put("detail", e.detail());
            list.add(m);
        }
        return list;
    }

    /** One affected system in JSON: {@code whatif}'s {@code systems} and {@code readiness}'s lists of systems. */
    static Map<String, Object> system(AffectedSystem s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy_domain", s.policyDomain());
        m.put("sending_system", s.name());
        m.put("class", s.senderClass().word());
        m.put("service", s.service());
        m.put("inventory", s.inventory());
        m.put("ips", s.ips());
        m.put("addresses", s.ips().size());
        m.put("sending_days", s.sendingDays());
        m.put("messages_per_sending_day", round(s.messagesPerSendingDay()));
        m.put("failing_messages", s.failingMessages());
        m.put("messages", round(s.affected()));
        m.put("quarantined", round(s.quarantined()));
        m.put("rejected", round(s.rejected()));
        m.put("reason", s.reason());
        m.put("reasons", s.reasons());
        m.put("fix", s.fix());
        m.put("evidence", evidence(s.evidence()));
        return m;
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

    /**
     * The contract of {@code whatif --format json} (docs/cli.md), written as the answer comes: its
     * fields in order, with {@code senders} streamed where it stands.
     */
    private static final class JsonAnswer implements WhatIf.Receiver {
        private final PrintWriter out;
        private JsonGenerator g;
        /** The answer's fields after {@code senders}, written once the sources are. */
        private java.util.Iterator<Map.Entry<String, Object>> after;

        JsonAnswer(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void answer(WhatIfResult r) {
            after = root(r).entrySet().iterator();
            try {
                g = ResultPrinter.jsonGenerator(out);
                g.writeStartObject();
                while (after.hasNext()) {
                    Map.Entry<String, Object> e = after.next();
                    g.writeFieldName(e.getKey());
                    if (e.getKey().equals("senders")) {
                        g.writeStartArray();
                        return;
                    }
                    ResultPrinter.writeJson(g, e.getValue());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void sender(AffectedSender s) {
            try {
                ResultPrinter.writeJson(g, senderJson(s));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Ends the answer once every source is written. */
        void finish() {
            try {
                g.writeEndArray();
                while (after.hasNext()) {
                    Map.Entry<String, Object> e = after.next();
                    g.writeFieldName(e.getKey());
                    ResultPrinter.writeJson(g, e.getValue());
                }
                g.writeEndObject();
                g.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.println();
            out.flush();
        }
    }

    private static Map<String, Object> senderJson(AffectedSender s) {
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
        m.put("evidence", evidence(s.evidence()));
        m.put("header_from", s.headerFrom());
        m.put("dkim_domains", s.dkimDomains());
        m.put("spf_domains", s.spfDomains());
        m.put("days", s.days());
        m.put("sending_days", s.sendingDays());
        m.put("messages_per_sending_day", round(s.messagesPerSendingDay()));
        m.put("per_day", days(s.perDay()));
        return m;
    }

    /** The answer's fields without the sources, in the order of the contract. */
    private static Map<String, Object> root(WhatIfResult r) {
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
        root.put("rfc7489_share", ResultPrinter.rate(r.rfc7489Share()));
        root.put("senders", null); // streamed in its place
        List<Object> systems = new ArrayList<>();
        for (AffectedSystem s : r.systems()) {
            systems.add(system(s));
        }
        root.put("systems", systems);
        List<Object> spoofing = new ArrayList<>();
        for (WhatIfResult.Spoofing s : r.spoofing()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("policy_domain", s.policyDomain());
            m.put("sources", s.sources());
            m.put("failing_messages", s.failingMessages());
            m.put("messages", round(s.affected()));
            m.put("reasons", s.reasons());
            List<Object> largest = new ArrayList<>();
            for (WhatIfResult.Largest l : s.largest()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("source_ip", l.sourceIp());
                x.put("failing_messages", l.failingMessages());
                x.put("sending_days", l.sendingDays());
                largest.add(x);
            }
            m.put("largest", largest);
            m.put("marked_not_ours", s.markedNotOurs());
            spoofing.add(m);
        }
        root.put("spoofing", spoofing);
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
        return root;
    }

    static Map<String, Object> days(Map<java.time.LocalDate, Double> perDay) {
        Map<String, Object> days = new LinkedHashMap<>();
        perDay.forEach((day, n) -> days.put(day.toString(), round(n)));
        return days;
    }

    /** Expected counts to one decimal: pct makes them fractional; more digits would be false precision. */
    static double round(double n) {
        return org.dmarcq.analysis.Precision.tenths(n);
    }
}
