package org.dmarcq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.dmarcq.analysis.TlsEnforcement;
import org.dmarcq.analysis.Scope;
import org.dmarcq.analysis.TlsSummaries;
import org.dmarcq.analysis.TlsSummary;
import org.dmarcq.analysis.TlsWhatIf;
import org.dmarcq.cli.output.Lines;
import org.dmarcq.cli.output.Format;
import org.dmarcq.cli.output.ResultPrinter;
import org.dmarcq.store.Store;
import org.dmarcq.tlsrpt.StsPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "tls",
        description = {"SMTP TLS reports (RFC 8460): for each policy domain and policy type (sts, tlsa, no-policy-found),"
                + " the sessions, the success rate per day, and the failures by result type, by receiving MX and by"
                + " reporting organisation. Session counts are the reports' own totals."},
        mixinStandardHelpOptions = true,
        subcommands = TlsCommand.WhatIf.class,
        footer = {"",
                "Examples:",
                "  dmarcq tls --domain example.com",
                "  dmarcq tls whatif --mode enforce --domain example.com --policy mta-sts.txt"})
final class TlsCommand implements Callable<Integer> {
    @Mixin DatabaseOptions database;
    @Mixin ScopeOptions scope;
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    /** The scope in words, after "in FILE": " for DOMAIN" and the period, or nothing. */
    static String describe(Scope scope) {
        String words = scope.domain() == null ? "" : " for " + scope.domain();
        if (scope.since() != null) {
            words += " since " + scope.since();
        }
        if (scope.until() != null) {
            words += " until " + scope.until();
        }
        return words;
    }

    @Override
    public Integer call() {
        List<TlsSummary> summaries;
        try (Store store = open(database, spec.commandLine().getErr())) {
            summaries = TlsSummaries.list(store, scope.toScope());
        }
        if (summaries.isEmpty()) {
            throw new UserException("no SMTP TLS reports in " + database.path() + describe(scope.toScope())
                    + ": ingest them like DMARC reports (dmarcq ingest FILE...)");
        }
        PrintWriter out = spec.commandLine().getOut();
        switch (output.format) {
            case JSON -> json(summaries, out);
            case CSV -> {
                List<Object[]> rows = new ArrayList<>();
                for (TlsSummary s : summaries) {
                    rows.add(new Object[] {s.policyDomain(), s.policyType(), s.stsModes(), s.sessions(), s.successfulSessions(),
                            s.failedSessions(), ResultPrinter.rate(s.successRate()), s.reports(), s.reporters()});
                }
                ResultPrinter.forCommand(out).print(List.of("policy_domain", "policy_type", "sts_modes", "sessions",
                        "successful_sessions", "failed_sessions", "success_rate", "reports", "reporters"), rows, Format.CSV);
            }
            case TABLE -> {
                summaries.forEach(s -> text(s, out));
            }
        }
        out.flush();
        return 0;
    }

