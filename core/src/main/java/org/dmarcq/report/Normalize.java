package org.dmarcq.report;

import jakarta.xml.bind.annotation.adapters.XmlAdapter;
import java.util.Locale;

/**
 * Normalisation at the boundary, applied by JAXB while binding: nothing downstream re-normalises.
 * Empty or blank text becomes null (spec D6); enumeration words are lowercased (D4); domains lose
 * case and one trailing dot; whole numbers are read as {@code long} (D13: surrounding blanks
 * tolerated).
 */
final class Normalize {
    private Normalize() {}

    static String text(String raw) {
        if (raw == null) {
            return null;
        }
        String t = raw.strip();
        return t.isEmpty() ? null : t;
    }

    static String word(String raw) {
        String t = text(raw);
        return t == null ? null : t.toLowerCase(Locale.ROOT);
    }

    static String domain(String raw) {
        String t = word(raw);
        if (t != null && t.endsWith(".")) {
            t = t.substring(0, t.length() - 1);
        }
        return t == null || t.isEmpty() ? null : t;
    }

    /** Trimmed free text; blank is null. */
    static final class Text extends XmlAdapter<String, String> {
        @Override public String unmarshal(String v) { return text(v); }
        @Override public String marshal(String v) { return v; }
    }

    /** An enumeration word, lowercased with {@link Locale#ROOT}; blank is null. */
    static final class Word extends XmlAdapter<String, String> {
        @Override public String unmarshal(String v) { return word(v); }
        @Override public String marshal(String v) { return v; }
    }

    /** A domain name: lowercase, no trailing dot; blank is null. */
    static final class Domain extends XmlAdapter<String, String> {
        @Override public String unmarshal(String v) { return domain(v); }
        @Override public String marshal(String v) { return v; }
    }

    /** A whole number ({@code 12}, {@code +12}, {@code 12.0}); blank is null; anything else is a {@link BadValue}. */
    static final class WholeNumber extends XmlAdapter<String, Long> {
        @Override
        public Long unmarshal(String v) throws BadValue {
            String t = text(v);
            if (t == null) {
                return null;
            }
            try {
                return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
            } catch (NumberFormatException e) {
                try {
                    return new java.math.BigDecimal(t).longValueExact(); // "12.0" from a generator that writes decimals
                } catch (NumberFormatException | ArithmeticException notWhole) {
                    throw new BadValue("\"" + t + "\" is not a whole number");
                }
            }
        }

        @Override public String marshal(Long v) { return v == null ? null : v.toString(); }
    }

    /** A value JAXB could not bind; reported by {@link ReportReader} with the record's location. */
    static final class BadValue extends Exception {
        BadValue(String message) {
            super(message);
        }
    }
}
