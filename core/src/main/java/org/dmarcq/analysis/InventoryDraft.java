package org.dmarcq.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dmarcq.identity.Service;

/**
 * Drafts inventory entries for the sending systems the inventory does not know yet, that pass
 * DMARC, that evidence ties to the owner, or that nothing ties to the owner yet (unverified,
 * flagged for review): the admin reviews them, fills in owner and purpose, and keeps what is
 * right. An entry matches only what a forger cannot fake and no other system shares: the owner's
 * own DKIM keys ({@code selector._domainkey.domain}: the domain alone is every signing system's),
 * else the owner's reverse DNS domain, else the system's addresses (flagged when a shared
 * platform's). Never a whole shared platform, and never a domain another party signs with: a
 * platform's domain is its customers', a forger's is the forger's. An unverified system is drafted
 * by what its failing mail shows, since that is the mail to decide on; entries that would match the
 * same mail are drafted once.
 */
public final class InventoryDraft {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private InventoryDraft() {}

    /** One entry of the draft: what it matches, and the comments above it, a block per system it covers. */
    private record Draft(String name, String key, List<String> values, List<List<String>> blocks) {
        Draft(String name, String key, List<String> values, List<String> notes, String what) {
            this(name, key, values, new ArrayList<>());
            List<String> block = new ArrayList<>();
            block.add(what);
            block.addAll(notes);
            blocks.add(block);
        }
    }

