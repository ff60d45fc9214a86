package org.dmarcq.analysis;

import java.time.Instant;
import java.util.List;

/**
 * Sources grouped into one sending system: addresses named by the same service, or whose
 * confirmed reverse DNS names share an organizational domain; otherwise an address alone.
 *
 * @param name the service's name, the PTR organizational domain, or the address
 * @param type the service's type (ESP, CRM, ...), or null
 * @param inventoryName the inventory entry that recognises it, or null: then it is unknown
 * @param reason the failure reason of its member with the most failing messages, or null
 */
public record SendingSystem(String name, String type, List<String> ips, List<String> ptr, long messages, long dmarcPass,
                            long dmarcFail, long spfAligned, long dkimAligned, String reason, List<String> headerFrom, List<String> dkimDomains,
                            List<String> envelopeFrom, List<String> reporters, Instant firstSeen, Instant lastSeen,
                            String inventoryName) {}
