package org.dmarcq.spf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.dmarcq.identity.AddressRange;
import org.dmarcq.rules.DomainNames;
import org.dmarcq.rules.PublicSuffixList;
import org.dmarcq.spf.SpfRecord.Directive;
import org.dmarcq.spf.SpfRecord.Mechanism;
import org.dmarcq.spf.SpfRecord.Qualifier;

/**
 * The fast path of attribution: a record that is only address ranges in the end ({@code ip4},
 * {@code ip6}, {@code a} and {@code mx} without macros, and includes of such records), every
 * mechanism {@code +} but a last {@code all}, within the limits, passes an address exactly when
 * one of its ranges holds it, and the first top-level term whose ranges hold it decides. Such a
 * record becomes a list of ranges, each with its top-level term, that SQL can join to every
 * address at once; any other record is left to {@link CheckHost}.
 */
public final class SpfRanges {
    private SpfRanges() {}

    /** A range of a top-level term, {@code position} counting the record's terms from 1. */
    public record Range(int position, String term, AddressRange range) {}

    /**
     * The ranges of the audited domain's record in order, or empty when its record is not of that
     * shape; {@code audit} is of the same answers.
     */
    public static Optional<List<Range>> of(SpfDns dns, SpfAudit.Result audit) {
        if (audit.verdict() != SpfAudit.Verdict.VALID && audit.verdict() != SpfAudit.Verdict.VALID_NEAR_LIMIT) {
            return Optional.empty();
        }
        String domain = audit.domain();
        SpfRecord record = record(dns, domain);
        if (record == null || record.redirect() != null) {
            return Optional.empty();
        }
        List<Range> ranges = new ArrayList<>();
        int position = 0;
        List<Directive> directives = record.directives();
        for (SpfRecord.Term t : record.terms()) {
            position++;
            if (!(t instanceof Directive d)) {
                continue;
            }
            if (d.mechanism() == Mechanism.ALL) {
                if (d != directives.get(directives.size() - 1) || d.qualifier() == Qualifier.PASS) {
                    return Optional.empty();
                }
                break;
            }
            List<AddressRange> under = new ArrayList<>();
            if (d.qualifier() != Qualifier.PASS || !collect(dns, d, domain, under, 0)) {
                return Optional.empty();
            }
            for (AddressRange r : under) {
                ranges.add(new Range(position, d.text(), r));
            }
        }
        return Optional.of(ranges);
    }

    /**
     * Whether a top-level term of a domain's SPF record is the owner's own: an address range, or
     * an {@code a}, {@code mx}, {@code include} or {@code redirect} of a name under the domain's
     * organizational domain. A shared service's include authorises all its customers, forgers
     * with an account among them: that is no evidence whose the mail is.
     */
    public static boolean ownTerm(String term, String domain, PublicSuffixList suffixes) {
        String t = term.toLowerCase(Locale.ROOT).replaceFirst("^[-+~?]", "");
        if (t.startsWith("ip4:") || t.startsWith("ip6:") || t.equals("a") || t.equals("mx") || t.startsWith("a/")
                || t.startsWith("mx/")) {
            return true;
        }
        String target = t.startsWith("include:") ? t.substring(8) : t.startsWith("redirect=") ? t.substring(9)
                : t.startsWith("a:") || t.startsWith("mx:") ? t.substring(t.indexOf(':') + 1).replaceFirst("/.*$", "") : null;
        if (target == null || target.contains("%")) {
            return false;
        }
        String ownName = DomainNames.toAscii(domain);
        String targetName = DomainNames.toAscii(target);
        if (ownName == null || targetName == null) {
            return false;
        }
        String own = suffixes.organizationalDomain(ownName);
        return own != null && own.equals(suffixes.organizationalDomain(targetName));
    }

    private static SpfRecord record(SpfDns dns, String domain) {
        try {
            return CheckHost.select(dns.lookup(domain, SpfDns.Type.TXT), domain);
        } catch (SpfSyntaxException | CheckHost.Unavailable e) {
            return null;
        }
    }

    /** Adds the ranges a directive stands for; false when it is not of the shape. */
    private static boolean collect(SpfDns dns, Directive d, String domain, List<AddressRange> into, int depth) {
        if (depth > CheckHost.MAX_LOOKUPS || (d.domainSpec() != null && d.domainSpec().contains("%"))) {
            return false;
        }
        switch (d.mechanism()) {
            case IP4, IP6 -> {
                into.add(d.range());
                return true;
            }
            case A -> {
                return addresses(dns, d.domainSpec() == null ? domain : CheckHost.normal(d.domainSpec()), d, into);
            }
            case MX -> {
                SpfDns.Answer mx = dns.lookup(d.domainSpec() == null ? domain : CheckHost.normal(d.domainSpec()), SpfDns.Type.MX);
                if (mx.status() == SpfDns.Status.ERROR || mx.values().size() > CheckHost.MAX_NAMES) {
                    return false;
                }
                for (String host : mx.values()) {
                    if (!addresses(dns, host, d, into)) {
                        return false;
                    }
                }
                return true;
            }
            case INCLUDE -> {
                SpfRecord child = record(dns, CheckHost.normal(d.domainSpec()));
                if (child == null || child.redirect() != null) {
                    return false;
                }
                List<Directive> directives = child.directives();
                for (Directive c : directives) {
                    if (c.mechanism() == Mechanism.ALL) {
                        // a pass-all inside an include passes everyone: not ranges
                        return c == directives.get(directives.size() - 1) && c.qualifier() != Qualifier.PASS;
                    }
                    if (c.qualifier() != Qualifier.PASS || !collect(dns, c, CheckHost.normal(d.domainSpec()), into, depth + 1)) {
                        return false;
                    }
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private static boolean addresses(SpfDns dns, String name, Directive d, List<AddressRange> into) {
        for (SpfDns.Type type : List.of(SpfDns.Type.A, SpfDns.Type.AAAA)) {
            SpfDns.Answer a = dns.lookup(name, type);
            if (a.status() == SpfDns.Status.ERROR) {
                return false;
            }
            for (String ip : a.values()) {
                byte[] bytes = AddressRange.bytes(ip);
                if (bytes != null) {
                    into.add(new AddressRange(bytes, type == SpfDns.Type.A ? d.cidr4() : d.cidr6()));
                }
            }
        }
        return true;
    }
}
