package org.dmarcq.identity;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** {@link ReverseDns} over dnsjava: a PTR query, then A or AAAA queries for the names it gives. */
public final class DnsResolver implements ReverseDns {
    private static final int MAX_NAMES = 3;

    private final Resolver resolver;

    private DnsResolver(Resolver resolver) {
        this.resolver = resolver;
    }

    /** The system's resolver (from /etc/resolv.conf or its equivalent). */
    public static DnsResolver system(Duration timeout) throws UnknownHostException {
        return new DnsResolver(resolver(null, timeout));
    }

    /** A resolver at the given address, e.g. a local caching server. */
    public static DnsResolver at(InetSocketAddress server, Duration timeout) {
        try {
            return new DnsResolver(resolver(server, timeout));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a resolver at an address needs no lookup", e);
        }
    }

    /** A dnsjava resolver at {@code server}, or the system's when it is null, that waits {@code timeout} for each answer. */
    public static Resolver resolver(InetSocketAddress server, Duration timeout) throws UnknownHostException {
        SimpleResolver r = server == null ? new SimpleResolver() : new SimpleResolver(server);
        r.setTimeout(timeout);
        return r;
    }

    @Override
    public ReverseName lookup(String ip) {
        try {
            InetAddress address = InetAddress.getByName(ip); // a literal: no lookup happens here
            Message answer = query(ReverseMap.fromAddress(address), Type.PTR);
            int rcode = answer.getRcode();
            if (rcode == Rcode.NXDOMAIN) {
                return new ReverseName(ip, null, false, null);
            }
            if (rcode != Rcode.NOERROR) {
                return new ReverseName(ip, null, false, "PTR lookup: " + Rcode.string(rcode));
            }
            List<String> names = new ArrayList<>();
            for (Record r : answer.getSection(Section.ANSWER)) {
                if (r instanceof PTRRecord ptr && names.size() < MAX_NAMES) {
                    names.add(text(ptr.getTarget()));
                }
            }
            if (names.isEmpty()) {
                return new ReverseName(ip, null, false, null);
            }
            for (String name : names) {
                if (resolvesTo(name, address)) {
                    return new ReverseName(ip, name, true, null);
                }
            }
            return new ReverseName(ip, names.get(0), false, null);
        } catch (java.io.IOException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new ReverseName(ip, null, false, message.toLowerCase(Locale.ROOT).contains("timed out") ? "timeout" : message);
        }
    }

    private boolean resolvesTo(String name, InetAddress address) throws java.io.IOException {
        int type = address.getAddress().length == 4 ? Type.A : Type.AAAA;
        Message answer = query(Name.fromString(name, Name.root), type);
        for (Record r : answer.getSection(Section.ANSWER)) {
            InetAddress a = r instanceof ARecord ar ? ar.getAddress() : r instanceof AAAARecord aaaa ? aaaa.getAddress() : null;
            if (address.equals(a)) {
                return true;
            }
        }
        return false;
    }

    private Message query(Name name, int type) throws java.io.IOException {
        return resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
    }

    private static String text(Name name) {
        String s = name.toString(true).toLowerCase(Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
