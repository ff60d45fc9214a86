package org.dmarcq.spf;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.dmarcq.identity.AddressRange;
import org.dmarcq.spf.SpfRecord.Directive;
import org.dmarcq.spf.SpfRecord.Mechanism;
import org.dmarcq.spf.SpfRecord.Qualifier;

/**
 * A domain's SPF record checked against RFC 7208 without an address: the whole
 * {@code include}/{@code redirect} tree expanded, the DNS-querying terms counted as the worst case
 * (every branch taken; terms after {@code all} and a {@code redirect} beside {@code all} never
 * are), void lookups, {@code mx} and {@code ptr} caps, risky terms, and address ranges given twice.
 */
public final class SpfAudit {
    /** Shorter prefixes than these authorise a large part of the internet rather than someone's servers. */
    static final int WIDE_IP4 = 8;
    static final int WIDE_IP6 = 16;

    /** At this many DNS-querying terms a record is near the limit of ten. */
    static final int NEAR_LIMIT = 8;

    public enum Verdict {
        VALID, VALID_NEAR_LIMIT, PERMERROR, TEMPERROR, NONE;

        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * One thing the audit found: its kind (a stable word), the domain whose record holds it, what it
     * means, and the term it is about, as written, where it is about one term of that record (else null).
     */
    public record Finding(String kind, String domain, String text, String term) {
        Finding(String kind, String domain, String text) {
            this(kind, domain, text, null);
        }
    }

    /**
     * A term of the domain's own record: the DNS-querying terms it costs, itself and its tree
     * included, and the place of its first and last in the worst-case count (0 when it costs none).
     */
    public record TopTerm(int position, String term, int lookups, int firstLookup, int lastLookup) {}

    /** The audit of one domain: its record (null without one), the verdict and why, and the counts. */
    public record Result(String domain, String record, Verdict verdict, String reason, int lookups, int voidLookups,
                         List<Finding> findings, List<TopTerm> terms) {
        public Result {
            findings = List.copyOf(findings);
            terms = List.copyOf(terms);
        }
    }

    private final SpfDns dns;

    public SpfAudit(SpfDns dns) {
        this.dns = dns;
    }

    /** A range and the term that gave it, for duplicates and overlaps. */
    private record Range(String domain, String term, String network, int bits) {}

    private final class Walk {
        final List<Finding> findings = new ArrayList<>();
        final List<Range> ranges = new ArrayList<>();
        int lookups;
        int voids;
        boolean temperror;
        boolean permerror;

        void permerror(String kind, String domain, String text) {
            permerror = true;
            findings.add(new Finding(kind, domain, text));
        }
    }

