package org.dmarcq.analysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.dmarcq.store.Store;

/** The sending systems in a scope ({@link SendingSystem}), most messages first, matched against an inventory. */
public final class SendingSystems {
    private SendingSystems() {}

    public static List<SendingSystem> list(Store store, Scope scope, Naming naming) {
        return group(Senders.list(store, scope, false, naming), naming);
    }

    /** Senders grouped into their systems ({@link Sender#sendingSystem()}). */
    public static List<SendingSystem> group(List<Sender> senders, Naming naming) {
        Map<String, List<Sender>> groups = new LinkedHashMap<>();
        for (Sender s : senders) {
            groups.computeIfAbsent(s.sendingSystem(), k -> new ArrayList<>()).add(s);
        }
        List<SendingSystem> systems = new ArrayList<>();
        groups.forEach((name, members) -> systems.add(system(name, members, naming)));
        systems.sort(Comparator.comparingLong(SendingSystem::messages).reversed().thenComparing(SendingSystem::name));
        return systems;
    }

    private static SendingSystem system(String name, List<Sender> members, Naming naming) {
        TreeSet<String> ips = new TreeSet<>();
        TreeSet<String> ptr = new TreeSet<>();
        TreeSet<String> headerFrom = new TreeSet<>();
        TreeSet<String> dkim = new TreeSet<>();
        TreeSet<String> envelope = new TreeSet<>();
        TreeSet<String> reporters = new TreeSet<>();
        long messages = 0;
        long pass = 0;
        long fail = 0;
        long spfAligned = 0;
        long dkimAligned = 0;
        Instant first = null;
        Instant last = null;
        Sender worst = null;
        for (Sender s : members) {
            ips.add(s.sourceIp());
            if (s.ptr() != null) {
                ptr.add(s.ptr());
            }
            headerFrom.addAll(s.headerFrom());
            dkim.addAll(s.dkimDomains());
            envelope.addAll(s.envelopeFrom());
            reporters.addAll(s.reporters());
            messages += s.messages();
            pass += s.dmarcPass();
            fail += s.dmarcFail();
            spfAligned += s.spfAligned();
            dkimAligned += s.dkimAligned();
            first = first == null || s.firstSeen().isBefore(first) ? s.firstSeen() : first;
            last = last == null || s.lastSeen().isAfter(last) ? s.lastSeen() : last;
            if (s.reason() != null && (worst == null || s.dmarcFail() > worst.dmarcFail())) {
                worst = s;
            }
        }
        String type = members.get(0).system() == null ? null : members.get(0).system().service().type();
        String service = members.get(0).system() == null ? null : members.get(0).system().service().name();
        String known = naming.inventoryName(ips, ptr, dkim, envelope, service);
        return new SendingSystem(name, type, List.copyOf(ips), List.copyOf(ptr), messages, pass, fail, spfAligned, dkimAligned,
                worst == null ? null : worst.reason(), List.copyOf(headerFrom), List.copyOf(dkim), List.copyOf(envelope),
                List.copyOf(reporters), first, last, known);
    }
}
