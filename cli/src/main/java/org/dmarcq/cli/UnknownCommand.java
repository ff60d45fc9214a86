package org.dmarcq.cli;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.dmarcq.analysis.Naming;
import org.dmarcq.analysis.Page;
import org.dmarcq.analysis.Scope;
import org.dmarcq.analysis.SenderClass;
import org.dmarcq.analysis.SendingSystem;
import org.dmarcq.analysis.SendingSystems;
import org.dmarcq.cli.output.Format;
import org.dmarcq.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "unknown",
        description = {"Sending systems that are not in your inventory: who else sends mail as your domains.",
                "Addresses are grouped into systems by the service that sends from them, or by the organizational domain"
                        + " of their reverse DNS; most messages first."},
        mixinStandardHelpOptions = true,
        footer = {"",
                "Exit status with --fail-if-any: 1 when a system is listed, 0 when none is (for cron and monitoring).",
                "",
                "Examples:",
                "  dmarcq unknown --domain example.com",
                "  # new senders since a date, for cron:",
                "  dmarcq unknown --new-since 2026-11-01 --fail-if-any"})
final class UnknownCommand implements Callable<Integer> {
    @Mixin NamingOptions namingOptions;
    @Mixin ScopeOptions scope;
    @Mixin OutputOptions output;
    @Mixin LimitOption limit;

    @Option(names = "--new-since", paramLabel = "DATE", converter = ScopeOptions.Dates.class,
            description = "Only systems first seen (in all the reports) on or after this UTC day.")
    LocalDate newSince;

    @Option(names = "--fail-if-any", description = "Exit with status 1 when any system is listed.")
    boolean failIfAny;

    @Option(names = "--min-messages", paramLabel = "N", defaultValue = "0",
            description = "Only systems with at least N messages in the scope (default: ${DEFAULT-VALUE}).")
    long minMessages;

    @Option(names = "--class", paramLabel = "CLASS", split = ",",
            description = "Only systems of these classes: passing, misconfigured, unverified, forwarder, spoofing"
                    + " (comma-separated; default: all).")
    List<String> classes;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        Set<SenderClass> wanted = wanted();
        Naming naming = namingOptions.naming();
        Scope asked = scope.toScope();
        // First seen is over all reports: a system seen long ago is not new because --since starts later.
        Scope searched = newSince == null ? asked : new Scope(asked.domain(), null, asked.until());
        Page<SendingSystem> unknown;
        PrintWriter out = spec.commandLine().getOut();
        try (Store store = namingOptions.open(searched, spec.commandLine().getErr())) {
            SystemRows rows = new SystemRows(false, output.format, out);
            unknown = SendingSystems.each(store, searched, namingOptions.classes(), naming,
                    new SendingSystems.Filter(true, newSince == null ? null : newSince.atStartOfDay().toInstant(ZoneOffset.UTC),
                            minMessages, wanted, false), limit.rows(output.format), rows);
            rows.end();
        }
        LimitOption.footer(unknown, "systems", output.format, out, spec.commandLine().getErr());
        if (naming.inventory().entries().isEmpty() && output.format == Format.TABLE) {
            spec.commandLine().getErr().println("note: no inventory (" + namingOptions.inventoryPath()
                    + "), so every system is unknown; draft one with: dmarcq inventory suggest");
        }
        return failIfAny && unknown.total() > 0 ? Main.FAILED : 0;
    }

    private Set<SenderClass> wanted() {
        if (minMessages < 0) {
            throw UserException.usage("--min-messages " + minMessages + ": expected 0 or more");
        }
        Set<SenderClass> wanted = EnumSet.noneOf(SenderClass.class);
        for (String c : classes == null ? List.<String>of() : classes) {
            SenderClass senderClass = SenderClass.of(c.strip().toLowerCase(Locale.ROOT));
            if (senderClass == null) {
                throw UserException.usage("--class '" + c + "': expected passing, misconfigured, unverified, forwarder or spoofing");
            }
            wanted.add(senderClass);
        }
        return wanted;
    }
}