    public Result audit(String domain) {
        String d = CheckHost.normal(domain);
        Walk walk = new Walk();
        SpfDns.Answer txt = dns.lookup(d, SpfDns.Type.TXT);
        SpfRecord record;
        try {
            record = CheckHost.select(txt, d);
        } catch (CheckHost.Unavailable e) {
            return new Result(d, null, Verdict.TEMPERROR, e.getMessage(), 0, 0, List.of(new Finding("dns-error", d, e.getMessage())),
                    List.of());
        } catch (SpfSyntaxException e) {
            List<String> published = txt.values().stream().filter(SpfRecord::isSpf).toList();
            Finding finding = published.size() > 1
                    ? new Finding("multiple-records", d, e.getMessage() + ": \"" + String.join("\" and \"", published)
                            + "\"; receivers get permerror until one is left")
                    : new Finding("syntax", d, e.getMessage());
            return new Result(d, published.isEmpty() ? null : published.get(0), Verdict.PERMERROR, e.getMessage(), 0, 0,
                    List.of(finding), List.of());
        }
        if (record == null) {
            return new Result(d, null, Verdict.NONE, d + " publishes no SPF record: receivers get none for mail from it", 0, 0,
                    List.of(), List.of());
        }
        if (record.text().length() > 255) {
            walk.findings.add(new Finding("long-record", d, "the record is " + record.text().length()
                    + " characters: DNS holds it as strings of at most 255 each (check that it is published so), and a long"
                    + " answer may not fit a UDP packet, which some receivers then fail to fetch"));
        }
        List<TopTerm> terms = new ArrayList<>();
        Set<String> path = new LinkedHashSet<>(List.of(d));
        int position = 0;
        boolean afterAll = false;
        for (SpfRecord.Term t : record.terms()) {
            position++;
            if (afterAll && t instanceof Directive) {
                walk.findings.add(new Finding("after-all", d, "'" + t.text() + "' comes after 'all' and is never evaluated"));
                terms.add(new TopTerm(position, t.text(), 0, 0, 0));
                continue;
            }
            int before = walk.lookups;
            if (t instanceof Directive directive) {
                term(directive, d, walk, path);
                afterAll = directive.mechanism() == Mechanism.ALL;
            } else if (t instanceof SpfRecord.Modifier m && m.name().equals("redirect")) {
                if (record.hasAll()) {
                    walk.findings.add(new Finding("redirect-with-all", d, "'" + t.text() + "' is ignored: the record has 'all'"));
                } else {
                    walk.lookups++;
                    target(m.value(), d, "redirect", walk, path);
                }
            }
            int cost = walk.lookups - before;
            terms.add(new TopTerm(position, t.text(), cost, cost == 0 ? 0 : before + 1, cost == 0 ? 0 : walk.lookups));
        }
        overlaps(walk);
        Verdict verdict;
        String reason;
        if (walk.lookups > CheckHost.MAX_LOOKUPS) {
            verdict = Verdict.PERMERROR;
            reason = "needs " + walk.lookups + " DNS lookups in the worst case; " + CheckHost.MAX_LOOKUPS
                    + " are allowed, so mail whose address is not matched before the limit gets permerror";
            walk.findings.add(new Finding("too-many-lookups", d, reason + ": " + beyond(terms)));
        } else if (walk.voids > CheckHost.MAX_VOID_LOOKUPS) {
            verdict = Verdict.PERMERROR;
            reason = walk.voids + " of its lookups find nothing (void lookups; " + CheckHost.MAX_VOID_LOOKUPS
                    + " are allowed): mail that reaches the third gets permerror";
        } else if (walk.permerror) {
            verdict = Verdict.PERMERROR;
            reason = "part of its tree cannot be evaluated: " + walk.findings.stream().filter(f -> isError(f.kind()))
                    .map(Finding::text).findFirst().orElse("see the findings");
        } else if (walk.temperror) {
            verdict = Verdict.TEMPERROR;
            reason = "a DNS lookup of its tree failed: " + walk.findings.stream().filter(f -> f.kind().equals("dns-error"))
                    .map(Finding::text).findFirst().orElse("");
        } else if (walk.lookups >= NEAR_LIMIT) {
            verdict = Verdict.VALID_NEAR_LIMIT;
            reason = walk.lookups + " of the " + CheckHost.MAX_LOOKUPS + " DNS lookups allowed: one more include may break it";
        } else {
            verdict = Verdict.VALID;
            reason = walk.lookups + " of the " + CheckHost.MAX_LOOKUPS + " DNS lookups allowed";
        }
        if (walk.voids > 0 && walk.voids <= CheckHost.MAX_VOID_LOOKUPS) {
            walk.findings.add(new Finding("void-lookups", d, walk.voids + (walk.voids == 1 ? " lookup of the tree finds"
                    : " lookups of the tree find") + " nothing (at most " + CheckHost.MAX_VOID_LOOKUPS + " are allowed)"));
        }
        return new Result(d, record.text(), verdict, reason, walk.lookups, walk.voids, walk.findings, terms);
    }

    private static boolean isError(String kind) {
        return kind.equals("include-without-record") || kind.equals("syntax") || kind.equals("multiple-records")
                || kind.equals("include-loop") || kind.equals("mx-too-many");
    }

