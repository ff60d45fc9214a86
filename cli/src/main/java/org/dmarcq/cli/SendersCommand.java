package org.dmarcq.cli;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.dmarcq.analysis.Naming;
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
                "  dmarcq senders --by system          one row per sending system, with its addresses",
                "  dmarcq senders --since 2026-11-01 --until 2026-11-07",
                "  dmarcq senders --format json > senders.json",
                "  dmarcq senders --offline             no DNS lookups: names from earlier runs only"})
final class SendersCommand implements Callable<Integer> {
    @Mixin NamingOptions namingOptions;
    @Mixin ScopeOptions scope;
    @Mixin OutputOptions output;

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
        if (by == By.SYSTEM) {
            List<SendingSystem> systems;
            try (Store store = namingOptions.open(scope.toScope(), spec.commandLine().getErr())) {
                systems = SendingSystems.list(store, scope.toScope(), namingOptions.classes(), naming);
            }
            if (failing) {
                systems = systems.stream().filter(s -> s.dmarcFail() > 0).toList();
            }
            SystemRows.print(systems, true, output.format, spec.commandLine().getOut());
            return 0;
        }
        List<Sender> senders;
        try (Store store = namingOptions.open(scope.toScope(), spec.commandLine().getErr())) {
            senders = Senders.list(store, scope.toScope(), failing, namingOptions.classes(), naming);
        }
        List<Object[]> rows = new ArrayList<>();
        boolean table = output.format == Format.TABLE;
        for (Sender s : senders) {
            String knownAs = s.inventoryName();
            rows.add(table
                    ? new Object[] {s.sourceIp(), s.service(), knownAs, s.senderClass().label(), s.messages(), s.dmarcPass(),
                            s.dmarcFail(), s.spfAligned(), s.dkimAligned(), s.reason(), s.headerFrom(), s.envelopeFrom(),
                            s.dkimDomains(), s.reporters(), day(s.firstSeen()), day(s.lastSeen())}
                    : new Object[] {s.sourceIp(), s.messages(), s.dmarcPass(), s.dmarcFail(), s.spfAligned(), s.dkimAligned(),
                            s.reason(), s.headerFrom(), s.envelopeFrom(), s.dkimDomains(), s.reporters(), s.firstSeen(),
                            s.lastSeen(), s.disagreements(), s.service(), s.serviceType(), s.serviceEvidence(), s.ptr(), knownAs,
                            s.sendingSystem(), s.senderClass().word(), SystemRows.evidence(s.evidence(), output.format)});
        }
        List<String> columns = table
                ? List.of("source_ip", "system", "inventory", "class", "messages", "dmarc_pass", "dmarc_fail", "spf_aligned",
                        "dkim_aligned", "reason", "header_from", "envelope_from", "dkim_domains", "reporters", "first_seen", "last_seen")
                : List.of("source_ip", "messages", "dmarc_pass", "dmarc_fail", "spf_aligned", "dkim_aligned", "reason",
                        "header_from", "envelope_from", "dkim_domains", "reporters", "first_seen", "last_seen", "disagreements",
                        "system", "system_type", "system_evidence", "ptr", "inventory", "sending_system", "class", "evidence");
        new ResultPrinter(spec.commandLine().getOut(), Integer.MAX_VALUE).print(columns, rows, output.format);
        return 0;
    }

    /** Tables show days; CSV and JSON the exact times. */
    static LocalDate day(java.time.Instant instant) {
        return instant == null ? null : LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
