package org.dmarcq.analysis;

import java.time.Instant;
import java.util.List;

/**
 * One sending IP address in a scope. Message counts sum the records' {@code count}; DMARC pass and
 * fail are the receivers' verdicts (dmarcq's recomputation where a receiver gave none); SPF and
 * DKIM aligned are dmarcq's recomputation under the published alignment modes.
 *
 * @param reason the failure reason with the most failing messages, or null when nothing failed
 * @param envelopeFrom the envelope-from domains seen, or where receivers did not report one, the SPF domains
 * @param disagreements records on which the receiver's verdict and dmarcq's recomputation differ
 * @param ptr the forward-confirmed reverse DNS name of the address, from the cache, or null
 * @param service the sending service behind most of its messages, by the service map, or null;
 *     {@code serviceType} its type and {@code serviceEvidence} what gave it away (e.g. {@code DKIM d=sendgrid.net})
 * @param sendingSystem the system it is grouped into: its inventory entry, its service, the
 *     organizational domain of its PTR name, or the address itself
 * @param inventoryName the inventory entry that its mail matched, or null
 * @param senderClass the class of its failing mail under p=quarantine (see {@link SourceAnalysis}), or passing
 */
public record Sender(String sourceIp, long messages, long dmarcPass, long dmarcFail, long spfAligned, long dkimAligned,
                     String reason, List<String> headerFrom, List<String> envelopeFrom, List<String> dkimDomains,
                     List<String> reporters, Instant firstSeen, Instant lastSeen, long disagreements,
                     String ptr, String service, String serviceType, String serviceEvidence, String sendingSystem,
                     String inventoryName, SenderClass senderClass, List<Evidence> evidence) {

    Sender withEvidence(List<Evidence> evidence) {
        return new Sender(sourceIp, messages, dmarcPass, dmarcFail, spfAligned, dkimAligned, reason, headerFrom, envelopeFrom,
                dkimDomains, reporters, firstSeen, lastSeen, disagreements, ptr, service, serviceType, serviceEvidence, sendingSystem,
                inventoryName, senderClass, evidence);
    }
}