    /** Which top-level terms lie, wholly or partly, past the tenth lookup. */
    private static String beyond(List<TopTerm> terms) {
        List<String> past = new ArrayList<>();
        for (TopTerm t : terms) {
            if (t.lastLookup() > CheckHost.MAX_LOOKUPS) {
                past.add(t.term() + " (lookups " + t.firstLookup() + (t.lastLookup() > t.firstLookup() ? "-" + t.lastLookup() : "")
                        + ")");
            }
        }
        return "past the limit: " + String.join(", ", past);
    }

    private void term(Directive t, String domain, Walk walk, Set<String> path) {
        if (t.mechanism().queriesDns()) {
            walk.lookups++;
        }
        if (t.mechanism() == Mechanism.ALL && path.size() == 1) {
            if (t.qualifier() == Qualifier.PASS) {
                walk.findings.add(new Finding("pass-all", domain, "'" + t.text() + "' authorises every address on the internet"));
            } else if (t.qualifier() == Qualifier.NEUTRAL) {
                walk.findings.add(new Finding("neutral-all", domain, "'" + t.text()
                        + "' says nothing about other addresses: it protects nothing"));
            }
        }
        switch (t.mechanism()) {
            case IP4, IP6 -> {
                int bits = t.mechanism() == Mechanism.IP4 ? t.cidr4() : t.cidr6();
                walk.ranges.add(new Range(domain, t.text(), t.network(), bits));
                if (t.qualifier() == Qualifier.PASS && bits < (t.mechanism() == Mechanism.IP4 ? WIDE_IP4 : WIDE_IP6)) {
                    walk.findings.add(new Finding("wide-range", domain, "'" + t.text() + "' authorises a /" + bits
                            + " network: a large part of the internet, not a sender's addresses"));
                }
            }
            case INCLUDE -> target(t.domainSpec(), domain, t.text(), walk, path);
            case PTR -> walk.findings.add(new Finding("ptr", domain, "'" + t.text()
                    + "' is slow and unreliable (RFC 7208 says it SHOULD NOT be used): list the addresses instead"));
            case A, MX -> {
                if (t.domainSpec() != null && t.domainSpec().contains("%")) {
                    return;
                }
                String name = t.domainSpec() == null ? domain : CheckHost.normal(t.domainSpec());
                if (t.mechanism() == Mechanism.A) {
                    SpfDns.Answer a = dns.lookup(name, SpfDns.Type.A);
                    SpfDns.Answer aaaa = dns.lookup(name, SpfDns.Type.AAAA);
                    if (a.status() == SpfDns.Status.ERROR || aaaa.status() == SpfDns.Status.ERROR) {
                        walk.temperror = true;
                        walk.findings.add(new Finding("dns-error", domain, "'" + t.text() + "': lookup of " + name + " failed"));
                    } else if (a.isVoid() && aaaa.isVoid()) {
                        walk.voids++;
                        walk.findings.add(new Finding("void", domain, "'" + t.text() + "': " + name + " has no addresses"));
                    }
                    return;
                }
                SpfDns.Answer mx = dns.lookup(name, SpfDns.Type.MX);
                if (mx.status() == SpfDns.Status.ERROR) {
                    walk.temperror = true;
                    walk.findings.add(new Finding("dns-error", domain, "'" + t.text() + "': MX lookup of " + name + " failed"));
                } else if (mx.isVoid()) {
                    walk.voids++;
                    walk.findings.add(new Finding("void", domain, "'" + t.text() + "': " + name + " has no MX records"));
                } else if (mx.values().size() > CheckHost.MAX_NAMES) {
                    walk.permerror("mx-too-many", domain, "'" + t.text() + "': " + name + " has " + mx.values().size()
                            + " MX hosts; at most " + CheckHost.MAX_NAMES + " may be looked up (permerror)");
                } else {
                    for (String host : mx.values()) {
                        dns.lookup(host, SpfDns.Type.A);
                        dns.lookup(host, SpfDns.Type.AAAA);
                    }
                }
            }
            default -> {
            }
        }
    }

