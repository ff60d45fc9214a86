package org.dmarcq.analysis;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.dmarcq.identity.Identification;
import org.dmarcq.identity.Inventory;
import org.dmarcq.identity.ServiceMap;
import org.dmarcq.rules.DomainNames;
import org.dmarcq.rules.PublicSuffixList;

/**
 * How sources are named when shown: the service map names the service, the inventory the admin's
 * own name for a system, and the Public Suffix List groups addresses by the organizational domain
 * of their reverse DNS. One place for these rules, so every answer groups and names alike.
 */
public record Naming(ServiceMap services, Inventory inventory, PublicSuffixList suffixes) {

    /** The bundled service map and suffix list, and no inventory. */
    public static Naming defaults() {
        return new Naming(ServiceMap.bundled(), Inventory.empty(), PublicSuffixList.bundled());
    }

    Optional<Identification> identify(String ip, Collection<String> dkimPassDomains, Collection<String> envelopeDomains, String ptr) {
        return services.identify(ip, dkimPassDomains, envelopeDomains, ptr == null ? List.of() : List.of(ptr));
    }

    /**
     * The sending system an address belongs to: its service's name, else the organizational domain
     * of its confirmed reverse DNS name, else the address itself.
     */
    String systemOf(String ip, String ptr, String service) {
        if (service != null) {
            return service;
        }
        if (ptr != null) {
            String org = suffixes.organizationalDomain(DomainNames.toAscii(ptr));
            if (org != null) {
                return org;
            }
        }
        return ip;
    }

    /** The name of the inventory entry that recognises a source, or null. */
    String inventoryName(Collection<String> ips, Collection<String> ptr, Collection<String> dkimDomains,
                         Collection<String> envelopeDomains, String service) {
        return inventory.match(ips, ptr, dkimDomains, envelopeDomains, service).map(Inventory.Entry::name).orElse(null);
    }
}
