package org.dmarcq.identity;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.dmarcq.report.IpAddresses;

/**
 * The admin's list of known sending systems, a human-edited YAML file (docs/cli.md): each with a
 * name, owner and purpose, and how to recognise it: address ranges, PTR domains, DKIM domains,
 * envelope-from domains, service names from the service map.
 */
public final class Inventory {

    /** One known sending system. Domains match the same name or a subdomain. */
    public record Entry(String name, String owner, String purpose, List<String> cidr, List<String> ptr,
                        List<String> dkim, List<String> envelope, List<String> services) {
        public Entry {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a system needs a name");
            }
            cidr = cidr == null ? List.of() : List.copyOf(cidr);
            ptr = ptr == null ? List.of() : lower(ptr);
            dkim = dkim == null ? List.of() : lower(dkim);
            envelope = envelope == null ? List.of() : lower(envelope);
            services = services == null ? List.of() : List.copyOf(services);
        }
    }

    private record File(List<Entry> systems) {}

    private final List<Entry> entries;
    private final List<List<Range>> ranges = new ArrayList<>();

    private Inventory(List<Entry> entries, String source) throws IOException {
        this.entries = List.copyOf(entries);
        for (Entry e : entries) {
            List<Range> r = new ArrayList<>();
            for (String cidr : e.cidr()) {
                r.add(Range.parse(cidr, source + ": system \"" + e.name() + "\""));
            }
            ranges.add(r);
        }
    }

    public static Inventory empty() {
        try {
            return new Inventory(List.of(), "");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Inventory load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            File f = YamlFiles.read(in, File.class, file.toString(), "system",
                    "name, owner, purpose, cidr, ptr, dkim, envelope, services");
            return new Inventory(f == null || f.systems() == null ? List.of() : f.systems(), file.toString());
        }
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The entry that recognises a source with these addresses, names and domains, if any. */
    public Optional<Entry> match(Collection<String> ips, Collection<String> ptrNames, Collection<String> dkimDomains,
                                 Collection<String> envelopeDomains, String service) {
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            for (String ip : ips) {
                for (Range r : ranges.get(i)) {
                    if (r.contains(ip)) {
                        return Optional.of(e);
                    }
                }
            }
            if (anyMatches(ptrNames, e.ptr()) || anyMatches(dkimDomains, e.dkim()) || anyMatches(envelopeDomains, e.envelope())
                    || service != null && e.services().contains(service)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    private static boolean anyMatches(Collection<String> domains, List<String> entries) {
        for (String d : domains) {
            if (ServiceMap.matches(d, entries)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> lower(List<String> domains) {
        return domains.stream().map(d -> d.strip().toLowerCase(Locale.ROOT).replaceAll("\\.$", "")).toList();
    }

    /** An address range in CIDR notation. */
    private record Range(byte[] network, int bits) {
        static Range parse(String cidr, String where) throws IOException {
            String[] parts = cidr.strip().split("/", 2);
            String ip = IpAddresses.canonical(parts[0]);
            if (ip == null) {
                throw new IOException(where + ": \"" + cidr + "\" is not an address range like 192.0.2.0/24");
            }
            byte[] network = bytes(ip);
            int bits;
            try {
                bits = parts.length == 1 ? network.length * 8 : Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException(where + ": \"" + cidr + "\" is not an address range like 192.0.2.0/24", e);
            }
            if (bits < 0 || bits > network.length * 8) {
                throw new IOException(where + ": \"" + cidr + "\" has a prefix longer than the address");
            }
            return new Range(network, bits);
        }

        boolean contains(String ip) {
            byte[] address = bytes(ip);
            if (address == null || address.length != network.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((address[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        private static byte[] bytes(String canonicalIp) {
            try {
                return IpAddresses.canonical(canonicalIp) == null ? null : InetAddress.getByName(canonicalIp).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
    }
}
