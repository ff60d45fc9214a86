package org.dmarcq.rules;

import com.ibm.icu.text.IDNA;
import java.util.Locale;

/**
 * Domain names as DMARC compares them (RFC 9989 "Identifier Alignment"; spec note section 2):
 * trimmed, one trailing dot removed, lowercase, and internationalised labels as A-labels under
 * UTS #46 non-transitional processing (IDNA2008), so {@code Bücher.Example.} and
 * {@code xn--bcher-kva.example} are the same name.
 */
public final class DomainNames {
    private static final IDNA UTS46 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII | IDNA.CHECK_BIDI
            | IDNA.CHECK_CONTEXTJ | IDNA.CHECK_CONTEXTO);
    private static final int MAX_LENGTH = 253;

    private DomainNames() {}

    /**
     * The A-label form of a name, or null when it cannot be a domain name that aligns: empty, an IP
     * literal, a single label, longer than 253 characters, or not a valid IDN.
     */
    public static String toAscii(String name) {
        if (name == null) {
            return null;
        }
        String n = name.strip();
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        if (n.isEmpty() || n.indexOf('.') < 0 || n.startsWith(".") || n.contains("..") || isIpLiteral(n)) {
            return null;
        }
        String ascii;
        if (isPlainAscii(n)) {
            ascii = n.toLowerCase(Locale.ROOT);
        } else {
            StringBuilder out = new StringBuilder(n.length() + 16);
            IDNA.Info info = new IDNA.Info();
            UTS46.nameToASCII(n, out, info);
            if (info.hasErrors()) {
                return null;
            }
            ascii = out.toString();
        }
        return ascii.length() > MAX_LENGTH ? null : ascii;
    }

    private static boolean isPlainAscii(String n) {
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_';
            if (!ok) {
                return false;
            }
        }
        // Punycode labels are checked by the full conversion, which rejects invalid ones.
        return !n.toLowerCase(Locale.ROOT).contains("xn--");
    }

    private static boolean isIpLiteral(String n) {
        if (n.startsWith("[") || n.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.')) {
                return false;
            }
        }
        return true;
    }
}
