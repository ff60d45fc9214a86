package org.dmarcq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dmarcq.analysis.Scope;
import org.dmarcq.analysis.SpfInventory;
import org.dmarcq.cli.output.Format;
import org.dmarcq.cli.output.Lines;
import org.dmarcq.cli.output.ResultPrinter;
import org.dmarcq.spf.SpfAudit;
import org.dmarcq.spf.SpfDns;
import org.dmarcq.spf.SpfSnapshots;
import org.dmarcq.spf.ZoneFileDns;
import org.dmarcq.store.Store;
import org.dmarcq.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "spf",
        description = {"Which terms of your SPF records still carry mail, whose they are, and whether the records are valid.",
                "For each policy domain, and each bounce domain under it that the reports show, the SPF record and its"
                        + " whole include: tree are looked up (and kept in the database), checked against RFC 7208 (the"
                        + " limit of 10 DNS lookups, void lookups, risky terms), and every address that sent with the"
                        + " domain as SPF domain is evaluated: its mail is counted under the term of your record that"
                        + " decided it. Terms that no mail used are unused."},
        mixinStandardHelpOptions = true,
        footer = {"",
                "Exit status: 0, also when a record has findings; 1 when the scope has no reports.",
                "",
                "Examples:",
                "  dmarcq spf --domain example.com",
                "  # try a record before publishing it:",
                "  dmarcq spf --zone proposed.zone",
                "  # no lookups: the records as the last run kept them:",
                "  dmarcq spf --offline"})
final class SpfCommand implements Callable<Integer> {
    @Mixin NamingOptions namingOptions;
    @Mixin ScopeOptions scope;
    @Mixin OutputOptions output;

