package org.dmarcq.analysis;

import java.util.Locale;

/** A DMARC policy, or what a receiver does with a failing message under it. */
public enum Disposition {
    NONE, QUARANTINE, REJECT;

    /** The published word ({@code none}, {@code quarantine}, {@code reject}), or null for anything else. */
    public static Disposition of(String word) {
        if (word == null) {
            return null;
        }
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "quarantine" -> QUARANTINE;
            case "reject" -> REJECT;
            default -> null;
        };
    }

    /** One level down: what an RFC 9989 receiver applies under {@code t=y}. */
    Disposition lower() {
        return this == REJECT ? QUARANTINE : NONE;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
