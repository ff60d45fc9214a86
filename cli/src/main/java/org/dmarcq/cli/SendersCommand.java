package org.dmarcq.cli;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.dmarcq.analysis.Sender;
import org.dmarcq.analysis.Senders;
import org.dmarcq.cli.output.Format;
import org.dmarcq.cli.output.ResultPrinter;
import org.dmarcq.identity.Inventory;
import org.dmarcq.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "senders",
        description = {"Who sends mail as your domains: one row per source IP address.",
                "Messages, DMARC pass and fail (the receivers' verdicts), messages with aligned SPF and aligned DKIM"
                        + " (recomputed by dmarcq), the main failure reason, the domains seen, and when. Most failing"
                        + " messages first. Reasons are explained in docs/cli.md.",
                "Each address is named by reverse DNS (looked up once, then kept in the database) and by the sending"
                        + " service its domains give away."},
        mixinStandardHelpOptions = true,
        footer = {"",
                "Examples:",
                "  dmarcq senders --domain example.com --failing",
                "  dmarcq senders --since 2026-11-01 --until 2026-11-07",
                "  dmarcq senders --format json > senders.json",
                "  dmarcq senders --offline             no DNS lookups: names from earlier runs only"})
final class SendersCommand implements Callable<Integer> {
    @Mixin DatabaseOptions database;
    @Mixin ScopeOptions scope;
    @Mixin OutputOptions output;
    @Mixin SuffixOptions suffixes;
    @Mixin DnsOptions dns;
    @Mixin InventoryOptions inventory;
    @Mixin ServicesOptions services;

    @Option(names = "--failing", description = "Only sources with messages that failed DMARC.")
    boolean failing;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        List<Sender> senders;
        Inventory known = inventory.load(database.path());
        try (Store store = Analysis.open(database, suffixes, dns)) {
            senders = Senders.list(store, scope.toScope(), failing, services.map());
        }
        List<Object[]> rows = new ArrayList<>();
        boolean table = output.format == Format.TABLE;
        for (Sender s : senders) {
            String system = s.system() == null ? null : s.system().service().name();
            String systemType = s.system() == null ? null : s.system().service().type();
            String knownAs = known.match(List.of(s.sourceIp()), s.ptr() == null ? List.of() : List.of(s.ptr()), s.dkimDomains(),
                    s.envelopeFrom(), system).map(Inventory.Entry::name).orElse(null);
            rows.add(table
                    ? new Object[] {s.sourceIp(), system, knownAs, s.messages(), s.dmarcPass(), s.dmarcFail(), s.spfAligned(), s.dkimAligned(),
                            s.reason(), s.headerFrom(), s.envelopeFrom(), s.dkimDomains(), s.reporters(), day(s.firstSeen()),
                            day(s.lastSeen())}
                    : new Object[] {s.sourceIp(), s.messages(), s.dmarcPass(), s.dmarcFail(), s.spfAligned(), s.dkimAligned(),
                            s.reason(), s.headerFrom(), s.envelopeFrom(), s.dkimDomains(), s.reporters(), s.firstSeen(),
                            s.lastSeen(), s.disagreements(), system, systemType,
                            s.system() == null ? null : s.system().evidence(), s.ptr(), knownAs});
        }
        List<String> columns = table
                ? List.of("source_ip", "system", "inventory", "messages", "dmarc_pass", "dmarc_fail", "spf_aligned", "dkim_aligned", "reason",
                        "header_from", "envelope_from", "dkim_domains", "reporters", "first_seen", "last_seen")
                : List.of("source_ip", "messages", "dmarc_pass", "dmarc_fail", "spf_aligned", "dkim_aligned", "reason",
                        "header_from", "envelope_from", "dkim_domains", "reporters", "first_seen", "last_seen", "disagreements",
                        "system", "system_type", "system_evidence", "ptr", "inventory");
        new ResultPrinter(spec.commandLine().getOut(), Integer.MAX_VALUE).print(columns, rows, output.format);
        return 0;
    }

    /** Tables show days; CSV and JSON the exact times. */
    static LocalDate day(java.time.Instant instant) {
        return instant == null ? null : LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
