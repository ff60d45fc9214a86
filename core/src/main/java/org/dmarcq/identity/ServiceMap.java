package org.dmarcq.identity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Names the service behind a source from the domains it shows, with no network. The bundled map
 * ({@code services.yaml}, documented in docs/cli.md) covers the common mailbox providers, ESPs,
 * CRMs, helpdesks and gateways; a file of the same shape adds services or replaces bundled ones of
 * the same name.
 */
public final class ServiceMap {
    private static ServiceMap bundled;

    /** A service and its address ranges, parsed when the file was read. */
    private record Entry(Service service, List<AddressRange> ranges) {}

    private final List<Entry> entries;

    private ServiceMap(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The map shipped with dmarcq. */
    public static synchronized ServiceMap bundled() {
        if (bundled == null) {
            try (InputStream in = ServiceMap.class.getResourceAsStream("services.yaml")) {
                bundled = new ServiceMap(read(in, "the bundled services.yaml"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bundled;
    }

    /** The bundled map extended by a user's file: its services first, replacing bundled ones of the same name. */
    public static ServiceMap withFile(Path file) throws IOException {
        List<Entry> own;
        try (InputStream in = Files.newInputStream(file)) {
            own = read(in, file.toString());
        }
        Map<String, Entry> byName = new LinkedHashMap<>();
        for (Entry e : own) {
            byName.put(e.service().name(), e);
        }
        for (Entry e : bundled().entries) {
            byName.putIfAbsent(e.service().name(), e);
        }
        return new ServiceMap(new ArrayList<>(byName.values()));
    }

    public List<Service> services() {
        return entries.stream().map(Entry::service).toList();
    }

    /** Every service's address ranges, in the map's order. */
    public List<KeyRange> ranges() {
        List<KeyRange> ranges = new ArrayList<>();
        for (Entry e : entries) {
            for (int i = 0; i < e.ranges().size(); i++) {
                AddressRange r = e.ranges().get(i);
                ranges.add(new KeyRange(e.service().name(), 0, e.service().cidr().get(i), r.key(false), r.key(true)));
            }
        }
        return ranges;
    }

    /**
     * The service a source belongs to, trying passing DKIM signers first (hardest to fake), then
     * envelope-from domains, then PTR names, then the address ranges; empty when none matches.
     *
     * @param ip the source address, or null
     */
    public Optional<Identification> identify(String ip, Collection<String> dkimDomains, Collection<String> envelopeDomains,
                                             Collection<String> ptrNames) {
        List<Service> services = services();
        for (Service s : services) {
            for (String d : dkimDomains) {
                if (matches(d, s.dkim())) {
                    return Optional.of(new Identification(s, "DKIM d=" + d));
                }
            }
        }
        for (Service s : services) {
            for (String d : envelopeDomains) {
                if (matches(d, s.envelope())) {
                    return Optional.of(new Identification(s, "envelope-from " + d));
                }
            }
        }
        for (Service s : services) {
            for (String d : ptrNames) {
                if (matches(d, s.ptr())) {
                    return Optional.of(new Identification(s, "PTR " + d));
                }
            }
        }
        byte[] address = ip == null ? null : AddressRange.bytes(ip);
        if (address != null) {
            for (Entry e : entries) {
                for (int i = 0; i < e.ranges().size(); i++) {
                    if (e.ranges().get(i).contains(address)) {
                        return Optional.of(new Identification(e.service(), "address in " + e.service().cidr().get(i)));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The service an SPF {@code include:} target belongs to: one that lists it under {@code spf},
     * else one whose envelope, PTR or DKIM domains it lies under ({@code _spf.google.com} is
     * Google's); empty when none does.
     */
    public Optional<Service> forInclude(String domain) {
        List<Service> services = services();
        for (Service s : services) {
            if (matches(domain, s.spf())) {
                return Optional.of(s);
            }
        }
        for (Service s : services) {
            if (matches(domain, s.envelope()) || matches(domain, s.ptr()) || matches(domain, s.dkim())) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    static boolean matches(String domain, List<String> entries) {
        if (domain == null) {
            return false;
        }
        String d = domain.toLowerCase(Locale.ROOT);
        for (String entry : entries) {
            if (d.equals(entry) || d.endsWith("." + entry)) {
                return true;
            }
        }
        return false;
    }

    private record File(List<Service> services) {}

    private static List<Entry> read(InputStream in, String name) throws IOException {
        File file = YamlFiles.read(in, File.class, name, "service", "name, type, ptr, dkim, envelope, cidr, spf");
        if (file == null || file.services() == null) {
            throw new IOException(name + ": no services: list");
        }
        List<Entry> entries = new ArrayList<>();
        for (Service s : file.services()) {
            List<AddressRange> ranges = new ArrayList<>();
            for (String cidr : s.cidr()) {
                ranges.add(AddressRange.parse(cidr, name + ": service \"" + s.name() + "\""));
            }
            entries.add(new Entry(new Service(s.name(), s.type(), lower(s.ptr()), lower(s.dkim()), lower(s.envelope()), s.cidr(),
                    lower(s.spf())),
                    List.copyOf(ranges)));
        }
        return entries;
    }

    private static List<String> lower(List<String> domains) {
        return domains.stream().map(d -> d.strip().toLowerCase(Locale.ROOT).replaceAll("\\.$", "")).toList();
    }
}