    /** Walks the record of an include or redirect target. */
    private void target(String spec, String domain, String term, Walk walk, Set<String> path) {
        if (spec.contains("%")) {
            walk.findings.add(new Finding("macro", domain, "'" + term + "' depends on each message (a macro): not expanded here"));
            return;
        }
        String target = CheckHost.normal(spec);
        if (path.contains(target)) {
            walk.permerror("include-loop", domain, "'" + term + "' leads back to " + target + ": a loop, permerror for"
                    + " every address it reaches");
            return;
        }
        SpfDns.Answer txt = dns.lookup(target, SpfDns.Type.TXT);
        if (txt.isVoid()) {
            walk.voids++;
        }
        SpfRecord record;
        try {
            record = CheckHost.select(txt, target);
        } catch (CheckHost.Unavailable e) {
            walk.temperror = true;
            walk.findings.add(new Finding("dns-error", domain, "'" + term + "': " + e.getMessage()));
            return;
        } catch (SpfSyntaxException e) {
            walk.permerror("syntax", target, "'" + term + "' in " + domain + ": " + e.getMessage());
            return;
        }
        if (record == null) {
            walk.permerror("include-without-record", domain, "'" + term + "': " + target
                    + " has no SPF record: permerror for every address that reaches it");
            return;
        }
        path.add(target);
        boolean afterAll = false;
        for (Directive d : record.directives()) {
            if (afterAll) {
                walk.findings.add(new Finding("after-all", target, "'" + d.text() + "' comes after 'all' and is never evaluated"));
                continue;
            }
            term(d, target, walk, path);
            afterAll = d.mechanism() == Mechanism.ALL;
        }
        String redirect = record.redirect();
        if (redirect != null) {
            if (record.hasAll()) {
                walk.findings.add(new Finding("redirect-with-all", target, "'redirect=" + redirect + "' is ignored: the record has 'all'"));
            } else {
                walk.lookups++;
                target(redirect, target, "redirect=" + redirect, walk, path);
            }
        }
        path.remove(target);
    }

    /** Ranges compared pairwise for repeats at most: a tree of more is said to be too large to compare. */
    static final int MAX_COMPARED_RANGES = 2_000;

    /** Ranges given twice, or inside another range of the tree. */
    private static void overlaps(Walk walk) {
        List<Range> ranges = walk.ranges;
        if (ranges.size() > MAX_COMPARED_RANGES) {
            walk.findings.add(new Finding("many-ranges", ranges.get(0).domain(), "the tree holds " + ranges.size()
                    + " address ranges; repeated ranges are looked for among at most " + MAX_COMPARED_RANGES));
            ranges = ranges.subList(0, MAX_COMPARED_RANGES);
        }
        List<byte[]> networks = new ArrayList<>(ranges.size());
        for (Range r : ranges) {
            networks.add(AddressRange.bytes(r.network()));
        }
        Set<String> said = new HashSet<>();
        for (int i = 0; i < ranges.size(); i++) {
            Range inner = ranges.get(i);
            byte[] innerNet = networks.get(i);
            for (int j = 0; j < ranges.size(); j++) {
                Range outer = ranges.get(j);
                byte[] outerNet = networks.get(j);
                if (i == j || outer.bits() > inner.bits() || outerNet == null || innerNet == null || outerNet.length != innerNet.length) {
                    continue;
                }
                boolean same = outer.bits() == inner.bits();
                if (same && j > i) {
                    continue; // said once, at the later of the two
                }
                if (new AddressRange(outerNet, outer.bits()).contains(innerNet) && said.add(inner.domain() + " " + inner.term())) {
                    walk.findings.add(new Finding(same ? "duplicate-range" : "covered-range", inner.domain(), "'" + inner.term() + "' "
                            + (same ? "repeats" : "is inside") + " '" + outer.term() + "'"
                            + (outer.domain().equals(inner.domain()) ? "" : " of " + outer.domain()), inner.term()));
                }
            }
        }
    }
}
