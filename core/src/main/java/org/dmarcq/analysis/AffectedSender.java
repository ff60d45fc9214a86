package org.dmarcq.analysis;

import java.time.LocalDate;
import java.util.List;
import java.util.SortedMap;

/**
 * A source whose mail would be quarantined or rejected under a {@link Proposal}.
 *
 * @param failingMessages messages from it that fail DMARC under the proposal (exact)
 * @param quarantined expected messages quarantined (pct and testing applied, so possibly fractional)
 * @param rejected expected messages rejected
 * @param reason its main failure reason (see {@code record_verdicts.reason}), or {@code strict-alignment}
 *     when it fails only because of the proposal's stricter alignment
 * @param fix what to do, in words
 * @param evidence the facts the class and the fix rest on
 * @param perDay expected messages quarantined or rejected per UTC day, multi-day reports spread pro rata
 * @param names what it is called
 */
public record AffectedSender(String policyDomain, String sourceIp, SenderClass senderClass, long failingMessages,
                             double quarantined, double rejected, String reason, String fix, List<String> evidence,
                             List<String> headerFrom, List<String> dkimDomains, List<String> spfDomains, int days,
                             SortedMap<LocalDate, Double> perDay, Names names) {

    /**
     * What a source is called.
     *
     * @param service the sending service named by the service map (passing DKIM, envelope, cached PTR), or null
     * @param ptr its forward-confirmed reverse DNS name, from the cache, or null
     * @param sendingSystem the system it is grouped into: service, PTR organizational domain or the address
     * @param inventory the inventory entry that recognises it, or null
     */
    public record Names(String service, String ptr, String sendingSystem, String inventory) {}

    /** The sending service, or null. */
    public String system() {
        return names.service();
    }

    /** Expected messages quarantined or rejected. */
    public double messages() {
        return quarantined + rejected;
    }
}
