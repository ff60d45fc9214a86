package org.dmarcq.analysis;

import java.time.Instant;
import java.util.List;
import org.dmarcq.identity.Identification;

/**
 * One sending IP address in a scope. Message counts sum the records' {@code count}; DMARC pass and
 * fail are the receivers' verdicts (dmarcq's recomputation where a receiver gave none); SPF and
 * DKIM aligned are dmarcq's recomputation under the published alignment modes.
 *
 * @param reason the failure reason with the most failing messages, or null when nothing failed
 * @param envelopeFrom the envelope-from domains seen, or where receivers did not report one, the SPF domains
 * @param disagreements records on which the receiver's verdict and dmarcq's recomputation differ
 * @param ptr the forward-confirmed reverse DNS name of the address, from the cache, or null
 * @param system the sending service the {@link org.dmarcq.identity.ServiceMap} names from its domains, or null
 * @param sendingSystem the system it is grouped into: the service's name, the organizational domain of its
 *     PTR name, or the address itself (see {@link SendingSystems})
 * @param inventoryName the inventory entry that recognises it, or null
 */
public record Sender(String sourceIp, long messages, long dmarcPass, long dmarcFail, long spfAligned, long dkimAligned,
                     String reason, List<String> headerFrom, List<String> envelopeFrom, List<String> dkimDomains,
                     List<String> reporters, Instant firstSeen, Instant lastSeen, long disagreements,
                     String ptr, Identification system, String sendingSystem, String inventoryName) {}
