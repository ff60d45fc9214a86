package org.dmarcq.spf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.dmarcq.identity.AddressRange;
import org.dmarcq.report.IpAddresses;
import org.dmarcq.spf.SpfRecord.Directive;
import org.dmarcq.spf.SpfRecord.Mechanism;

/**
 * RFC 7208's check_host with a trace (§4, §5, §6): mechanisms left to right, the first match
 * decides; {@code include} by its child's result; {@code redirect} when nothing matched and no
 * {@code all} is present; one counter of DNS-querying terms (more than 10: permerror) and one of
 * void lookups (more than 2: permerror) over the whole evaluation; at most 10 MX hosts and 10 PTR
 * names per term. Answers are kept per name and type, so that many addresses evaluated against
 * the same records query each name once.
 */
public final class CheckHost {
    /** DNS-querying terms allowed in one evaluation (§4.6.4). */
    public static final int MAX_LOOKUPS = 10;
    static final int MAX_VOID_LOOKUPS = 2;
    static final int MAX_NAMES = 10;

    private final SpfDns dns;
    private final Map<String, SpfDns.Answer> answers = new ConcurrentHashMap<>();
    /** The parsed record of each domain looked up, or why it has none to evaluate. */
    private final Map<String, Object> records = new ConcurrentHashMap<>();
    /** The bytes of the addresses in A and AAAA answers, parsed once. */
    private final Map<String, byte[]> addresses = new ConcurrentHashMap<>();

    public CheckHost(SpfDns dns) {
        this.dns = dns;
    }

    /** A term that was evaluated on the way to the result: in which domain's record, as written. */
    public record Step(String domain, String term) {
        @Override
        public String toString() {
            return "[" + domain + "] " + term;
        }
    }

    /**
     * What check_host gave for an address: the result; the terms from the checked domain's own
     * record down to the one that decided (empty when nothing matched, or the record could not be
     * read); why, for errors and for neutral without a match; the DNS-querying terms and void
     * lookups it used; the macro letters it needed and the report could not give ({@code l},
     * {@code h}, {@code p}): with any, the result may not be the receiver's.
     */
    public record Evaluation(SpfResult result, List<Step> path, String problem, int lookups, int voidLookups,
                             Set<String> unknownMacros) {
        public Evaluation {
            path = List.copyOf(path);
            unknownMacros = Set.copyOf(unknownMacros);
        }

        /** The term of the checked domain's own record that decided, or null. */
        public Step topTerm() {
            return path.isEmpty() ? null : path.get(0);
        }

        /** The innermost term that decided, or null. */
        public Step leafTerm() {
            return path.isEmpty() ? null : path.get(path.size() - 1);
        }
    }

    /**
     * check_host(ip, domain, sender) for mail whose MAIL FROM domain is {@code domain}; the sender's
     * local-part is not in aggregate reports, so {@code %{l}} expands to {@code postmaster} and is
     * marked unknown.
     */
    public Evaluation evaluate(String ip, String domain) {
        String address = IpAddresses.canonical(ip);
        if (address == null) {
            throw new IllegalArgumentException("not an IP address: " + ip);
        }
        String checked = normal(domain);
        State state = new State(new Macros.Context(null, checked, checked, address, null));
        List<Step> path = new ArrayList<>();
        SpfResult result;
        try {
            result = check(address, checked, 0, state, path);
        } catch (Stop stop) {
            result = stop.result;
            state.problem = stop.getMessage();
        }
        return new Evaluation(result, path, state.problem, state.lookups, state.voids, state.unknown);
    }

    /** Counters shared by the whole evaluation. */
    private static final class State {
        final Macros.Context context;
        final Set<String> unknown = new TreeSet<>();
        int lookups;
        int voids;
        String problem;

        State(Macros.Context context) {
            this.context = context;
        }
    }

    /** Ends the evaluation with a result: errors and limits, wherever they happen. */
    private static final class Stop extends Exception {
        final SpfResult result;

        Stop(SpfResult result, String why) {
            super(why, null, false, false);
            this.result = result;
        }
    }

    /** The record of a domain, as check_host selects it (§4.5): null for none. */
    public static SpfRecord select(SpfDns.Answer txt, String domain) throws SpfSyntaxException, Unavailable {
        if (txt.status() == SpfDns.Status.ERROR) {
            throw new Unavailable("TXT lookup of " + domain + " failed: " + txt.error());
        }
        List<String> spf = txt.values().stream().filter(SpfRecord::isSpf).toList();
        if (spf.isEmpty()) {
            return null;
        }
        if (spf.size() > 1) {
            throw new SpfSyntaxException(domain + " publishes " + spf.size() + " SPF records (one is allowed)");
        }
        return SpfRecord.parse(spf.get(0));
    }

