package org.dmarcq.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.dmarcq.store.Store;

/**
 * The sending systems in a scope ({@link SendingSystem}), most messages first, named, matched
 * against the inventory and classed as {@link SourceAnalysis} does under p=quarantine.
 */
public final class SendingSystems {
    private SendingSystems() {}

    public static List<SendingSystem> list(Store store, Scope scope, Classes classes, Naming naming) {
        List<SendingSystem> systems = new ArrayList<>();
        try (SourceAnalysis analysis = SourceAnalysis.prepare(store, scope, Proposal.of(Disposition.QUARANTINE), classes, naming)) {
            for (SourceAnalysis.Facts f : analysis.sendingSystems()) {
                TreeSet<String> dkim = new TreeSet<>(f.dkimDomains());
                dkim.addAll(f.failedDkimDomains());
                systems.add(new SendingSystem(f.system(), f.serviceType(), f.ips(), f.ptrs(), f.messages(), f.messages() - f.failing(),
                        f.failing(), f.spfAlignedMessages(), f.dkimAlignedMessages(), f.reason(), f.headerFrom(),
                        List.copyOf(dkim), f.envelopeFrom(), f.reporters(), Scope.instant(f.firstSeen()), Scope.instant(f.lastSeen()),
                        f.entryName(), f.senderClass(), Explain.evidence(f), f.service(), f.serviceDetail(), f.dkimDomains(),
                        f.spfPassDomains(), f.sendingDays(), f.dkimKeys(), f.failingDkimKeys()));
            }
        }
        return systems;
    }
}
