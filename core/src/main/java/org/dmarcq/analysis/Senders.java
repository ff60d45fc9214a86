package org.dmarcq.analysis;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.dmarcq.store.Store;

/**
 * Who sends mail as the domain: one {@link Sender} per source IP, from the {@code record_verdicts}
 * view, most failing messages first, then most messages; named, grouped and classed as
 * {@link SourceAnalysis} does under p=quarantine.
 */
public final class Senders {
    private Senders() {}

    /** The senders in a scope; only those with failing messages when {@code failingOnly}. */
    public static List<Sender> list(Store store, Scope scope, boolean failingOnly) {
        return list(store, scope, failingOnly, Classes.defaults(), Naming.defaults(), 0).rows();
    }

    /**
     * The same, naming services, systems and inventory entries as {@code naming} says: the first
     * {@code limit} senders in their order (all when 0), and what the others are.
     */
    public static Page<Sender> list(Store store, Scope scope, boolean failingOnly, Classes classes, Naming naming, int limit) {
        List<Sender> senders = new ArrayList<>();
        Page<Sender> page = each(store, scope, failingOnly, classes, naming, limit, senders::add);
        return new Page<>(senders, page.total(), page.notShown());
    }

    /**
     * The same senders, given to {@code each} in their order as they are read rather than kept:
     * tens of thousands of addresses need not fit in memory at once. The page has no rows.
     */
    public static Page<Sender> each(Store store, Scope scope, boolean failingOnly, Classes classes, Naming naming, int limit,
                                    Consumer<? super Sender> each) {
        try (SourceAnalysis analysis = SourceAnalysis.prepare(store, scope, Proposal.of(Disposition.QUARANTINE), classes, naming)) {
            Page<Void> page = analysis.addresses(failingOnly, limit, (row, facts) -> each.accept(new Sender(row.string("source_ip"),
                    row.number("address_messages"), row.number("dmarc_pass"), row.number("dmarc_fail"), row.number("spf_aligned"),
                    row.number("dkim_aligned"), row.string("address_reason"), row.strings("address_header_from"),
                    row.strings("address_envelope_from"), row.strings("address_dkim_domains"), row.strings("address_reporters"),
                    Scope.instant(row.time("address_first_seen")), Scope.instant(row.time("address_last_seen")),
                    row.number("disagreements"), facts.ptr(), facts.service(), facts.serviceType(), facts.serviceDetail(),
                    facts.system(), facts.entryName(), facts.senderClass(), Explain.evidence(facts))));
            return Page.streamed(page.shown(), page.total(), page.notShown());
        }
    }
}
