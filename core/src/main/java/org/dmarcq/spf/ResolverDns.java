package org.dmarcq.spf;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.dmarcq.identity.DnsResolver;
import org.dmarcq.report.IpAddresses;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;

/** {@link SpfDns} over a DNS server, through dnsjava. */
public final class ResolverDns implements SpfDns {
    private final Resolver resolver;

    private ResolverDns(Resolver resolver) {
        this.resolver = resolver;
    }

    /** The system's resolver (from /etc/resolv.conf or its equivalent). */
    public static ResolverDns system(Duration timeout) throws IOException {
        return new ResolverDns(DnsResolver.resolver(null, timeout));
    }

    /** A server at the given address. */
    public static ResolverDns at(InetSocketAddress server, Duration timeout) {
        try {
            return new ResolverDns(DnsResolver.resolver(server, timeout));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("a resolver at an address needs no lookup", e);
        }
    }

    @Override
    public boolean remote() {
        return true;
    }

    @Override
    public Answer lookup(String name, Type type) {
        Name query;
        try {
            query = queryName(name, type);
        } catch (TextParseException | IllegalArgumentException e) {
            return Answer.NXDOMAIN; // not a name DNS can hold
        }
        try {
            Message answer = resolver.send(Message.newQuery(Record.newRecord(query, dnsType(type), DClass.IN)));
            int rcode = answer.getRcode();
            if (rcode == Rcode.NXDOMAIN) {
                return Answer.NXDOMAIN;
            }
            if (rcode != Rcode.NOERROR) {
                return Answer.failed(Rcode.string(rcode));
            }
            return Answer.of(values(answer.getSection(Section.ANSWER), type));
        } catch (IOException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return Answer.failed(message.toLowerCase(Locale.ROOT).contains("timed out") ? "timeout" : message);
        }
    }

    /** The name to query: for PTR, the reverse name of the address. */
    static Name queryName(String name, Type type) throws TextParseException {
        if (type == Type.PTR) {
            String ip = IpAddresses.canonical(name);
            if (ip == null) {
                throw new IllegalArgumentException("not an address: " + name);
            }
            try {
                return ReverseMap.fromAddress(InetAddress.getByName(ip)); // a literal: no lookup
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
        }
        return Name.fromString(name.endsWith(".") ? name : name + ".");
    }

    static int dnsType(Type type) {
        return switch (type) {
            case TXT -> org.xbill.DNS.Type.TXT;
            case A -> org.xbill.DNS.Type.A;
            case AAAA -> org.xbill.DNS.Type.AAAA;
            case MX -> org.xbill.DNS.Type.MX;
            case PTR -> org.xbill.DNS.Type.PTR;
        };
    }

    /** The data of the records of the type asked for, as {@link SpfDns} gives it. */
    static List<String> values(List<Record> records, Type type) {
        List<Record> wanted = new ArrayList<>();
        for (Record r : records) {
            if (r.getType() == dnsType(type)) {
                wanted.add(r);
            }
        }
        if (type == Type.MX) {
            wanted.sort(Comparator.comparingInt(r -> ((MXRecord) r).getPriority()));
        }
        List<String> values = new ArrayList<>();
        for (Record r : wanted) {
            values.add(switch (type) {
                case TXT -> String.join("", ((TXTRecord) r).getStrings());
                case A -> ((ARecord) r).getAddress().getHostAddress();
                case AAAA -> IpAddresses.canonical(((AAAARecord) r).getAddress().getHostAddress());
                case MX -> CheckHost.normal(((MXRecord) r).getTarget().toString());
                case PTR -> CheckHost.normal(((PTRRecord) r).getTarget().toString());
            });
        }
        return values;
    }
}
