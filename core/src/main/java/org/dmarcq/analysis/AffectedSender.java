package org.dmarcq.analysis;

import java.time.LocalDate;
import java.util.List;
import java.util.SortedMap;

/**
 * A source (one address's mail for one policy domain) whose mail would be quarantined or rejected
 * under a {@link Proposal}.
 *
 * @param failingMessages messages from it that fail DMARC under the proposal (exact)
 * @param quarantined expected messages quarantined (pct and testing applied, so possibly fractional)
 * @param rejected expected messages rejected
 * @param reason its main failure reason (see {@code record_verdicts.reason}), or {@code strict-alignment}
 *     when it fails only because of the proposal's stricter alignment, or {@code receiver-fail}
 * @param fix what to do, in words
 * @param evidence the facts the class and the fix rest on
 * @param days UTC days with mail of it that the proposal affects
 * @param sendingDays UTC days on which it sent any mail in the scope
 * @param perDay expected messages quarantined or rejected per UTC day, multi-day reports spread pro rata
 * @param names what it is called
 */
public record AffectedSender(String policyDomain, String sourceIp, SenderClass senderClass, long failingMessages,
                             double quarantined, double rejected, String reason, String fix, List<Evidence> evidence,
                             List<String> headerFrom, List<String> dkimDomains, List<String> spfDomains, int days,
                             int sendingDays, double messagesPerSendingDay, SortedMap<LocalDate, Double> perDay, Names names) {

    /**
     * What a source is called.
     *
     * @param service the sending service behind most of its messages, by the service map, or null
     * @param ptr its forward-confirmed reverse DNS name, from the cache, or null
     * @param sendingSystem the system it is grouped into: inventory entry, service, PTR organizational domain or the address
     * @param inventory the inventory entry that its mail matched, or null
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

    static AffectedSender of(SourceAnalysis.Facts f) {
        return new AffectedSender(f.policyDomain(), f.sourceIp(), f.senderClass(), f.failing(), f.quarantined(), f.rejected(),
                f.reason(), Explain.fix(f), Explain.evidence(f), f.headerFrom(), f.dkimDomains(), f.spfDomains(),
                (int) f.perDay().values().stream().filter(n -> n > 0).count(), f.sendingDays(), f.perSendingDay(), f.perDay(),
                new Names(f.service(), f.ptr(), f.system(), f.entryName()));
    }
}
