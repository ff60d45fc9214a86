package org.dmarcq.cli;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.dmarcq.analysis.Naming;
import org.dmarcq.analysis.Page;
import org.dmarcq.analysis.Sender;
import org.dmarcq.analysis.Senders;
import org.dmarcq.analysis.SendingSystem;
import org.dmarcq.analysis.SendingSystems;
import org.dmarcq.cli.output.Format;
import org.dmarcq.cli.output.ResultPrinter;
import org.dmarcq.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "senders",
        description = {"Who sends mail as your domains: one row per source IP address (or per sending system, --by system).",
                "Messages, DMARC pass and fail (the receivers' verdicts), messages with aligned SPF and aligned DKIM"
                        + " (recomputed by dmarcq), the main failure reason, the domains seen, and when. Most failing"
                        + " messages first. Reasons are explained in docs/cli.md.",
                "Each address is named by reverse DNS (looked up once, then kept in the database) and by the sending"
                        + " service its domains give away."},
        mixinStandardHelpOptions = true,
        footer = {"",
                "Examples:",
                "  dmarcq senders --domain example.com --failing",
                "  # one row per sending system, with its addresses:",
                "  dmarcq senders --by system",
                "  dmarcq senders --since 2026-11-01 --until 2026-11-07",
                "  dmarcq senders --format json > senders.json",
                "  # no DNS lookups: names from earlier runs only:",
                "  dmarcq senders --offline"})
final class SendersCommand implements Callable<Integer> {
    @Mixin NamingOptions namingOptions;
    @Mixin ScopeOptions scope;
    @Mixin OutputOptions output;
    @Mixin LimitOption limit;

    enum By { IP, SYSTEM }

    @Option(names = "--failing", description = "Only sources with messages that failed DMARC.")
    boolean failing;

    @Option(names = "--by", paramLabel = "ip|system", defaultValue = "ip",
            description = "One row per source address (ip, the default) or per sending system (system): addresses"
                    + " of the same service or reverse DNS organizational domain, with their addresses listed.")
    By by;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        Naming naming = namingOptions.naming();
        int rows = limit.rows(output.format);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (by == By.SYSTEM) {
            Page<SendingSystem> systems;
            try (Store store = namingOptions.open(scope.toScope(), err)) {
                SystemRows printed = new SystemRows(true, output.format, out);
                systems = SendingSystems.each(store, scope.toScope(), namingOptions.classes(), naming,
                        new SendingSystems.Filter(false, null, 0, Set.of(), failing), rows, printed);
                printed.end();
            }
            LimitOption.footer(systems, "systems", output.format, out, err);
            return 0;
        }
        boolean asTable = output.format == Format.TABLE;
        List<String> columns = asTable
                ? List.of("source_ip", "system", "inventory", "class", "messages", "dmarc_pass", "dmarc_fail", "spf_aligned",
                        "dkim_aligned", "reason", "header_from", "envelope_from", "dkim_domains", "reporters", "first_seen", "last_seen")
                : List.of("source_ip", "messages", "dmarc_pass", "dmarc_fail", "spf_aligned", "dkim_aligned", "reason",
                        "header_from", "envelope_from", "dkim_domains", "reporters", "first_seen", "last_seen", "disagreements",
                        "system", "system_type", "system_evidence", "ptr", "inventory", "sending_system", "class", "evidence");
        Page<Sender> page;
        try (Store store = namingOptions.open(scope.toScope(), err)) {
            ResultPrinter.Rows table = ResultPrinter.forCommand(out).dropFirst("last_seen", "first_seen", "reporters",
                    "envelope_from", "header_from", "dkim_domains", "dmarc_pass", "dkim_aligned", "spf_aligned", "inventory",
                    "dmarc_fail").rows(columns, output.format);
            page = Senders.each(store, scope.toScope(), failing, namingOptions.classes(), naming, rows, s -> table.row(asTable
                    ? new Object[] {s.sourceIp(), s.service(), s.inventoryName(), s.senderClass().word(), s.messages(),
                            s.dmarcPass(), s.dmarcFail(), s.spfAligned(), s.dkimAligned(), s.reason(), s.headerFrom(),
                            s.envelopeFrom(), s.dkimDomains(), s.reporters(), day(s.firstSeen()), day(s.lastSeen())}
                    : new Object[] {s.sourceIp(), s.messages(), s.dmarcPass(), s.dmarcFail(), s.spfAligned(), s.dkimAligned(),
                            s.reason(), s.headerFrom(), s.envelopeFrom(), s.dkimDomains(), s.reporters(), s.firstSeen(),
                            s.lastSeen(), s.disagreements(), s.service(), s.serviceType(), s.serviceEvidence(), s.ptr(),
                            s.inventoryName(), s.sendingSystem(), s.senderClass().word(),
                            SystemRows.evidence(s.evidence(), output.format)}));
            table.end();
        }
        LimitOption.footer(page, "addresses", output.format, out, err);
        return 0;
    }

    /** Tables show days; CSV and JSON the exact times. */
    static LocalDate day(java.time.Instant instant) {
        return instant == null ? null : LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
