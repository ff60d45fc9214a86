package org.dmarcq.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drafts inventory entries for the sending systems that pass DMARC and the inventory does not know
 * yet: the admin reviews them, fills in owner and purpose, and keeps what is right.
 */
public final class InventoryDraft {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private InventoryDraft() {}

    /** The draft as YAML in the inventory's format, with a comment per system saying what it sent. */
    public static String yaml(List<SendingSystem> systems) {
        StringBuilder out = new StringBuilder("""
                # Draft inventory by dmarcq: the sending systems seen passing DMARC that the inventory does not know.
                # Review every entry, fill in owner and purpose, delete what is not yours, and save as your inventory.
                systems:
                """);
        int count = 0;
        for (SendingSystem s : systems) {
            if (s.inventoryName() != null || s.dmarcPass() == 0) {
                continue;
            }
            count++;
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", s.name());
            entry.put("owner", "?");
            entry.put("purpose", "?");
            if (s.type() != null) {
                entry.put("services", List.of(s.name()));
            } else if (!s.ptr().isEmpty() && !s.name().equals(s.ips().get(0))) {
                entry.put("ptr", List.of(s.name()));
            } else {
                List<String> cidr = new ArrayList<>();
                for (String ip : s.ips()) {
                    cidr.add(ip + (ip.contains(":") ? "/128" : "/32"));
                }
                entry.put("cidr", cidr);
            }
            out.append(String.format("  # %,d messages, %,d passing DMARC, %s to %s, from %s%n", s.messages(), s.dmarcPass(),
                    s.firstSeen().toString().substring(0, 10), s.lastSeen().toString().substring(0, 10),
                    String.join(", ", s.ips().subList(0, Math.min(3, s.ips().size())))
                            + (s.ips().size() > 3 ? " and " + (s.ips().size() - 3) + " more" : "")));
            if (s.type() == null && s.spfAligned() == 0 && s.dkimAligned() > 0) {
                out.append("  # passes by DKIM only, SPF is for ").append(String.join(", ", s.envelopeFrom()))
                        .append(": if it forwards or re-sends your mail rather than sending it for you, delete it\n");
            }
            try {
                String item = YAML.writeValueAsString(List.of(entry));
                item.lines().forEach(line -> out.append("  ").append(line).append('\n'));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write YAML", e);
            }
        }
        if (count == 0) {
            out.append("  []  # nothing new: every system that passes DMARC is already in the inventory\n");
        }
        return out.toString();
    }
}
