package org.dmarcq.analysis;

import java.time.Instant;
import java.util.List;

/**
 * Sources grouped into one sending system, by class: those of one inventory entry, or named by the
 * same service, or whose confirmed reverse DNS names share an organizational domain; otherwise an
 * address alone. A system with mail of two classes (a shared platform that carries the owner's mail
 * and a forger's) is two of these.
 *
 * @param name the inventory entry's name, the service's name, the PTR organizational domain, or the address
 * @param type the service's type (ESP, CRM, ...), or null
 * @param inventoryName the inventory entry that its mail matched, or null: then it is unknown
 * @param reason the failure reason of its member with the most failing messages, or null
 * @param dkimPassDomains DKIM domains whose signature passed, {@code spfPassDomains} SPF domains that passed,
 *     {@code dkimKeys} the keys of the signatures that passed ({@code selector._domainkey.domain}),
 *     {@code failingDkimKeys} those of its mail that fails DMARC
 * @param senderClass the class of its failing mail under p=quarantine, or passing
 */
public record SendingSystem(String name, String type, List<String> ips, List<String> ptr, long messages, long dmarcPass,
                            long dmarcFail, long spfAligned, long dkimAligned, String reason, List<String> headerFrom,
                            List<String> dkimDomains, List<String> envelopeFrom, List<String> reporters, Instant firstSeen,
                            Instant lastSeen, String inventoryName, SenderClass senderClass, List<Evidence> evidence,
                            String service, String serviceEvidence, List<String> dkimPassDomains, List<String> spfPassDomains,
                            int sendingDays, List<String> dkimKeys, List<String> failingDkimKeys) {}
