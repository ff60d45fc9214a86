package org.dmarcq.analysis;

import java.util.Locale;

/**
 * One fact a class or a fix rests on, and what kind of fact it is: whether it ties the source to
 * the owner ({@link Kind#INVENTORY}, {@link Kind#PTR}, {@link Kind#DKIM} aligned) or only describes it.
 */
public record Evidence(Kind kind, String detail) {
    /** What the fact is about. */
    public enum Kind {
        /** the admin's inventory: an entry matched by what a forger cannot fake */
        INVENTORY,
        /** SPF results */
        SPF,
        /** forward-confirmed reverse DNS */
        PTR,
        /** DKIM results */
        DKIM,
        /** receivers' policy overrides: forwarding, mailing lists, local policy */
        OVERRIDE,
        /** when and how much it sends */
        VOLUME,
        /** the service behind the address, by the service map */
        SERVICE;

        /** The value in {@code --format json}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