    /** A DNS error: temperror. */
    public static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    private static final Object NO_RECORD = new Object();

    private SpfResult check(String ip, String domain, int depth, State state, List<Step> path) throws Stop {
        if (!validDomain(domain)) {
            state.problem = "'" + domain + "' is not a domain name";
            return SpfResult.NONE;
        }
        SpfDns.Answer txt = lookup(domain, SpfDns.Type.TXT);
        if (depth > 0 && txt.isVoid()) {
            countVoid(state, domain, "has no TXT records");
        }
        Object selected = records.computeIfAbsent(domain, k -> {
            try {
                SpfRecord r = select(txt, domain);
                return r == null ? NO_RECORD : r;
            } catch (Unavailable | SpfSyntaxException e) {
                return e;
            }
        });
        if (selected instanceof Unavailable e) {
            throw new Stop(SpfResult.TEMPERROR, e.getMessage());
        }
        if (selected instanceof SpfSyntaxException e) {
            throw new Stop(SpfResult.PERMERROR, (e.getMessage().startsWith(domain) ? "" : domain + ": ") + e.getMessage());
        }
        SpfRecord record = selected == NO_RECORD ? null : (SpfRecord) selected;
        if (record == null) {
            state.problem = domain + " has no SPF record";
            return SpfResult.NONE;
        }
        Macros.Context context = new Macros.Context(state.context.localPart(), state.context.senderDomain(), domain, ip, null);
        byte[] address = AddressRange.bytes(ip);
        for (Directive d : record.directives()) {
            path.add(new Step(domain, d.text()));
            if (d.mechanism().queriesDns()) {
                countLookup(state, domain, d.text());
            }
            if (matches(d, ip, address, domain, context, depth, state, path)) {
                return d.qualifier().result();
            }
            path.subList(path.size() - 1, path.size()).clear();
            if (d.mechanism() == Mechanism.ALL) {
                break; // never reached: all always matches
            }
        }
        String redirect = record.redirect();
        if (redirect != null && !record.hasAll()) {
            path.add(new Step(domain, "redirect=" + redirect));
            countLookup(state, domain, "redirect=" + redirect);
            String target = target(redirect, context, state);
            SpfResult r = check(ip, target, depth + 1, state, path);
            if (r == SpfResult.NONE) {
                throw new Stop(SpfResult.PERMERROR, "redirect=" + redirect + " in " + domain + ": " + target + " has no SPF record");
            }
            return r;
        }
        if (depth == 0) {
            state.problem = "no term of " + domain + " matched";
        }
        return SpfResult.NEUTRAL;
    }

    private boolean matches(Directive d, String ip, byte[] address, String domain, Macros.Context context, int depth, State state,
                            List<Step> path) throws Stop {
        boolean v6 = address.length == 16;
        switch (d.mechanism()) {
            case ALL:
                return true;
            case IP4:
            case IP6:
                return d.range().contains(address);
            case INCLUDE: {
                String target = target(d.domainSpec(), context, state);
                int mark = path.size();
                SpfResult r = check(ip, target, depth + 1, state, path); // errors end the evaluation there
                if (r == SpfResult.PASS) {
                    return true;
                }
                path.subList(mark, path.size()).clear();
                if (r == SpfResult.NONE) {
                    throw new Stop(SpfResult.PERMERROR, d.text() + " in " + domain + ": " + target + " has no SPF record");
                }
                return false; // fail, softfail, neutral: the include does not match (§5.2)
            }
            case A: {
                String name = d.domainSpec() == null ? domain : target(d.domainSpec(), context, state);
                return inAddresses(name, address, v6 ? d.cidr6() : d.cidr4(), state, domain, d.text());
            }
            case MX: {
                String name = d.domainSpec() == null ? domain : target(d.domainSpec(), context, state);
                SpfDns.Answer mx = lookup(name, SpfDns.Type.MX);
                checkError(mx, d.text(), domain);
                if (mx.isVoid()) {
                    countVoid(state, domain, d.text() + ": " + name + " has no MX records");
                    return false;
                }
                if (mx.values().size() > MAX_NAMES) {
                    throw new Stop(SpfResult.PERMERROR, d.text() + " in " + domain + ": " + name + " has " + mx.values().size()
                            + " MX hosts (at most " + MAX_NAMES + " may be looked up)");
                }
                for (String host : mx.values()) {
                    SpfDns.Answer a = lookup(host, v6 ? SpfDns.Type.AAAA : SpfDns.Type.A);
                    checkError(a, d.text(), domain);
                    if (anyWithin(a.values(), v6 ? d.cidr6() : d.cidr4(), address)) {
                        return true;
                    }
                }
                return false;
            }
            case PTR: {
                String target = d.domainSpec() == null ? domain : target(d.domainSpec(), context, state);
                for (String name : validatedNames(ip, address, state)) {
                    if (name.equals(target) || name.endsWith("." + target)) {
                        return true;
                    }
                }
                return false;
            }
            case EXISTS: {
                String name = target(d.domainSpec(), context, state);
                SpfDns.Answer a = lookup(name, SpfDns.Type.A);
                checkError(a, d.text(), domain);
                if (a.isVoid()) {
                    countVoid(state, domain, d.text() + ": " + name + " does not exist");
                    return false;
                }
                return true;
            }
            default:
                throw new IllegalStateException(d.mechanism().toString());
        }
    }

