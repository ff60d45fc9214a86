package org.dmarcq.analysis;

import java.util.Locale;

/** Counts in words for people: {@code 1 message}, {@code 2,000 messages}. */
public final class Wording {
    private Wording() {}

    /** The count with thousands separators and the noun, plural unless the count is one (adds {@code s}). */
    public static String count(long n, String noun) {
        return count(n, noun, noun + "s");
    }

    public static String count(long n, String one, String many) {
        return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? one : many);
    }
}
