package org.dmarcq.analysis;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.dmarcq.store.Store;

/**
 * The sending systems in a scope ({@link SendingSystem}), most messages first, named, matched
 * against the inventory and classed as {@link SourceAnalysis} does under p=quarantine.
 */
public final class SendingSystems {
    private SendingSystems() {}

    /** Every sending system in the scope. */
    public static List<SendingSystem> list(Store store, Scope scope, Classes classes, Naming naming) {
        return list(store, scope, classes, naming, Filter.ALL, 0).rows();
    }

    /** The first {@code limit} systems (all when 0) of those the filter lets through, in their order, and what the others are. */
    public static Page<SendingSystem> list(Store store, Scope scope, Classes classes, Naming naming, Filter filter, int limit) {
        List<SendingSystem> systems = new ArrayList<>();
        Page<SendingSystem> page = each(store, scope, classes, naming, filter, limit, systems::add);
        return new Page<>(systems, page.total(), page.notShown());
    }

    /**
     * The same systems, given to {@code each} in their order as they are read rather than kept:
     * where forgers send from tens of thousands of addresses, each is a system. The page has no rows.
     */
    public static Page<SendingSystem> each(Store store, Scope scope, Classes classes, Naming naming, Filter filter, int limit,
                                           Consumer<? super SendingSystem> each) {
        try (SourceAnalysis analysis = SourceAnalysis.prepare(store, scope, Proposal.of(Disposition.QUARANTINE), classes, naming)) {
            Page<Void> page = analysis.sendingSystems(filter.sql(), limit, f -> each.accept(system(f)));
            return Page.streamed(page.shown(), page.total(), page.notShown());
        }
    }

    static SendingSystem system(SourceAnalysis.Facts f) {
        TreeSet<String> dkim = new TreeSet<>(f.dkimDomains());
        dkim.addAll(f.failedDkimDomains());
        return new SendingSystem(f.system(), f.serviceType(), f.ips(), f.ptrs(), f.messages(), f.messages() - f.failing(),
                f.failing(), f.spfAlignedMessages(), f.dkimAlignedMessages(), f.reason(), f.headerFrom(),
                List.copyOf(dkim), f.envelopeFrom(), f.reporters(), Scope.instant(f.firstSeen()), Scope.instant(f.lastSeen()),
                f.entryName(), f.senderClass(), Explain.evidence(f), f.service(), f.serviceDetail(), f.dkimDomains(),
                f.spfPassDomains(), f.sendingDays(), f.dkimKeys(), f.failingDkimKeys());
    }

    /**
     * Which systems to list: each condition given narrows them. {@code unknownOnly}: not in the
     * inventory; {@code firstSeenFrom}: first seen then or later; {@code minMessages}: at least that
     * many messages; {@code classes}: of these classes (all when empty); {@code failingOnly}: with
     * failing messages.
     */
    public record Filter(boolean unknownOnly, Instant firstSeenFrom, long minMessages, Set<SenderClass> classes, boolean failingOnly) {
        public static final Filter ALL = new Filter(false, null, 0, Set.of(), false);

        public Filter {
            classes = Set.copyOf(classes);
        }

        String sql() {
            List<String> conditions = new ArrayList<>(List.of("TRUE"));
            if (unknownOnly) {
                conditions.add("entry_name IS NULL");
            }
            if (firstSeenFrom != null) {
                conditions.add("first_seen >= TIMESTAMP '" + LocalDateTime.ofInstant(firstSeenFrom, ZoneOffset.UTC) + "'");
            }
            if (minMessages > 0) {
                conditions.add("messages >= " + minMessages);
            }
            if (!classes.isEmpty()) {
                conditions.add("class IN (" + String.join(", ", classes.stream().map(c -> "'" + c.word() + "'").sorted().toList()) + ")");
            }
            if (failingOnly) {
                conditions.add("failing > 0");
            }
            return String.join(" AND ", conditions);
        }
    }
}