    private boolean inAddresses(String name, byte[] address, int bits, State state, String domain, String term) throws Stop {
        SpfDns.Answer a = lookup(name, address.length == 16 ? SpfDns.Type.AAAA : SpfDns.Type.A);
        checkError(a, term, domain);
        if (a.isVoid()) {
            countVoid(state, domain, term + ": " + name + " has no " + (address.length == 16 ? "AAAA" : "A") + " records");
            return false;
        }
        return anyWithin(a.values(), bits, address);
    }

    /** The names of the address's PTR records that resolve back to it (§5.5), at most 10 tried. */
    private List<String> validatedNames(String ip, byte[] address, State state) throws Stop {
        SpfDns.Answer ptr = lookup(ip, SpfDns.Type.PTR);
        if (ptr.status() == SpfDns.Status.ERROR) {
            return List.of(); // a failed PTR lookup is no match, not an error (§5.5)
        }
        List<String> names = new ArrayList<>();
        for (String name : ptr.values().subList(0, Math.min(MAX_NAMES, ptr.values().size()))) {
            SpfDns.Answer a = lookup(name, address.length == 16 ? SpfDns.Type.AAAA : SpfDns.Type.A);
            if (anyWithin(a.values(), address.length * 8, address)) {
                names.add(normal(name));
            }
        }
        return names;
    }

    private boolean anyWithin(List<String> networks, int bits, byte[] address) {
        for (String n : networks) {
            byte[] net = addresses.computeIfAbsent(n, AddressRange::bytes);
            if (net != null && new AddressRange(net, bits).contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static void checkError(SpfDns.Answer answer, String term, String domain) throws Stop {
        if (answer.status() == SpfDns.Status.ERROR) {
            throw new Stop(SpfResult.TEMPERROR, term + " in " + domain + ": DNS lookup failed: " + answer.error());
        }
    }

    private static void countLookup(State state, String domain, String term) throws Stop {
        if (++state.lookups > MAX_LOOKUPS) {
            throw new Stop(SpfResult.PERMERROR, term + " in " + domain + " is DNS lookup " + state.lookups
                    + " of this evaluation (at most " + MAX_LOOKUPS + " are allowed)");
        }
    }

    private static void countVoid(State state, String domain, String why) throws Stop {
        if (++state.voids > MAX_VOID_LOOKUPS) {
            throw new Stop(SpfResult.PERMERROR, why + " in " + domain + ": void lookup " + state.voids
                    + " of this evaluation (at most " + MAX_VOID_LOOKUPS + " are allowed)");
        }
    }

    private static String target(String spec, Macros.Context context, State state) {
        return truncate(normal(Macros.expand(spec, context, state.unknown)));
    }

    /** A name longer than 253 characters loses labels on its left until it fits (§4.8). */
    private static String truncate(String name) {
        String n = name;
        while (n.length() > 253 && n.indexOf('.') >= 0) {
            n = n.substring(n.indexOf('.') + 1);
        }
        return n;
    }

    private SpfDns.Answer lookup(String name, SpfDns.Type type) {
        return answers.computeIfAbsent(type + " " + name, k -> dns.lookup(name, type));
    }

    static String normal(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }

    /** A name check_host can query: labels of 1 to 63 characters, at least two of them (§4.3). */
    private static boolean validDomain(String domain) {
        if (domain.isEmpty() || domain.length() > 253) {
            return false;
        }
        String[] labels = domain.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63) {
                return false;
            }
        }
        return true;
    }
}
