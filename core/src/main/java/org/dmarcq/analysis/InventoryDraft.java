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
 * flagged for review): the admin reviews
 * them, fills in owner and purpose, and keeps what is right. A system is recognised by what a
 * forger cannot fake and no other system shares: its own DKIM keys ({@code selector._domainkey.
 * domain}: the domain alone is every signing system's), DKIM and SPF domains of its own, the
 * reverse DNS domain of its servers, else its addresses (flagged when a shared platform's). Never
 * a whole shared platform.
 */
public final class InventoryDraft {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private InventoryDraft() {}

    /** The draft as YAML in the inventory's format, with comments per system saying what it sent and what to check. */
    public static String yaml(List<SendingSystem> systems, Naming naming) {
        StringBuilder out = new StringBuilder("""
                # Draft inventory by dmarcq: the sending systems seen that the inventory does not know and that are not
                # spoofing or forwarders. Review every entry, fill in owner and purpose, delete what is not yours (or
                # keep it with ours: false, so that its mail counts as spoofing), and save as your inventory.
                systems:
                """);
        List<SendingSystem> candidates = systems.stream().filter(s -> s.inventoryName() == null
                && (s.senderClass() == SenderClass.PASSING || s.senderClass() == SenderClass.UNVERIFIED
                        || s.senderClass() == SenderClass.MISCONFIGURED)).toList();
        int count = 0;
        for (SendingSystem s : candidates) {
            count++;
            boolean unverified = s.senderClass() == SenderClass.UNVERIFIED;
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", s.name());
            entry.put("owner", "?");
            entry.put("purpose", "?");
            List<String> notes = new ArrayList<>();
            // The system's own DKIM keys: a selector of the owner's domain is one system's, the domain is every one's.
            List<String> keys = s.dkimKeys().stream().filter(k -> !shared(k, naming)).toList();
            List<String> dkim = specific(s.dkimPassDomains(), s, naming);
            List<String> spf = specific(s.spfPassDomains(), s, naming);
            List<String> ptr = s.ptr().stream().map(p -> naming.suffixes().organizationalDomain(p)).filter(p -> p != null)
                    .distinct().filter(p -> !shared(p, naming)).toList();
            if (!keys.isEmpty() && (s.service() != null || dkim.isEmpty())) {
                entry.put("dkim", keys);
            } else if (!dkim.isEmpty()) {
                entry.put("dkim", dkim);
            } else if (!spf.isEmpty()) {
                entry.put("envelope", spf);
            } else if (!ptr.isEmpty()) {
                entry.put("ptr", ptr);
            } else {
                List<String> cidr = new ArrayList<>();
                for (String ip : s.ips()) {
                    cidr.add(ip + (ip.contains(":") ? "/128" : "/32"));
                }
                entry.put("cidr", cidr);
                if (s.service() != null) {
                    notes.add("these addresses belong to " + s.service() + ", shared with its other customers: by address, the"
                            + " entry also claims their mail; ask " + s.service() + " for DKIM signing as your domain instead");
                }
            }
            out.append(String.format(Locale.ROOT, "  # %,d messages, %,d passing DMARC, %s to %s, from %s%n", s.messages(),
                    s.dmarcPass(), s.firstSeen().toString().substring(0, 10), s.lastSeen().toString().substring(0, 10),
                    summary(s.ips())));
            if (unverified) {
                notes.add(0, "UNVERIFIED: nothing ties it to you (" + s.reason() + "); keep it only if it is yours, else set"
                        + " ours: false");
            } else if (s.senderClass() == SenderClass.MISCONFIGURED) {
                notes.add(0, "yours by its evidence, and its mail fails DMARC (" + s.reason() + "): see dmarcq whatif for the fix");
            }
            if (s.type() == null && s.spfAligned() == 0 && s.dkimAligned() > 0) {
                notes.add("passes by DKIM only, SPF is for " + String.join(", ", s.envelopeFrom())
                        + ": if it forwards or re-sends your mail rather than sending it for you, delete it");
            }
            for (String note : notes) {
                out.append("  # ").append(note).append('\n');
            }
            append(out, entry);
        }
        if (count == 0) {
            out.append("  []  # nothing new: every system that passes DMARC is already in the inventory\n");
        }
        return out.toString();
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

    /** The domains that are the system's alone: no shared platform's, and not the owner's (which every own system has). */
    private static List<String> specific(List<String> domains, SendingSystem s, Naming naming) {
        return domains.stream().filter(d -> !shared(d, naming) && !own(d, s, naming)).toList();
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
