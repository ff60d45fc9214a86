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

    private final List<Service> services;

    private ServiceMap(List<Service> services) {
        this.services = List.copyOf(services);
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
        List<Service> own;
        try (InputStream in = Files.newInputStream(file)) {
            own = read(in, file.toString());
        }
        Map<String, Service> byName = new LinkedHashMap<>();
        for (Service s : own) {
            byName.put(s.name(), s);
        }
        for (Service s : bundled().services) {
            byName.putIfAbsent(s.name(), s);
        }
        return new ServiceMap(new ArrayList<>(byName.values()));
    }

    public List<Service> services() {
        return services;
    }

    /**
     * The service whose domains the source shows, trying passing DKIM signers first (hardest to
     * fake), then envelope-from domains, then PTR names; empty when none matches.
     */
    public Optional<Identification> identify(Collection<String> dkimDomains, Collection<String> envelopeDomains,
                                             Collection<String> ptrNames) {
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

    private static List<Service> read(InputStream in, String name) throws IOException {
        File file = YamlFiles.read(in, File.class, name, "service", "name, type, ptr, dkim, envelope");
        if (file == null || file.services() == null) {
            throw new IOException(name + ": no services: list");
        }
        List<Service> services = new ArrayList<>();
        for (Service s : file.services()) {
            services.add(new Service(s.name(), s.type(), lower(s.ptr()), lower(s.dkim()), lower(s.envelope())));
        }
        return services;
    }

    private static List<String> lower(List<String> domains) {
        return domains.stream().map(d -> d.strip().toLowerCase(Locale.ROOT).replaceAll("\\.$", "")).toList();
    }
}
