package org.dmarcq.analysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.dmarcq.identity.Inventory;
import org.dmarcq.identity.ServiceMap;
import org.dmarcq.rules.DomainNames;
import org.dmarcq.rules.PublicSuffixList;
import org.dmarcq.store.Store;

/** The sending systems in a scope ({@link SendingSystem}), most messages first, matched against an inventory. */
public final class SendingSystems {
    private SendingSystems() {}

    public static List<SendingSystem> list(Store store, Scope scope, ServiceMap services, Inventory inventory,
                                           PublicSuffixList suffixes) {
        Map<String, List<Sender>> groups = new LinkedHashMap<>();
        for (Sender s : Senders.list(store, scope, false, services)) {
            groups.computeIfAbsent(key(s, suffixes), k -> new ArrayList<>()).add(s);
        }
        List<SendingSystem> systems = new ArrayList<>();
        groups.forEach((name, members) -> systems.add(system(name, members, inventory)));
        systems.sort(Comparator.comparingLong(SendingSystem::messages).reversed().thenComparing(SendingSystem::name));
        return systems;
    }

    private static String key(Sender s, PublicSuffixList suffixes) {
        if (s.system() != null) {
            return s.system().service().name();
        }
        if (s.ptr() != null) {
            String org = suffixes.organizationalDomain(DomainNames.toAscii(s.ptr()));
            if (org != null) {
                return org;
            }
        }
        return s.sourceIp();
    }

    private static SendingSystem system(String name, List<Sender> members, Inventory inventory) {
        TreeSet<String> ips = new TreeSet<>();
        TreeSet<String> ptr = new TreeSet<>();
        TreeSet<String> headerFrom = new TreeSet<>();
        TreeSet<String> dkim = new TreeSet<>();
        TreeSet<String> envelope = new TreeSet<>();
        TreeSet<String> reporters = new TreeSet<>();
        long messages = 0;
        long pass = 0;
        long fail = 0;
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
            first = first == null || s.firstSeen().isBefore(first) ? s.firstSeen() : first;
            last = last == null || s.lastSeen().isAfter(last) ? s.lastSeen() : last;
            if (s.reason() != null && (worst == null || s.dmarcFail() > worst.dmarcFail())) {
                worst = s;
            }
        }
        String type = members.get(0).system() == null ? null : members.get(0).system().service().type();
        String service = members.get(0).system() == null ? null : members.get(0).system().service().name();
        String known = inventory.match(ips, ptr, dkim, envelope, service).map(Inventory.Entry::name).orElse(null);
        return new SendingSystem(name, type, List.copyOf(ips), List.copyOf(ptr), messages, pass, fail,
                worst == null ? null : worst.reason(), List.copyOf(headerFrom), List.copyOf(dkim), List.copyOf(envelope),
                List.copyOf(reporters), first, last, known);
    }
}
