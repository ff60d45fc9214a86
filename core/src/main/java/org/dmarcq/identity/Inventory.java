package org.dmarcq.identity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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
    private final List<List<AddressRange>> ranges = new ArrayList<>();

    private Inventory(List<Entry> entries, String source) throws IOException {
        this.entries = List.copyOf(entries);
        for (Entry e : entries) {
            List<AddressRange> r = new ArrayList<>();
            for (String cidr : e.cidr()) {
                r.add(AddressRange.parse(cidr, source + ": system \"" + e.name() + "\""));
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
                for (AddressRange r : ranges.get(i)) {
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
}
