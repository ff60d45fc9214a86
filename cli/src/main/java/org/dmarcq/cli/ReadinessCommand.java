package org.dmarcq.cli;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import org.dmarcq.analysis.AffectedSender;
import org.dmarcq.analysis.AffectedSystem;
import org.dmarcq.analysis.Naming;
import org.dmarcq.analysis.Readiness;
import org.dmarcq.analysis.ReadinessCheck;
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

@Command(name = "readiness",
        description = {"Is the domain ready for p=quarantine, and for p=reject? The verdict for each, the evidence (pass"
                + " rate of the mail that is not spoofing, per day; days of data; receivers; senders that still fail)"
                + " and the next step."},
        mixinStandardHelpOptions = true,
        footer = {"",
                "Verdicts: 'ready', 'ready with N senders to fix', 'not ready'. The bars are the options below.",
                "",
                "Examples:",
                "  dmarcq readiness --domain example.com",
                "  dmarcq readiness --since 2026-10-01 --min-pass-rate 99 --format json"})
final class ReadinessCommand implements Callable<Integer> {
    @Mixin NamingOptions namingOptions;
    @Mixin ScopeOptions scope;
    @Mixin OutputOptions output;

    @Option(names = "--min-days", paramLabel = "N", defaultValue = "14", description = "Days of reports needed (default: ${DEFAULT-VALUE}).")
    int minDays;

    @Option(names = "--min-reporters", paramLabel = "N", defaultValue = "2",
            description = "Reporting organisations needed (default: ${DEFAULT-VALUE}).")
    int minReporters;

    @Option(names = "--min-pass-rate", paramLabel = "PERCENT", defaultValue = "98",
            description = "Pass rate of the mail that is not spoofing needed for 'ready' (default: ${DEFAULT-VALUE}).")
    double minPassRate;

    @Option(names = "--max-forwarded", paramLabel = "PERCENT", defaultValue = "1",
            description = "For reject: most share of your mail that may come through forwarders and lists (default: ${DEFAULT-VALUE}).")
    double maxForwarded;