    /** The draft as YAML in the inventory's format, with comments per system saying what it sent and what to check. */
    public static String yaml(List<SendingSystem> systems, Naming naming) {
        StringBuilder out = new StringBuilder("""
                # Draft inventory by dmarcq: the sending systems seen that the inventory does not know and that are not
                # spoofing or forwarders. Review every entry, fill in owner and purpose, delete what is not yours (or
                # keep it with ours: false, so that its mail counts as spoofing), and save as your inventory.
                systems:
                """);
        Map<String, Draft> drafts = new LinkedHashMap<>();
        for (SendingSystem s : systems) {
            if (s.inventoryName() != null || !(s.senderClass() == SenderClass.PASSING || s.senderClass() == SenderClass.UNVERIFIED
                    || s.senderClass() == SenderClass.MISCONFIGURED)) {
                continue;
            }
            String what = String.format(Locale.ROOT, "%,d %s, %,d passing DMARC, %s to %s, from %s", s.messages(),
                    s.messages() == 1 ? "message" : "messages", s.dmarcPass(), s.firstSeen().toString().substring(0, 10), s.lastSeen().toString().substring(0, 10),
                    summary(s.ips()));
            List<String> ownKeys = s.dkimKeys().stream().filter(k -> own(k, s, naming) && !shared(k, naming)).toList();
            if (s.senderClass() == SenderClass.UNVERIFIED) {
                if (!ownKeys.isEmpty()) {
                    // its mail signed with the owner's key is the owner's; the rest is what to decide on
                    add(drafts, new Draft(s.name() + " (signed with your key)", "dkim", ownKeys, List.of(), what));
                }
                List<String> foreignKeys = s.failingDkimKeys().stream().filter(k -> !own(k, s, naming) && !shared(k, naming))
                        .toList();
                List<String> notes = new ArrayList<>();
                notes.add("UNVERIFIED: nothing ties it to you (" + s.reason() + "); keep it with ours: true only if it is yours,"
                        + " else set ours: false");
                if (!foreignKeys.isEmpty() && "dkim-third-party".equals(s.reason())) {
                    notes.add("matches its failing mail by the key it is signed with; a platform may sign its other customers'"
                            + " mail with the same key: ask it to sign as your own domain instead");
                    add(drafts, new Draft(s.name(), "dkim", foreignKeys, notes, what));
                } else {
                    add(drafts, byAddress(s, notes, what));
                }
                continue;
            }
            List<String> notes = new ArrayList<>();
            if (s.senderClass() == SenderClass.MISCONFIGURED) {
                notes.add("yours by its evidence, and its mail fails DMARC (" + s.reason() + "): see dmarcq whatif for the fix");
            }
            if (ownKeys.isEmpty() && s.type() == null && s.spfAligned() == 0 && s.dkimAligned() > 0) {
                // by key, an entry claims only the signed mail, which is the owner's wherever it is relayed
                notes.add("passes by DKIM only, SPF is for " + String.join(", ", s.envelopeFrom())
                        + ": if it forwards or re-sends your mail rather than sending it for you, delete it");
            }
            List<String> ptr = s.ptr().stream().map(p -> naming.suffixes().organizationalDomain(p)).filter(p -> p != null)
                    .distinct().filter(p -> own(p, s, naming) && !shared(p, naming)).toList();
            if (!ownKeys.isEmpty()) {
                add(drafts, new Draft(s.name(), "dkim", ownKeys, notes, what));
            } else if (!ptr.isEmpty()) {
                add(drafts, new Draft(s.name(), "ptr", ptr, notes, what));
            } else {
                add(drafts, byAddress(s, notes, what));
            }
        }
        for (Draft d : drafts.values()) {
            for (int i = 0; i < d.blocks().size(); i++) {
                for (String line : d.blocks().get(i)) {
                    out.append("  # ").append(i > 0 && line == d.blocks().get(i).get(0) ? "and " + line : line).append('\n');
                }
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", d.name());
            entry.put("owner", "?");
            entry.put("purpose", "?");
            entry.put(d.key(), d.values());
            append(out, entry);
        }
        if (drafts.isEmpty()) {
            out.append("  []  # nothing new: every system that passes DMARC is already in the inventory\n");
        }
        return out.toString();
    }

    /** An entry by the system's addresses, flagged when they are a shared platform's. */
    private static Draft byAddress(SendingSystem s, List<String> notes, String what) {
        List<String> cidr = new ArrayList<>();
        for (String ip : s.ips()) {
            cidr.add(ip + (ip.contains(":") ? "/128" : "/32"));
        }
        if (s.service() != null) {
            notes.add("these addresses belong to " + s.service() + ", shared with its other customers: by address, the"
                    + " entry also claims their mail; ask " + s.service() + " for DKIM signing as your domain instead");
        }
        return new Draft(s.name(), "cidr", cidr, notes, what);
    }

    /** Adds the draft, or merges it into one that matches the same mail: one entry, with both systems' comments. */
    private static void add(Map<String, Draft> drafts, Draft d) {
        Draft same = drafts.putIfAbsent(d.key() + " " + String.join(" ", d.values()), d);
        if (same != null) {
            same.blocks().addAll(d.blocks());
        }
    }

    private static void append(StringBuilder out, Map<String, Object> entry) {
        try {
            String item = YAML.writeValueAsString(List.of(entry));
            item.lines().forEach(line -> out.append("  ").append(line).append('\n'));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write YAML", e);
        }
    }

    private static String summary(List<String> names) {
        return String.join(", ", names.subList(0, Math.min(3, names.size())))
                + (names.size() > 3 ? " and " + (names.size() - 3) + " more" : "");
    }

    private static String org(String domain, Naming naming) {
        String org = naming.suffixes().organizationalDomain(domain);
        return org == null ? domain : org;
    }

    /** Whether a domain is the system's own From domain's organization: the owner's DKIM key or SPF record. */
    private static boolean own(String domain, SendingSystem s, Naming naming) {
        for (String from : s.headerFrom()) {
            if (org(domain, naming).equals(org(from, naming))) {
                return true;
            }
        }
        return false;
    }

    private static boolean shared(String domain, Naming naming) {
        for (Service s : naming.services().services()) {
            for (List<String> listed : List.of(s.dkim(), s.envelope(), s.ptr())) {
                for (String l : listed) {
                    if (domain.equals(l) || domain.endsWith("." + l)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
