package org.dmarcq.analysis;

import java.util.Objects;

/**
 * A DMARC policy to try: {@code p}, and optionally {@code sp} (inherits {@code p} when null),
 * {@code pct} (RFC 7489; 100 when null), {@code t=y} testing (RFC 9989), and stricter alignment
 * ({@code adkim}/{@code aspf} {@code s}; as published when null).
 */
public record Proposal(Disposition p, Disposition sp, Integer pct, boolean testing, String adkim, String aspf) {
    public Proposal {
        Objects.requireNonNull(p, "p");
        if (pct != null && (pct < 0 || pct > 100)) {
            throw new IllegalArgumentException("pct must be 0 to 100, not " + pct);
        }
        for (String mode : new String[] {adkim, aspf}) {
            if (mode != null && !mode.equals("s") && !mode.equals("r")) {
                throw new IllegalArgumentException("alignment modes are r or s, not " + mode);
            }
        }
    }

    public static Proposal of(Disposition p) {
        return new Proposal(p, null, null, false, null, null);
    }

    /** The policy that governs mail from a subdomain of the policy domain (RFC 7489 6.6.3). */
    Disposition subdomainPolicy() {
        return sp != null ? sp : p;
    }

    boolean changesAlignment() {
        return adkim != null || aspf != null;
    }
}
