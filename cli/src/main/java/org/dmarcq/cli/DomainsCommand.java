package org.dmarcq.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dmarcq.analysis.DomainSummary;
import org.dmarcq.analysis.Domains;
import org.dmarcq.cli.output.Format;
import org.dmarcq.cli.output.ResultPrinter;
import org.dmarcq.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "domains",
        description = {"One row per policy domain: reports, reporters, period, messages, DMARC pass rate (the"
                + " receivers' verdicts), the policy as published in the latest report, and how many records the"
                + " receivers and dmarcq disagree on."},
        mixinStandardHelpOptions = true,
        footer = {"",
                "Examples:",
                "  dmarcq domains",
                "  dmarcq domains --since 2026-11-01 --format json"})
final class DomainsCommand implements Callable<Integer> {
    @Mixin DatabaseOptions database;
    @Mixin ScopeOptions scope;
    @Mixin OutputOptions output;
    @Mixin SuffixOptions suffixes;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        List<DomainSummary> domains;
        try (Store store = Analysis.open(database, suffixes, scope.toScope(), spec.commandLine().getErr())) {
            domains = Domains.list(store, scope.toScope());
        }
        boolean table = output.format == Format.TABLE;
        List<Object[]> rows = new ArrayList<>();
        for (DomainSummary d : domains) {
            Double rate = ResultPrinter.rate(d.passRate());
            rows.add(new Object[] {d.policyDomain(), d.reports(), d.reporters(),
                    table ? SendersCommand.day(d.firstSeen()) : d.firstSeen(), table ? SendersCommand.day(d.lastSeen()) : d.lastSeen(),
                    d.messages(),
                    d.dmarcPass(), d.dmarcFail(), rate, d.p(), d.sp(), d.np(), d.pct(), d.testing(), d.adkim(), d.aspf(),
                    d.disagreements()});
        }
        List<String> columns = List.of("policy_domain", "reports", "reporters", "first_seen", "last_seen", "messages",
                "dmarc_pass", "dmarc_fail", "pass_rate", "p", "sp", "np", "pct", "testing", "adkim", "aspf", "disagreements");
        ResultPrinter.forCommand(spec.commandLine().getOut())
                .dropFirst("disagreements", "aspf", "adkim", "testing", "pct", "np", "sp", "reporters", "first_seen", "dmarc_pass",
                        "dmarc_fail", "reports", "p")
                .print(columns, rows, output.format);
        return 0;
    }
}
