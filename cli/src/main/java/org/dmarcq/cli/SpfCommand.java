package org.dmarcq.cli;

import java.io.PrintWriter;
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
import org.dmarcq.store.Store;
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
        subcommands = {SpfCommand.WhatIf.class, SpfCommand.Suggest.class},
        footer = {"",
                "Exit status: 0, also when a record has findings; 1 when the scope has no reports.",
                "",
                "Examples:",
                "  dmarcq spf --domain example.com",
                "  # try a record before publishing it:",
                "  dmarcq spf --zone proposed.zone",
                "  # no lookups: the records as the last run kept them:",
                "  dmarcq spf --offline",
                "  # what would break if a term went:",
                "  dmarcq spf whatif --domain example.com --remove ip4:192.0.2.10",
                "  dmarcq spf suggest --domain example.com"})
final class SpfCommand implements Callable<Integer> {
    @Mixin NamingOptions namingOptions;
    @Mixin ScopeOptions scope;
    @Mixin OutputOptions output;

    @Mixin SpfOptions spf;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Scope asked = scope.toScope();
        SpfDns zone = spf.zone();
        SpfOptions.Answers answers;
        List<SpfInventory.Domain> domains;
        List<SpfAudit.Result> audits;
        try (Store store = namingOptions.open(asked, err)) {
            answers = spf.answers(zone, store, namingOptions.dns);
            audits = SpfInventory.audit(SpfInventory.domains(store, asked), answers.dns());
            domains = SpfInventory.run(store, asked, audits, answers.dns(), answers.earlier(), namingOptions.classes(),
                    namingOptions.naming());
        }
        SpfOptions.keep(answers, audits, namingOptions, err);
        switch (output.format) {
            case JSON -> json(domains, out);
            case CSV -> csv(domains, out);
            case TABLE -> table(domains, answers.source(), out);
        }
        return 0;
    }

    private static void table(List<SpfInventory.Domain> domains, String source, PrintWriter out) {
        Lines.println(out, "SPF records from " + source + ".");
        for (SpfInventory.Domain d : domains) {
            SpfAudit.Result a = d.audit();
            out.println();
            Lines.printf(out, "%s: %s: %s%n", a.domain(), a.verdict().word(), a.reason().endsWith(".") ? a.reason() : a.reason() + ".");
            if (a.record() != null) {
                Lines.println(out, "  " + a.record());
            }
            if (d.previous() != null && d.previous().changed()) {
                Lines.printf(out, "  Changed: the records looked up on %s had %s.%n", SendersCommand.day(d.previous().takenAt()),
                        d.previous().record() == null ? "no SPF record for it" : "\"" + d.previous().record() + "\"");
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
                for (SpfInventory.SourceResult u : d.unmatched().subList(0, Math.min(5, d.unmatched().size()))) {
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
            printFindings(a, List.of("too-many-lookups"), out);
            for (SpfInventory.Term t : d.terms()) {
                if (t.status().equals("unused") && d.days() > 0) {
                    Lines.printf(out, "  - %s carried no mail over %,d %s of reports%s%s%n", t.term(), d.days(),
                            d.days() == 1 ? "day" : "days", d.days() < 30 ? " (a short period: weak evidence that it is unused)" : "",
                            t.earlier() == null ? "" : String.format(Locale.ROOT, "; under the records looked up on %s it passed %,d %s"
                                    + " (%,d messages: %s): has the service behind it moved?", SendersCommand.day(t.earlier().takenAt()),
                                    t.earlier().sources(), t.earlier().sources() == 1 ? "source" : "sources", t.earlier().messages(),
                                    String.join(", ", t.earlier().names())));
                }
            }
        }
        out.flush();
    }

    /** The audit's findings as lines under its domain, those of the given kinds left out (said elsewhere). */
    private static void printFindings(SpfAudit.Result audit, List<String> saidElsewhere, PrintWriter out) {
        for (SpfAudit.Finding f : audit.findings()) {
            if (!saidElsewhere.contains(f.kind())) {
                Lines.println(out, "  - " + (f.domain().equals(audit.domain()) ? "" : f.domain() + ": ") + f.text());
            }
        }
    }

    /** The audit's findings in JSON: {@code kind}, {@code domain}, {@code text}. */
    private static List<Map<String, Object>> findings(SpfAudit.Result audit) {
        List<Map<String, Object>> findings = new ArrayList<>();
        for (SpfAudit.Finding f : audit.findings()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("kind", f.kind());
            x.put("domain", f.domain());
            x.put("text", f.text());
            findings.add(x);
        }
        return findings;
    }

    private static Map<String, Object> source(SpfInventory.SourceResult u) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("source_ip", u.sourceIp());
        x.put("system", u.system());
        x.put("messages", u.messages());
        x.put("result", u.result());
        x.put("reported_result", u.reported());
        x.put("problem", u.problem());
        return x;
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

    private static void csv(List<SpfInventory.Domain> domains, PrintWriter out) {
        List<Object[]> rows = new ArrayList<>();
        for (SpfInventory.Domain d : domains) {
            if (d.terms().isEmpty()) { // no record, or one that cannot be read: the domain still gets its row
                rows.add(new Object[] {d.audit().domain(), d.audit().verdict().word(), d.audit().lookups(), null, null, null,
                        d.messages(), d.sources(), null, null, null, null, null, List.of()});
            }
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
            m.put("previous_record", d.previous() == null ? null : d.previous().record());
            m.put("previous_taken_at", d.previous() == null ? null : d.previous().takenAt());
            m.put("changed", d.previous() == null ? null : d.previous().changed());
            m.put("findings", findings(a));
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
                if (t.earlier() == null) {
                    x.put("earlier", null);
                } else {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("taken_at", t.earlier().takenAt());
                    e.put("sources", t.earlier().sources());
                    e.put("messages", t.earlier().messages());
                    e.put("names", t.earlier().names());
                    x.put("earlier", e);
                }
                terms.add(x);
            }
            m.put("terms", terms);
            List<Map<String, Object>> unmatched = d.unmatched().stream().map(SpfCommand::source).toList();
            m.put("unmatched", unmatched);
            m.put("unmatched_sources", d.unmatchedSources());
            m.put("unmatched_messages", d.unmatchedMessages());
            m.put("disagreements", d.disagreements());
            m.put("disagreement_causes", d.disagreementCauses());
            m.put("disagreeing", d.disagreeing().stream().map(SpfCommand::source).toList());
            list.add(m);
        }
        ResultPrinter.printJson(out, list);
    }

    /** The domain a what-if is about: {@code --domain}, or the only policy domain of the store. */
    static String domainOf(ScopeOptions scope, Store store) {
        Scope asked = scope.toScope();
        if (asked.domain() != null) {
            return asked.domain();
        }
        List<String> policyDomains = SpfInventory.policyDomains(store);
        if (policyDomains.size() == 1) {
            return policyDomains.get(0);
        }
        throw UserException.usage("--domain DOMAIN: which domain's SPF record (the reports are for " + String.join(", ", policyDomains)
                + ")");
    }

    /** The mail a what-if judges: every policy domain's mail with the record's domain as SPF domain, in the period asked. */
    static Scope mailScope(ScopeOptions scope) {
        Scope asked = scope.toScope();
        return new Scope(null, asked.since(), asked.until());
    }

    @Command(name = "whatif",
            description = {"What would stop passing SPF if the record changed: give the terms to remove, or the whole new record.",
                    "Every source that sent with the domain as SPF domain is evaluated against the record as it is and as"
                            + " proposed. For those that would stop passing: their messages, and of them those that would then"
                            + " fail DMARC because they have no aligned DKIM signature: the difference between a harmless"
                            + " cleanup and the next rollback. Also the DNS lookups the proposed record needs."},
            mixinStandardHelpOptions = true,
            footer = {"",
                    "Examples:",
                    "  dmarcq spf whatif --domain example.com --remove ip4:192.0.2.10",
                    "  # several terms at once, or a whole new record:",
                    "  dmarcq spf whatif --remove ip4:192.0.2.10 --remove mx",
                    "  dmarcq spf whatif --record \"v=spf1 include:_spf.google.com -all\""})
    static final class WhatIf implements Callable<Integer> {
        @Mixin NamingOptions namingOptions;
        @Mixin ScopeOptions scope;
        @Mixin OutputOptions output;
        @Mixin SpfOptions spf;

        @Option(names = "--remove", paramLabel = "TERM", description = "A term of the record to remove, as written in it (repeatable).")
        List<String> remove;

        @Option(names = "--record", paramLabel = "TEXT", description = "The whole proposed record, \"v=spf1 ...\".")
        String record;

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            boolean removing = remove != null && !remove.isEmpty();
            if (removing && record != null) {
                throw UserException.usage("spf whatif: give --remove TERM (repeatable) or --record TEXT, not both");
            }
            if (!removing && record == null) {
                throw UserException.usage("spf whatif: say what changes: --remove TERM (repeatable), or --record TEXT for a whole record");
            }
            if (record != null) {
                try {
                    org.dmarcq.spf.SpfRecord.parse(record.strip());
                } catch (org.dmarcq.spf.SpfSyntaxException e) {
                    throw UserException.usage("--record: " + e.getMessage());
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            SpfDns zone = spf.zone();
            SpfOptions.Answers answers;
            SpfInventory.WhatIf result;
            SpfAudit.Result current;
            try (Store store = namingOptions.open(mailScope(scope), err)) {
                String domain = domainOf(scope, store);
                answers = spf.answers(zone, store, namingOptions.dns);
                current = new SpfAudit(answers.dns()).audit(domain);
                String proposed = record != null ? record.strip() : removed(current, remove);
                result = SpfInventory.whatIf(store, mailScope(scope), domain, proposed, answers.dns(), namingOptions.classes(),
                        namingOptions.naming());
            }
            SpfOptions.keep(answers, List.of(current), namingOptions, err);
            print(result, current, remove == null ? "the proposed record" : "removing " + String.join(" and ", remove), output.format,
                    out);
            return 0;
        }
    }

    /** The record without the given terms; a term it does not hold is a usage error that lists those it does. */
    static String removed(SpfAudit.Result current, List<String> remove) {
        if (current.record() == null) {
            throw new UserException(current.domain() + " has no SPF record to remove terms from (" + current.reason()
                    + "); give the whole record with --record");
        }
        List<String> kept = new ArrayList<>();
        List<String> left = new ArrayList<>(remove);
        for (String term : current.record().substring(6).strip().split(" +")) {
            if (left.removeIf(r -> r.strip().equalsIgnoreCase(term))) {
                continue;
            }
            kept.add(term);
        }
        if (!left.isEmpty()) {
            throw UserException.usage("--remove " + String.join(", ", left) + ": not a term of " + current.domain()
                    + "'s record; its terms: " + current.record().substring(6).strip());
        }
        return ("v=spf1 " + String.join(" ", kept)).strip();
    }

    @Command(name = "suggest",
            description = {"A cleaned SPF record to start from: the terms that carried no mail in the period removed, and address"
                    + " ranges already covered by another term dropped, with its DNS lookups and what it would break."},
            mixinStandardHelpOptions = true,
            footer = {"",
                    "Examples:",
                    "  dmarcq spf suggest --domain example.com",
                    "  dmarcq spf suggest --domain example.com --since 2026-09-01"})
    static final class Suggest implements Callable<Integer> {
        @Mixin NamingOptions namingOptions;
        @Mixin ScopeOptions scope;
        @Mixin OutputOptions output;
        @Mixin SpfOptions spf;

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            SpfDns zone = spf.zone();
            SpfOptions.Answers answers;
            SpfInventory.WhatIf result;
            SpfInventory.Domain inventory;
            List<String> dropped;
            try (Store store = namingOptions.open(mailScope(scope), err)) {
                String domain = domainOf(scope, store);
                answers = spf.answers(zone, store, namingOptions.dns);
                List<SpfAudit.Result> audits = SpfInventory.audit(List.of(domain), answers.dns());
                inventory = SpfInventory.run(store, mailScope(scope), audits, answers.dns(), namingOptions.classes(),
                        namingOptions.naming()).get(0);
                if (inventory.audit().record() == null) {
                    throw new UserException(domain + ": " + inventory.audit().reason() + "; nothing to clean");
                }
                dropped = SpfInventory.removable(inventory);
                String proposed = dropped.isEmpty() ? inventory.audit().record() : removed(inventory.audit(), dropped);
                result = SpfInventory.whatIf(store, mailScope(scope), domain, proposed, answers.dns(), namingOptions.classes(),
                        namingOptions.naming());
            }
            SpfOptions.keep(answers, List.of(inventory.audit()), namingOptions, err);
            if (output.format == Format.TABLE && dropped.isEmpty()) {
                Lines.printf(out, "%s: every term carried mail over %,d %s of reports and no range repeats another: nothing to"
                        + " remove.%n", inventory.audit().domain(), inventory.days(), inventory.days() == 1 ? "day" : "days");
                out.flush();
                return 0;
            }
            print(result, inventory.audit(), dropped.isEmpty() ? "the record as it is" : "removing " + String.join(" and ", dropped),
                    output.format, out);
            return 0;
        }
    }

    private static void print(SpfInventory.WhatIf r, SpfAudit.Result current, String change, Format format, PrintWriter out) {
        SpfAudit.Result p = r.proposed();
        if (format == Format.JSON) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("domain", r.domain());
            m.put("current_record", r.currentRecord());
            m.put("record", p.record());
            m.put("verdict", p.verdict().word());
            m.put("reason", p.reason());
            m.put("lookups", p.lookups());
            m.put("current_lookups", current.lookups());
            m.put("days", r.days());
            m.put("spf_fail_messages", r.spfFailMessages());
            m.put("dmarc_fail_messages", r.dmarcFailMessages());
            List<Object> senders = new ArrayList<>();
            for (SpfInventory.Affected a : r.lost()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("source_ip", a.sourceIp());
                x.put("system", a.system());
                x.put("messages", a.messages());
                x.put("dmarc_fail_messages", a.dmarcFailMessages());
                x.put("messages_per_day", Math.round(a.messagesPerDay() * 10) / 10.0);
                x.put("term_now", a.termNow());
                x.put("result_now", a.resultNow());
                x.put("result_proposed", a.resultProposed());
                senders.add(x);
            }
            m.put("senders", senders);
            m.put("gained_sources", r.gainedSources());
            m.put("gained_messages", r.gainedMessages());
            m.put("findings", findings(p));
            ResultPrinter.printJson(out, m);
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        for (SpfInventory.Affected a : r.lost()) {
            rows.add(new Object[] {a.sourceIp(), a.system(), a.messages(), a.dmarcFailMessages(), Math.round(a.messagesPerDay() * 10) / 10.0,
                    a.termNow(), a.resultProposed()});
        }
        List<String> columns = List.of("source_ip", "system", "messages", "dmarc_fail", "per_day", "passes_now_by", "proposed");
        if (format == Format.CSV) {
            new ResultPrinter(out, Integer.MAX_VALUE).print(columns, rows, Format.CSV);
            return;
        }
        Lines.printf(out, "%s, %s:%n", r.domain(), change);
        Lines.println(out, "  " + p.record());
        Lines.printf(out, "  %s: %s (now %d).%n", p.verdict().word(), p.reason(), current.lookups());
        boolean sound = p.verdict() == SpfAudit.Verdict.VALID || p.verdict() == SpfAudit.Verdict.VALID_NEAR_LIMIT;
        for (SpfAudit.Finding f : p.findings()) {
            if (f.kind().equals("pass-all") || f.kind().equals("wide-range")) {
                sound = false;
                Lines.println(out, "  Warning: " + f.text() + ".");
            }
        }
        if (r.lost().isEmpty() && !sound) {
            Lines.printf(out, "  Nothing that passes SPF now would stop passing, over %,d %s of reports, but the proposed record"
                    + " is no fix: see above.%n", r.days(), r.days() == 1 ? "day" : "days");
        } else if (r.lost().isEmpty()) {
            Lines.printf(out, "  Nothing that passes SPF now would stop passing, over %,d %s of reports: a harmless change.%n",
                    r.days(), r.days() == 1 ? "day" : "days");
        } else {
            long sources = r.lost().size();
            Lines.printf(out, "  Would stop passing SPF: %,d %s from %,d %s over %,d %s of reports; %,d of them would then fail"
                            + " DMARC (no aligned DKIM signature).%n", r.spfFailMessages(), r.spfFailMessages() == 1 ? "message" : "messages",
                    sources, sources == 1 ? "source" : "sources", r.days(), r.days() == 1 ? "day" : "days", r.dmarcFailMessages());
            ResultPrinter.forCommand(out).dropFirst("per_day", "proposed", "passes_now_by").print(columns, rows, Format.TABLE);
            if (r.dmarcFailMessages() == 0) {
                Lines.println(out, "  Their mail has aligned DKIM: DMARC still passes, but SPF is their second way to pass.");
            }
        }
        if (r.gainedSources() > 0) {
            Lines.printf(out, "  Would start passing SPF: %,d %s, %,d %s.%n", r.gainedSources(), r.gainedSources() == 1 ? "source" : "sources",
                    r.gainedMessages(), r.gainedMessages() == 1 ? "message" : "messages");
        }
        printFindings(p, List.of("too-many-lookups", "pass-all", "wide-range"), out);
        out.flush();
    }
}