    /** TLS questions need no domains refresh, so the database opens read-only. */
    static Store open(DatabaseOptions database, java.io.PrintWriter err) {
        Store store = Store.openReadOnly(database.existing(), database.waiting(err));
        try {
            store.lockDown(false);
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private static void text(TlsSummary s, PrintWriter out) {
        Lines.printf(out, "%s  %s%s%n", s.policyDomain() == null ? "(no policy domain)" : s.policyDomain(), s.policyType(),
                s.stsModes().isEmpty() ? "" : " (mode " + String.join(", ", s.stsModes()) + ")");
        Lines.printf(out, "  sessions:   %,d in %d %s from %d %s: %,d successful (%s), %,d failed%n", s.sessions(),
                s.reports(), s.reports() == 1 ? "report" : "reports", s.reporters().size(),
                s.reporters().size() == 1 ? "reporter" : "reporters", s.successfulSessions(), percent(s.successRate()), s.failedSessions());
        if (!s.perDay().isEmpty()) {
            TreeMap<LocalDate, Double> daily = new TreeMap<>();
            s.perDay().stream().filter(d -> d.successRate() != null).forEach(d -> daily.put(d.day(), d.successRate()));
            if (!daily.isEmpty()) {
                Lines.println(out, "  success rate per day:");
                Lines.println(out, "    " + ReadinessCommand.chart(daily));
            }
        }
        if (!s.byResultType().isEmpty()) {
            Lines.println(out, "  failed sessions by result type, receiving MX and reporter:");
            table(out, "result_type", s.byResultType());
            table(out, "receiving_mx", s.byMx());
        } else if (s.failedSessions() == 0) {
            Lines.println(out, "  no failed sessions");
        }
        List<Object[]> rows = new ArrayList<>();
        for (TlsSummary.Reporter r : s.byReporter()) {
            rows.add(new Object[] {r.name(), r.reports(), r.successfulSessions(), r.failedSessions()});
        }
        indent(out, List.of("reporter", "reports", "successful", "failed"), rows);
        if (s.mismatchedPolicies() > 0) {
            Lines.printf(out, "  note: in %d %s the failure details do not add up to the failure total"
                    + " (see tls_policies.details_mismatch)%n", s.mismatchedPolicies(), s.mismatchedPolicies() == 1 ? "report" : "reports");
        }
        out.println();
    }

    private static void table(PrintWriter out, String name, List<TlsSummary.Count> counts) {
        List<Object[]> rows = new ArrayList<>();
        counts.forEach(c -> rows.add(new Object[] {c.name(), c.sessions()}));
        indent(out, List.of(name, "sessions"), rows);
    }

    /** A table indented under its domain, without the row count. */
    private static void indent(PrintWriter out, List<String> columns, List<Object[]> rows) {
        java.io.StringWriter buffer = new java.io.StringWriter();
        org.dmarcq.cli.output.TextTable table = new org.dmarcq.cli.output.TextTable(columns,
                org.dmarcq.cli.output.TextTable.Style.COMMAND);
        rows.forEach(table::add);
        int width = ResultPrinter.terminalWidth() - 4;
        table.print(new PrintWriter(buffer), width, List.of("reporters", "first_day", "mx_hosts", "last_day"));
        // the table's cells are on one line each and fit the width: lines as they are
        buffer.toString().lines().forEach(line -> out.println("    " + line));
    }

    static String percent(Double rate) {
        return rate == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * rate);
    }

    /** The contract of {@code tls --format json}: see docs/cli.md. */
    private static void json(List<TlsSummary> summaries, PrintWriter out) {
        List<Object> list = new ArrayList<>();
        for (TlsSummary s : summaries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("policy_domain", s.policyDomain());
            m.put("policy_type", s.policyType());
            m.put("sts_modes", s.stsModes());
            m.put("sessions", s.sessions());
            m.put("successful_sessions", s.successfulSessions());
            m.put("failed_sessions", s.failedSessions());
            m.put("success_rate", ResultPrinter.rate(s.successRate()));
            m.put("reports", s.reports());
            m.put("reporters", s.reporters());
            List<Object> days = new ArrayList<>();
            for (TlsSummary.Day d : s.perDay()) {
                Map<String, Object> day = new LinkedHashMap<>();
                day.put("day", d.day().toString());
                day.put("successful_sessions", d.successfulSessions());
                day.put("failed_sessions", d.failedSessions());
                day.put("success_rate", ResultPrinter.rate(d.successRate()));
                days.add(day);
            }
            m.put("per_day", days);
            m.put("by_result_type", counts(s.byResultType(), "result_type"));
            m.put("by_receiving_mx", counts(s.byMx(), "receiving_mx_hostname"));
            List<Object> reporters = new ArrayList<>();
            for (TlsSummary.Reporter r : s.byReporter()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("org_name", r.name());
                x.put("reports", r.reports());
                x.put("successful_sessions", r.successfulSessions());
                x.put("failed_sessions", r.failedSessions());
                reporters.add(x);
            }
            m.put("by_reporter", reporters);
            m.put("mismatched_details", s.mismatchedPolicies());
            list.add(m);
        }
        ResultPrinter.printJson(out, list);
    }

    private static List<Object> counts(List<TlsSummary.Count> counts, String key) {
        List<Object> list = new ArrayList<>();
        for (TlsSummary.Count c : counts) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put(key, c.name());
            x.put("failed_sessions", c.sessions());
            list.add(x);
        }
        return list;
    }

