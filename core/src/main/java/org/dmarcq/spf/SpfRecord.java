package org.dmarcq.spf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dmarcq.identity.AddressRange;
import org.dmarcq.report.IpAddresses;

/**
 * One SPF record, parsed whole (RFC 7208 §4.6, §12): its directives and modifiers in order.
 *
 * @param text the record as published, its TXT strings joined
 */
public record SpfRecord(String text, List<Term> terms) {
    public SpfRecord {
        terms = List.copyOf(terms);
    }

    /** A directive or a modifier, as written. */
    public sealed interface Term permits Directive, Modifier {
        String text();
    }

    /**
     * A qualifier and a mechanism: {@code domainSpec} the target as written (null for the current
     * domain), {@code cidr4}/{@code cidr6} the prefix lengths of {@code a}, {@code mx}, {@code ip4}
     * and {@code ip6} (32 and 128 when not given), {@code network} the address of {@code ip4}/{@code ip6}
     * and {@code range} its range.
     */
    public record Directive(String text, Qualifier qualifier, Mechanism mechanism, String domainSpec, int cidr4, int cidr6,
                            String network, AddressRange range) implements Term {}

    /** {@code name=value}: {@code redirect}, {@code exp} or one this evaluator ignores (name lower-cased). */
    public record Modifier(String text, String name, String value) implements Term {}

    public enum Qualifier {
        PASS('+'), FAIL('-'), SOFTFAIL('~'), NEUTRAL('?');

        final char symbol;

        Qualifier(char symbol) {
            this.symbol = symbol;
        }

        SpfResult result() {
            return switch (this) {
                case PASS -> SpfResult.PASS;
                case FAIL -> SpfResult.FAIL;
                case SOFTFAIL -> SpfResult.SOFTFAIL;
                case NEUTRAL -> SpfResult.NEUTRAL;
            };
        }
    }

    public enum Mechanism {
        ALL, INCLUDE, A, MX, PTR, IP4, IP6, EXISTS;

        /** Counts toward the limit of ten DNS-querying terms (§4.6.4). */
        public boolean queriesDns() {
            return this != ALL && this != IP4 && this != IP6;
        }

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether a TXT record is an SPF record: {@code v=spf1}, then a space or nothing (§4.5). */
    public static boolean isSpf(String txt) {
        return txt.regionMatches(true, 0, "v=spf1", 0, 6) && (txt.length() == 6 || txt.charAt(6) == ' ');
    }

    private static final Pattern MODIFIER = Pattern.compile("([A-Za-z][A-Za-z0-9_.-]*)=(.*)", Pattern.DOTALL);
    private static final Pattern DUAL_CIDR = Pattern.compile("(?:/(0|[1-9][0-9]?))?(?://(0|[1-9][0-9]{0,2}))?$");

    /** Parses a record that {@link #isSpf} accepts; any term it cannot read makes the whole record unreadable. */
    public static SpfRecord parse(String text) throws SpfSyntaxException {
        if (!isSpf(text)) {
            throw new SpfSyntaxException("not an SPF record: it does not start with v=spf1");
        }
        List<Term> terms = new ArrayList<>();
        boolean redirect = false;
        boolean exp = false;
        for (String term : text.substring(6).split(" ")) {
            if (term.isEmpty()) {
                continue;
            }
            Matcher m = MODIFIER.matcher(term);
            if (m.matches()) {
                String name = m.group(1).toLowerCase(Locale.ROOT);
                if (name.equals("redirect") || name.equals("exp")) {
                    if (name.equals("redirect") ? redirect : exp) {
                        throw new SpfSyntaxException("'" + name + "=' appears twice");
                    }
                    if (name.equals("redirect")) {
                        redirect = true;
                    } else {
                        exp = true;
                    }
                    Macros.checkDomainSpec(m.group(2), term);
                } else {
                    Macros.check(m.group(2), false, term);
                }
                terms.add(new Modifier(term, name, m.group(2)));
            } else {
                terms.add(directive(term));
            }
        }
        return new SpfRecord(text, terms);
    }