    @Option(names = "--zone", paramLabel = "FILE",
            description = "Answer the SPF lookups from this zone file (master-file syntax; repeatable) instead of DNS;"
                    + " names it does not hold do not exist. Nothing is kept.")
    List<Path> zones;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Scope asked = scope.toScope();
        SpfDns zone = zone();
        SpfSnapshots.Recording recording = null;
        List<SpfInventory.Domain> domains;
        List<SpfAudit.Result> audits;
        String source;
        try (Store store = namingOptions.open(asked, err)) {
            List<String> names = SpfInventory.domains(store, asked);
            SpfDns dns;
            if (zone != null) {
                dns = zone;
                source = "the zone file" + (zones.size() == 1 ? " " + zones.get(0) : "s " + zones);
            } else if (!namingOptions.dns.looksUp()) {
                SpfSnapshots.Snapshot snapshot = SpfSnapshots.latest(store).orElseThrow(() -> new UserException(
                        "no SPF records in the database yet: run dmarcq spf once without --offline (it looks them up and keeps"
                                + " them), or give --zone FILE"));
                dns = snapshot.dns();
                source = "the records as looked up on " + snapshot.takenAt().toString().replace('T', ' ').replaceAll("\\.\\d+$", "")
                        + " UTC from " + snapshot.dnsServer();
            } else {
                recording = new SpfSnapshots.Recording(namingOptions.dns.spfResolver());
                dns = recording;
                source = "DNS (" + namingOptions.dns.serverName() + ")";
            }
            audits = SpfInventory.audit(names, dns);
            domains = SpfInventory.run(store, asked, audits, dns, namingOptions.classes(), namingOptions.naming());
        }
        if (recording != null) {
            keep(recording, audits, err);
        }
        switch (output.format) {
            case JSON -> json(domains, out);
            case CSV -> csv(domains, out);
            case TABLE -> table(domains, source, out);
        }
        return 0;
    }

    private SpfDns zone() {
        if (zones == null || zones.isEmpty()) {
            return null;
        }
        for (Path z : zones) {
            if (!Files.isReadable(z)) {
                throw new UserException("--zone " + z + ": no such file");
            }
        }
        try {
            return ZoneFileDns.read(zones);
        } catch (IOException e) {
            throw new UserException("--zone: " + e.getMessage());
        }
    }

    /** Keeps what was looked up, unless nothing answered (then the last snapshot stays the latest). */
    private void keep(SpfSnapshots.Recording recording, List<SpfAudit.Result> audits, PrintWriter err) {
        if (!recording.answered()) {
            err.println("dmarcq: spf: no answer from " + namingOptions.dns.serverName() + "; nothing kept (--offline uses the"
                    + " records of the last run)");
            err.flush();
            return;
        }
        try (Store writer = Store.open(namingOptions.database.existing(), namingOptions.database.waiting(err))) {
            SpfSnapshots.save(writer, recording, namingOptions.dns.serverName(), LocalDateTime.now(ZoneOffset.UTC), audits);
        } catch (StoreException e) {
            err.println("dmarcq: the SPF records were not kept (" + e.getMessage() + "); they are looked up again next time");
            err.flush();
        }
    }

    private static void table(List<SpfInventory.Domain> domains, String source, PrintWriter out) {
        Lines.println(out, "SPF records from " + source + ".");
        for (SpfInventory.Domain d : domains) {
            SpfAudit.Result a = d.audit();
            out.println();
            Lines.printf(out, "%s: %s. %s%n", a.domain(), a.verdict().word(), capital(a.reason()));
            if (a.record() != null) {
                Lines.println(out, "  " + a.record());
            }
            Lines.printf(out, "  %,d %s from %,d %s with %s as SPF domain, over %,d %s of reports.%n", d.messages(),
                    d.messages() == 1 ? "message" : "messages", d.sources(), d.sources() == 1 ? "source" : "sources", a.domain(),
                    d.days(), d.days() == 1 ? "day" : "days");
            if (!d.terms().isEmpty()) {
                List<Object[]> rows = new ArrayList<>();
                for (SpfInventory.Term t : d.terms()) {
                    rows.add(new Object[] {t.term(), t.status(), t.messages(), t.sources(), SendersCommand.day(t.firstSeen()),
                            SendersCommand.day(t.lastSeen()), t.lookups(), names(t)});
                }
                ResultPrinter.forCommand(out).dropFirst("first_seen", "lookups", "last_seen")
                        .print(List.of("term", "status", "messages", "sources", "first_seen", "last_seen", "lookups", "senders"), rows,
                                Format.TABLE);
            }
            if (d.unmatchedSources() > 0) {
                List<String> shown = new ArrayList<>();
                for (SpfInventory.Unmatched u : d.unmatched().subList(0, Math.min(5, d.unmatched().size()))) {
                    shown.add(u.sourceIp() + (u.system() == null || u.system().equals(u.sourceIp()) ? "" : " (" + u.system() + ")")
                            + " " + u.result() + String.format(Locale.ROOT, " %,d", u.messages()));
                }
                Lines.printf(out, "  Not authorised by any term: %,d %s, %,d %s; most: %s.%n", d.unmatchedSources(),
                        d.unmatchedSources() == 1 ? "source" : "sources", d.unmatchedMessages(),
                        d.unmatchedMessages() == 1 ? "message" : "messages", String.join(", ", shown));
            }
            if (d.disagreements() > 0) {
                Lines.printf(out, "  %,d %s got a different SPF result from the receivers than from these records: %s.%n",
                        d.disagreements(), d.disagreements() == 1 ? "source" : "sources", String.join("; ", d.disagreementCauses()));
            }
            for (SpfAudit.Finding f : a.findings()) {
                if (!f.kind().equals("too-many-lookups")) {
                    Lines.println(out, "  - " + (f.domain().equals(a.domain()) ? "" : f.domain() + ": ") + f.text());
                }
            }
            for (SpfInventory.Term t : d.terms()) {
                if (t.status().equals("unused") && d.days() > 0) {
                    Lines.printf(out, "  - %s carried no mail over %,d %s of reports%s%n", t.term(), d.days(),
                            d.days() == 1 ? "day" : "days", d.days() < 30 ? " (a short period: weak evidence that it is unused)" : "");
                }
            }
        }
        out.flush();
    }

    private static String names(SpfInventory.Term t) {
        List<String> names = new ArrayList<>();
        if (t.service() != null) {
            names.add(t.service());
        }
        for (String n : t.names()) {
            if (!n.equals(t.service())) {
                names.add(n);
            }
        }
        return String.join(", ", names);
    }

    private static String capital(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1) + (s.endsWith(".") ? "" : ".");
    }

    private static void csv(List<SpfInventory.Domain> domains, PrintWriter out) {
        List<Object[]> rows = new ArrayList<>();
        for (SpfInventory.Domain d : domains) {
            for (SpfInventory.Term t : d.terms()) {
                rows.add(new Object[] {d.audit().domain(), d.audit().verdict().word(), d.audit().lookups(), t.position(), t.term(),
                        t.status(), t.messages(), t.sources(), t.firstSeen(), t.lastSeen(), t.spfAlignedMessages(), t.lookups(),
                        t.service(), t.names()});
            }
        }
        new ResultPrinter(out, Integer.MAX_VALUE).print(List.of("domain", "verdict", "domain_lookups", "position", "term", "status",
                "messages", "sources", "first_seen", "last_seen", "spf_aligned_messages", "lookups", "service", "names"), rows,
                Format.CSV);
    }

    private static void json(List<SpfInventory.Domain> domains, PrintWriter out) {
        List<Object> list = new ArrayList<>();
        for (SpfInventory.Domain d : domains) {
            SpfAudit.Result a = d.audit();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("domain", a.domain());
            m.put("record", a.record());
            m.put("verdict", a.verdict().word());
            m.put("reason", a.reason());
            m.put("lookups", a.lookups());
            m.put("void_lookups", a.voidLookups());
            m.put("messages", d.messages());
            m.put("sources", d.sources());
            m.put("days", d.days());
            List<Object> findings = new ArrayList<>();
            for (SpfAudit.Finding f : a.findings()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("kind", f.kind());
                x.put("domain", f.domain());
                x.put("text", f.text());
                findings.add(x);
            }
            m.put("findings", findings);
            List<Object> terms = new ArrayList<>();
            for (SpfInventory.Term t : d.terms()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("position", t.position());
                x.put("term", t.term());
                x.put("status", t.status());
                x.put("messages", t.messages());
                x.put("sources", t.sources());
                x.put("first_seen", t.firstSeen());
                x.put("last_seen", t.lastSeen());
                x.put("spf_aligned_messages", t.spfAlignedMessages());
                x.put("lookups", t.lookups());
                x.put("service", t.service());
                x.put("names", t.names());
                terms.add(x);
            }
            m.put("terms", terms);
            List<Object> unmatched = new ArrayList<>();
            for (SpfInventory.Unmatched u : d.unmatched()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("source_ip", u.sourceIp());
                x.put("system", u.system());
                x.put("messages", u.messages());
                x.put("result", u.result());
                x.put("reported_result", u.reported());
                x.put("problem", u.problem());
                unmatched.add(x);
            }
            m.put("unmatched", unmatched);
            m.put("unmatched_sources", d.unmatchedSources());
            m.put("unmatched_messages", d.unmatchedMessages());
            m.put("disagreements", d.disagreements());
            m.put("disagreement_causes", d.disagreementCauses());
            list.add(m);
        }
        ResultPrinter.printJson(out, list);
    }
}
