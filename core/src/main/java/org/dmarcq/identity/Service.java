package org.dmarcq.identity;

import java.util.List;

/**
 * A sending service and what gives it away: PTR names of its servers, DKIM signing domains,
 * envelope-from (bounce) domains, the address ranges it sends from, and the domains its customers
 * {@code include:} in their SPF records. A domain matches an entry that is the same name or a
 * parent of it.
 */
public record Service(String name, String type, List<String> ptr, List<String> dkim, List<String> envelope, List<String> cidr,
                      List<String> spf) {
    public Service {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a service needs a name");
        }
        ptr = ptr == null ? List.of() : List.copyOf(ptr);
        dkim = dkim == null ? List.of() : List.copyOf(dkim);
        envelope = envelope == null ? List.of() : List.copyOf(envelope);
        cidr = cidr == null ? List.of() : List.copyOf(cidr);
        spf = spf == null ? List.of() : List.copyOf(spf);
    }
}
