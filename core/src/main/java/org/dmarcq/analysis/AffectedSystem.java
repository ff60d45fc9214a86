package org.dmarcq.analysis;

import java.util.List;

/**
 * A sending system whose mail would be quarantined or rejected under a {@link Proposal}: the
 * sources of one policy domain grouped by inventory entry, service, PTR organizational domain or
 * address, and by class (a system with sources of two classes is two of these).
 *
 * @param ips its addresses, most failing messages first
 * @param sendingDays UTC days on which any of its addresses sent mail in the scope
 * @param reasons the failure reasons of its sources, each once
 * @param fix what to do, once for the whole system
 * @param inventory the inventory entry its mail matched, or null
 */
public record AffectedSystem(String policyDomain, String name, SenderClass senderClass, List<String> ips, long failingMessages,
                             double quarantined, double rejected, int sendingDays, double messagesPerSendingDay, String reason,
                             List<String> reasons, String fix, List<Evidence> evidence, String service, String ptr,
                             String inventory, long messagesRfc7489, long messages) {

    /** Expected messages quarantined or rejected. */
    public double affected() {
        return quarantined + rejected;
    }

    static AffectedSystem of(SourceAnalysis.Facts f) {
        return new AffectedSystem(f.policyDomain(), f.system(), f.senderClass(), f.ips(), f.failing(), f.quarantined(),
                f.rejected(), f.sendingDays(), f.perSendingDay(), f.reason(), f.reasons(), Explain.fix(f), Explain.evidence(f),
                f.service(), f.ptr(), f.entryName(), f.messagesRfc7489(), f.messages());
    }
}