    @Option(names = "--max-unverified", paramLabel = "PERCENT", defaultValue = "1",
            description = "Most share of your mail that may fail from unverified systems before they must be verified"
                    + " (default: ${DEFAULT-VALUE}).")
    double maxUnverified;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        if (!(minPassRate >= 50 && minPassRate <= 100)) {
            // a bar below half of one's own mail passing would call a broken domain ready
            throw UserException.usage("--min-pass-rate " + minPassRate + ": expected a percentage from 50 to 100");
        }
        if (!(maxForwarded >= 0 && maxForwarded <= 100)) {
            throw UserException.usage("--max-forwarded " + maxForwarded + ": expected a percentage, 0 to 100");
        }
        if (!(maxUnverified >= 0 && maxUnverified <= 100)) {
            throw UserException.usage("--max-unverified " + maxUnverified + ": expected a percentage, 0 to 100");
        }
        if (minDays < 1 || minReporters < 1) {
            throw UserException.usage("--min-days and --min-reporters: expected at least 1");
        }
        Readiness.Thresholds thresholds = new Readiness.Thresholds(minDays, minReporters, minPassRate / 100, maxForwarded / 100,
                maxUnverified / 100);
        List<Readiness> results;
        Naming naming = namingOptions.naming();
        try (Store store = namingOptions.open(scope.toScope(), spec.commandLine().getErr())) {
            results = ReadinessCheck.run(store, scope.toScope(), thresholds, namingOptions.classes(), naming);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.format == Format.JSON) {
            json(results, out);
        } else if (output.format == Format.CSV) {
            List<Object[]> rows = new ArrayList<>();
            for (Readiness r : results) {
                rows.add(new Object[] {r.policyDomain(), r.quarantine().verdict(), r.reject().verdict(), ResultPrinter.rate(r.passRate()), r.days(),
                        r.reporters().size(), r.systemsToFix().size(), r.nextStep()});
            }
            ResultPrinter.forCommand(out).print(List.of("policy_domain", "quarantine", "reject", "pass_rate", "days",
                    "reporters", "senders_to_fix", "next_step"), rows, Format.CSV);
        } else {
            results.forEach(r -> text(r, out));
        }
        out.flush();
        return 0;
    }

    private static void text(Readiness r, PrintWriter out) {
        Lines.printf(out, "%s (now p=%s)%n", r.policyDomain(), r.currentPolicy() == null ? "?" : r.currentPolicy());
        Lines.printf(out, "  quarantine: %s%n", r.quarantine().verdict());
        Lines.printf(out, "  reject:     %s%n", r.reject().verdict());
        List<String> receivers = r.reporters();
        String named = receivers.size() <= 4 ? String.join(", ", receivers)
                : String.join(", ", receivers.subList(0, 3)) + " and " + (receivers.size() - 3) + " more";
        Lines.printf(out, "  evidence:   %s of reports from %s (%s); %s, %,d of them likely spoofing%n",
                Wording.count(r.days(), "day"), Wording.count(receivers.size(), "receiver"), named,
                Wording.count(r.messages(), "message"), r.spoofedMessages());
        for (String why : r.quarantine().because()) {
            Lines.println(out, "              " + why);
        }
        for (String why : r.reject().because()) {
            if (!r.quarantine().because().contains(why)) {
                Lines.println(out, "              reject: " + why);
            }
        }
        if (!r.dailyPassRate().isEmpty()) {
            Lines.println(out, "  pass rate per day (mail that is not spoofing):");
            Lines.println(out, "    " + chart(r.dailyPassRate()));
        }
        if (!r.systemsToFix().isEmpty()) {
            Lines.println(out, "  senders to fix before quarantine:");
            for (Readiness.SystemToFix system : r.systemsToFix()) {
                Lines.printf(out, "    %s%s%s  %s  %s: %s%n", system.name(),
                        system.inventory() == null || system.inventory().equals(system.name()) ? ""
                                : " [inventory: " + system.inventory() + "]",
                        ips(system.system()), Wording.count(system.failingMessages(), "failing message"),
                        String.join(", ", system.reasons()), system.fix());
            }
        }
        if (!r.systemsToVerify().isEmpty()) {
            Lines.printf(out, "  systems to verify (nothing ties them to you; %.1f%% of your mail fails from them):%n",
                    100 * r.unverifiedShare());
            for (AffectedSystem s : r.systemsToVerify()) {
                Lines.printf(out, "    %s%s  %s on %s  %s: is it yours? then add it to the"
                        + " inventory; if not, mark it ours: false%n", s.name(), ips(s), Wording.count(s.failingMessages(),
                        "failing message"), Wording.count(s.sendingDays(), "day"), s.reason());
            }
        }
        if (r.forwardedMessages() > 0) {
            Lines.printf(out, "  forwarded: %s through forwarders and mailing lists; quarantine does not need them"
                    + " fixed (receivers' local policy and ARC absorb much of it), reject would bounce what they do not%n",
                    Wording.count(r.forwardedMessages(), "message"));
        }
        if (!r.receiverFailures().isEmpty()) {
            Lines.println(out, "  failing only at receivers (what they report aligns; nothing to fix at the source):");
            for (AffectedSystem s : r.receiverFailures()) {
                Lines.printf(out, "    %s%s  %s%n", s.name(), ips(s), Wording.count(s.failingMessages(), "failing message"));
            }
        }
        Lines.println(out, "  next step:  " + r.nextStep());
        out.println();
    }

    /** " (a, b, c)" after a system's name when it is not an address itself. */
    private static String ips(AffectedSystem s) {
        if (s.ips().size() == 1 && s.ips().get(0).equals(s.name())) {
            return "";
        }
        List<String> shown = s.ips().subList(0, Math.min(5, s.ips().size()));
        return " (" + String.join(", ", shown) + (s.ips().size() > 5 ? " and " + (s.ips().size() - 5) + " more" : "") + ")";
    }

    private static final String BARS = "▁▂▃▄▅▆▇█";

    /** One bar per day from 80% (lowest) to 100% (highest), then the first and last day and the range. */
    static String chart(SortedMap<LocalDate, Double> daily) {
        StringBuilder bars = new StringBuilder();
        double min = 1;
        double max = 0;
        for (double rate : daily.values()) {
            double scaled = Math.max(0, Math.min(1, (rate - 0.8) / 0.2));
            bars.append(BARS.charAt((int) Math.round(scaled * (BARS.length() - 1))));
            min = Math.min(min, rate);
            max = Math.max(max, rate);
        }
        return String.format(Locale.ROOT, "%s  %s .. %s  (lowest %.1f%%, highest %.1f%%; the scale runs from 80%% to 100%%)",
                bars, daily.firstKey(), daily.lastKey(), 100 * min, 100 * max);
    }

    /** The contract of {@code readiness --format json}: see docs/cli.md. */
    private static void json(List<Readiness> results, PrintWriter out) {
        List<Object> list = new ArrayList<>();
        for (Readiness r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("policy_domain", r.policyDomain());
            m.put("current_policy", r.currentPolicy());
            m.put("quarantine", verdict(r.quarantine()));
            m.put("reject", verdict(r.reject()));
            m.put("days", r.days());
            m.put("reporters", r.reporters());
            m.put("messages", r.messages());
            m.put("spoofed_messages", r.spoofedMessages());
            m.put("pass_rate", r.passRate() == null ? null : ResultPrinter.rate(r.passRate()));
            Map<String, Object> daily = new LinkedHashMap<>();
            r.dailyPassRate().forEach((day, rate) -> daily.put(day.toString(), ResultPrinter.rate(rate)));
            m.put("daily_pass_rate", daily);
            List<Object> senders = new ArrayList<>();
            for (AffectedSender s : r.toFix()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("source_ip", s.sourceIp());
                WhatIfCommand.putNames(x, s.names());
                x.put("failing_messages", s.failingMessages());
                x.put("reason", s.reason());
                x.put("fix", s.fix());
                senders.add(x);
            }
            m.put("senders_to_fix", senders);
            List<Object> systems = new ArrayList<>();
            for (Readiness.SystemToFix s : r.systemsToFix()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("sending_system", s.name());
                x.put("inventory", s.inventory());
                x.put("ips", s.ips());
                x.put("failing_messages", s.failingMessages());
                x.put("reasons", s.reasons());
                x.put("fix", s.fix());
                systems.add(x);
            }
            m.put("systems_to_fix", systems);
            m.put("pass_rate_without_forwarded", r.passRateWithoutForwarded() == null ? null
                    : ResultPrinter.rate(r.passRateWithoutForwarded()));
            m.put("forwarded_messages", r.forwardedMessages());
            m.put("unverified_share", ResultPrinter.rate(r.unverifiedShare()));
            m.put("systems_to_verify", r.systemsToVerify().stream().map(WhatIfCommand::system).toList());
            m.put("receiver_failures", r.receiverFailures().stream().map(WhatIfCommand::system).toList());
            m.put("rfc7489_share", ResultPrinter.rate(r.rfc7489Share()));
            m.put("next_step", r.nextStep());
            list.add(m);
        }
        ResultPrinter.printJson(out, list);
    }

    private static Map<String, Object> verdict(Readiness.Verdict v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("verdict", v.verdict());
        m.put("because", v.because());
        return m;
    }
}