    @Command(name = "whatif",
            description = {"Would MTA-STS mode: enforce break inbound mail? The sessions that failed while the policy was in"
                    + " testing mode (and were delivered anyway) that enforce would not deliver, grouped by cause, with what"
                    + " to fix, and a verdict per policy domain: safe, not safe, not enough data, already enforced.",
                    "With --policy, a policy file (the text served at https://mta-sts.DOMAIN/.well-known/mta-sts.txt) is"
                            + " checked, and its mx: patterns against the MX hosts seen in the reports."},
            mixinStandardHelpOptions = true,
            footer = {"",
                    "Exit status: 0 whatever the verdict (read it in the output or the JSON).",
                    "",
                    "Examples:",
                    "  dmarcq tls whatif --mode enforce",
                    "  # against the policy you mean to publish:",
                    "  dmarcq tls whatif --mode enforce --policy mta-sts.txt --format json"})
    static final class WhatIf implements Callable<Integer> {
        enum Mode { ENFORCE }

        @Mixin DatabaseOptions database;
        @Mixin ScopeOptions scope;
        @Mixin OutputOptions output;

        @Option(names = "--mode", required = true, paramLabel = "MODE", description = "The mode to try: enforce.")
        Mode mode;

        @Option(names = "--policy", paramLabel = "FILE", description = "An MTA-STS policy file to check (version, mode, mx, max_age).")
        Path policy;

        @Option(names = "--min-days", paramLabel = "N", defaultValue = "7",
                description = "Days of TLS reports needed for a verdict (default: ${DEFAULT-VALUE}).")
        int minDays;

        @Option(names = "--resolved-after", paramLabel = "DAYS", defaultValue = "7",
                description = "A cause not seen in the last DAYS days of reports counts as resolved and does not make the"
                        + " verdict not safe (default: ${DEFAULT-VALUE}).")
        int resolvedAfter;

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            if (minDays < 1) {
                throw UserException.usage("--min-days " + minDays + ": expected at least 1");
            }
            if (resolvedAfter < 0) {
                throw UserException.usage("--resolved-after " + resolvedAfter + ": expected 0 or more days");
            }
            StsPolicy proposed = null;
            if (policy != null) {
                try {
                    proposed = StsPolicy.parse(Files.readString(policy));
                } catch (java.nio.file.NoSuchFileException e) {
                    throw new UserException(policy + ": no such policy file");
                } catch (IOException e) {
                    throw new UserException(policy + ": cannot read: " + e.getMessage(), e);
                }
            }
            List<TlsEnforcement> results;
            try (Store store = open(database, spec.commandLine().getErr())) {
                results = TlsWhatIf.enforce(store, scope.toScope(), proposed, minDays, resolvedAfter);
            }
            if (proposed != null && results.size() > 1) {
                throw new UserException("--policy is one domain's policy, and the reports cover "
                        + results.stream().map(TlsEnforcement::policyDomain).toList() + ": name one with --domain");
            }
            if (results.isEmpty()) {
                throw new UserException("no MTA-STS (sts) policy in the SMTP TLS reports of " + database.path()
                        + describe(scope.toScope()) + ": nothing to simulate");
            }
            PrintWriter out = spec.commandLine().getOut();
            if (output.format == Format.JSON) {
                json(results, out);
            } else if (output.format == Format.CSV) {
                List<Object[]> rows = new ArrayList<>();
                for (TlsEnforcement r : results) {
                    for (TlsEnforcement.Cause c : r.causes()) {
                        rows.add(new Object[] {r.policyDomain(), r.verdict(), c.cause(), c.blocksDelivery(), c.sessions(), c.mxHosts(), c.fix()});
                    }
                }
                ResultPrinter.forCommand(out).print(List.of("policy_domain", "verdict", "cause", "blocks_delivery",
                        "sessions", "mx_hosts", "fix"), rows, Format.CSV);
            } else {
                results.forEach(r -> text(r, out));
            }
            out.flush();
            return 0;
        }

