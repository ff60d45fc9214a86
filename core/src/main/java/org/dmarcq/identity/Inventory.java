package org.dmarcq.identity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The admin's list of known sending systems, a human-edited YAML file (docs/cli.md): each with a
 * name, owner and purpose, whether it is the admin's own ({@code ours}, by default), and how to
 * recognise its mail by what a forger cannot fake: address ranges, forward-confirmed PTR domains,
 * DKIM domains whose signature passed, envelope-from domains whose SPF passed, and services of the
 * service map as far as the mail authenticated as that service. The analysis matches them in SQL.
 */
public final class Inventory {

    /**
     * One known sending system. Domains match the same name or a subdomain.
     *
     * @param ours false for a system that is known not to be the admin's: its mail is spoofing
     * @param note why, or anything else the admin wants to keep with it
     */
    public record Entry(String name, String owner, String purpose, Boolean ours, String note, List<String> cidr,
                        List<String> ptr, List<String> dkim, List<String> envelope, List<String> services) {
        public Entry {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a system needs a name");
            }
            ours = ours == null || ours;
            cidr = cidr == null ? List.of() : List.copyOf(cidr);
            ptr = ptr == null ? List.of() : lower(ptr);
            dkim = dkim == null ? List.of() : lower(dkim);
            envelope = envelope == null ? List.of() : lower(envelope);
            services = services == null ? List.of() : List.copyOf(services);
        }

        /** Whether the system is the admin's own. */
        public boolean isOurs() {
            return ours;
        }
    }

    private record File(List<Entry> systems) {}

    private final List<Entry> entries;
    private final List<KeyRange> ranges = new ArrayList<>();

    private Inventory(List<Entry> entries, String source) throws IOException {
        this.entries = List.copyOf(entries);
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            for (String cidr : e.cidr()) {
                AddressRange r = AddressRange.parse(cidr, source + ": system \"" + e.name() + "\"");
                ranges.add(new KeyRange(e.name(), i + 1, cidr, r.key(false), r.key(true)));
            }
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
                    "name, owner, purpose, ours, note, cidr, ptr, dkim, envelope, services");
            return new Inventory(f == null || f.systems() == null ? List.of() : f.systems(), file.toString());
        }
    }

    /** The entries in the file's order: the first that matches a message is its system. */
    public List<Entry> entries() {
        return entries;
    }

    /** The entries' address ranges; {@link KeyRange#index()} is the entry's position, from 1. */
    public List<KeyRange> ranges() {
        return ranges;
    }

    private static List<String> lower(List<String> domains) {
        return domains.stream().map(d -> d.strip().toLowerCase(Locale.ROOT).replaceAll("\\.$", "")).toList();
    }
}
