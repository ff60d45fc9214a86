package org.dmarcq.analysis;

import org.dmarcq.identity.Inventory;
import org.dmarcq.identity.ServiceMap;
import org.dmarcq.rules.PublicSuffixList;

/**
 * How sources are named and whose they are: the service map names the service behind an address,
 * the inventory the admin's own name for a system (and whether it is theirs), and the Public Suffix
 * List groups addresses by the organizational domain of their reverse DNS. The rules that use them
 * live once, in {@link SourceAnalysis}, so every answer names and groups alike.
 */
public record Naming(ServiceMap services, Inventory inventory, PublicSuffixList suffixes) {

    /** The bundled service map and suffix list, and no inventory. */
    public static Naming defaults() {
        return new Naming(ServiceMap.bundled(), Inventory.empty(), PublicSuffixList.bundled());
    }
}