        private static void text(TlsEnforcement r, PrintWriter out) {
            Lines.printf(out, "%s: %s%n", r.policyDomain(), r.sentence());
            for (String why : r.because()) {
                Lines.println(out, "  " + why);
            }
            if (!r.causes().isEmpty()) {
                out.println();
                List<Object[]> rows = new ArrayList<>();
                for (TlsEnforcement.Cause c : r.causes()) {
                    rows.add(new Object[] {c.label(), c.resolved() ? "resolved" : c.blocksDelivery() ? "yes" : "no", c.sessions(),
                            c.firstDay(), c.lastDay(), c.mxHosts(), c.reporters()});
                }
                indent(out, List.of("cause", "blocks", "sessions", "first_day", "last_day", "mx_hosts", "reporters"), rows);
                Lines.println(out, "  what to fix:");
                for (TlsEnforcement.Cause c : r.causes()) {
                    Lines.println(out, "  - " + c.label() + (c.resolved() ? " (resolved: not seen since " + c.lastDay() + ")" : "") + ": "
                            + c.fix());
                }
            }
            TlsEnforcement.PolicyCheck check = r.policyCheck();
            if (check != null) {
                Lines.printf(out, "  proposed policy: mode %s, mx %s, max_age %s%n", check.mode(), String.join(" ", check.mx()),
                        check.maxAge() == null ? "?" : check.maxAge());
                Lines.println(out, "    MX hosts seen in the reports: " + (check.mxSeen().isEmpty() ? "none" : String.join(", ", check.mxSeen())));
                Lines.println(out, "    not matched by its mx: patterns: " + (check.unmatched().isEmpty() ? "none" : String.join(", ", check.unmatched())));
                for (String p : check.problems()) {
                    Lines.println(out, "    invalid: " + p);
                }
            }
            out.println();
        }

        /** The contract of {@code tls whatif --format json}: see docs/cli.md. */
        private static void json(List<TlsEnforcement> results, PrintWriter out) {
            List<Object> list = new ArrayList<>();
            for (TlsEnforcement r : results) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("policy_domain", r.policyDomain());
                m.put("verdict", r.verdict());
                m.put("sentence", r.sentence());
                m.put("last_day", r.lastDay() == null ? null : r.lastDay().toString());
                m.put("because", r.because());
                m.put("days", r.days());
                m.put("reporters", r.reporters());
                m.put("testing_sessions", r.testingSessions());
                m.put("failed_in_testing", r.failedInTesting());
                m.put("would_fail", r.wouldFail());
                m.put("would_fail_rate", r.testingSessions() == 0 ? null
                        : ResultPrinter.rate((double) r.wouldFail() / r.testingSessions()));
                List<Object> causes = new ArrayList<>();
                for (TlsEnforcement.Cause c : r.causes()) {
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("cause", c.cause());
                    x.put("label", c.label());
                    x.put("blocks_delivery", c.blocksDelivery());
                    x.put("sessions", c.sessions());
                    x.put("result_types", c.resultTypes());
                    x.put("mx_hosts", c.mxHosts());
                    x.put("sending_mtas", c.sendingMtas());
                    x.put("reporters", c.reporters());
                    x.put("failure_reason_codes", c.failureReasonCodes());
                    x.put("first_day", c.firstDay() == null ? null : c.firstDay().toString());
                    x.put("last_day", c.lastDay() == null ? null : c.lastDay().toString());
                    x.put("fix", c.fix());
                    x.put("resolved", c.resolved());
                    causes.add(x);
                }
                m.put("causes", causes);
                TlsEnforcement.PolicyCheck check = r.policyCheck();
                if (check != null) {
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("valid", check.problems().isEmpty());
                    p.put("problems", check.problems());
                    p.put("mode", check.mode());
                    p.put("mx", check.mx());
                    p.put("max_age", check.maxAge());
                    p.put("mx_seen", check.mxSeen());
                    p.put("unmatched_mx", check.unmatched());
                    m.put("policy_check", p);
                } else {
                    m.put("policy_check", null);
                }
                list.add(m);
            }
            ResultPrinter.printJson(out, list);
        }
    }
}