    private static Directive directive(String term) throws SpfSyntaxException {
        Qualifier qualifier = Qualifier.PASS;
        String rest = term;
        for (Qualifier q : Qualifier.values()) {
            if (rest.charAt(0) == q.symbol) {
                qualifier = q;
                rest = rest.substring(1);
                break;
            }
        }
        int end = 0;
        while (end < rest.length() && Character.isLetterOrDigit(rest.charAt(end))) {
            end++;
        }
        String name = rest.substring(0, end).toLowerCase(Locale.ROOT);
        String argument = rest.substring(end);
        Mechanism mechanism;
        try {
            mechanism = Mechanism.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SpfSyntaxException("'" + term + "': " + (name.isEmpty() ? "not a mechanism or a modifier"
                    : "unknown mechanism '" + name + "'"));
        }
        return switch (mechanism) {
            case ALL -> {
                if (!argument.isEmpty()) {
                    throw new SpfSyntaxException("'" + term + "': 'all' takes nothing after it");
                }
                yield new Directive(term, qualifier, mechanism, null, 32, 128, null, null);
            }
            case INCLUDE, EXISTS -> {
                if (!argument.startsWith(":")) {
                    throw new SpfSyntaxException("'" + term + "': '" + name + "' needs a domain (" + name + ":example.com)");
                }
                Macros.checkDomainSpec(argument.substring(1), term);
                yield new Directive(term, qualifier, mechanism, argument.substring(1), 32, 128, null, null);
            }
            case PTR -> {
                String spec = null;
                if (argument.startsWith(":")) {
                    spec = argument.substring(1);
                    Macros.checkDomainSpec(spec, term);
                } else if (!argument.isEmpty()) {
                    throw new SpfSyntaxException("'" + term + "': expected ptr or ptr:domain");
                }
                yield new Directive(term, qualifier, mechanism, spec, 32, 128, null, null);
            }
            case A, MX -> {
                Matcher cidr = DUAL_CIDR.matcher(argument);
                if (!cidr.find()) {
                    throw new SpfSyntaxException("'" + term + "': unreadable prefix length");
                }
                String before = argument.substring(0, cidr.start());
                int v4 = cidr.group(1) == null ? 32 : Integer.parseInt(cidr.group(1));
                int v6 = cidr.group(2) == null ? 128 : Integer.parseInt(cidr.group(2));
                if (v4 > 32 || v6 > 128) {
                    throw new SpfSyntaxException("'" + term + "': prefix length out of range (IPv4 at most /32, IPv6 at most //128)");
                }
                String spec = null;
                if (before.startsWith(":")) {
                    spec = before.substring(1);
                    Macros.checkDomainSpec(spec, term);
                } else if (!before.isEmpty()) {
                    throw new SpfSyntaxException("'" + term + "': expected " + name + ", " + name + ":domain or " + name + "/prefix");
                }
                yield new Directive(term, qualifier, mechanism, spec, v4, v6, null, null);
            }
            case IP4, IP6 -> {
                if (!argument.startsWith(":")) {
                    throw new SpfSyntaxException("'" + term + "': '" + name + "' needs an address (" + name + ":"
                            + (mechanism == Mechanism.IP4 ? "192.0.2.0/24" : "2001:db8::/32") + ")");
                }
                String value = argument.substring(1);
                int slash = value.indexOf('/');
                String address = slash < 0 ? value : value.substring(0, slash);
                boolean v4 = mechanism == Mechanism.IP4;
                int max = v4 ? 32 : 128;
                int bits = max;
                if (slash >= 0) {
                    String length = value.substring(slash + 1);
                    if (!length.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(length) > max) {
                        throw new SpfSyntaxException("'" + term + "': prefix length must be 0 to " + max);
                    }
                    bits = Integer.parseInt(length);
                }
                String canonical = IpAddresses.canonical(address);
                boolean right = canonical != null && (v4 ? address.indexOf(':') < 0 && canonical.indexOf(':') < 0
                        : address.indexOf(':') >= 0);
                if (!right) {
                    throw new SpfSyntaxException("'" + term + "': '" + address + "' is not an IPv" + (v4 ? "4" : "6") + " address");
                }
                yield new Directive(term, qualifier, mechanism, null, v4 ? bits : 32, v4 ? 128 : bits, canonical,
                        new AddressRange(AddressRange.bytes(canonical), bits));
            }
        };
    }

    /** The {@code redirect=} modifier's target, or null. */
    public String redirect() {
        return modifier("redirect");
    }

    /** The {@code exp=} modifier's target, or null. */
    public String explanation() {
        return modifier("exp");
    }

    private String modifier(String name) {
        for (Term t : terms) {
            if (t instanceof Modifier m && m.name().equals(name)) {
                return m.value();
            }
        }
        return null;
    }

    /** Whether an {@code all} mechanism appears: {@code redirect} is then ignored (§6.1). */
    public boolean hasAll() {
        return terms.stream().anyMatch(t -> t instanceof Directive d && d.mechanism() == Mechanism.ALL);
    }

    /** The directives in order, modifiers left out. */
    public List<Directive> directives() {
        List<Directive> list = new ArrayList<>();
        for (Term t : terms) {
            if (t instanceof Directive d) {
                list.add(d);
            }
        }
        return list;
    }
}
