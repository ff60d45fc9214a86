package org.dmarcq.spf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** SPF macro strings (RFC 7208 §7): checked when a record is parsed, expanded when a term is evaluated. */
final class Macros {
    private Macros() {}

    private static final String LETTERS = "slodipvh";
    private static final String EXP_LETTERS = "slodipvhcrt";
    private static final String DELIMITERS = ".-+,/_=";

    /** The values a macro can stand for; null where an aggregate report does not say (local-part, HELO). */
    record Context(String localPart, String senderDomain, String domain, String ip, String helo) {}

    /** Checks a macro string's syntax. */
    static void check(String text, boolean explanation, String term) throws SpfSyntaxException {
        scan(text, explanation, term, null, null);
    }

    /** Checks a domain-spec: a macro string ending in a top label or a macro (§7.1, §12). */
    static void checkDomainSpec(String spec, String term) throws SpfSyntaxException {
        if (spec.isEmpty()) {
            throw new SpfSyntaxException("'" + term + "': empty domain");
        }
        check(spec, false, term);
        if (spec.endsWith("}")) {
            return;
        }
        String s = spec.endsWith(".") ? spec.substring(0, spec.length() - 1) : spec;
        int dot = s.lastIndexOf('.');
        String top = s.substring(dot + 1);
        boolean ok = dot >= 0 && !top.isEmpty() && top.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '-')
                && !top.startsWith("-") && !top.endsWith("-")
                && (top.chars().anyMatch(Character::isLetter) || top.contains("-"));
        if (!ok) {
            throw new SpfSyntaxException("'" + term + "': '" + spec + "' is not a domain name (it needs a top label, as in example.com)");
        }
    }

    /**
     * Expands a macro string; the letters it needed and the context did not hold are added to
     * {@code unknown} (their text stays, so that the name looked up is plainly not the real one).
     */
    static String expand(String text, Context context, Set<String> unknown) {
        StringBuilder out = new StringBuilder();
        try {
            scan(text, true, text, context, new Expansion(out, unknown));
        } catch (SpfSyntaxException e) {
            throw new IllegalStateException("checked at parse time: " + text, e);
        }
        return out.toString();
    }

    /** Where {@link #scan} writes an expansion. */
    private record Expansion(StringBuilder out, Set<String> unknown) {}

    private static void scan(String text, boolean explanation, String term, Context context, Expansion expansion)
            throws SpfSyntaxException {
        String letters = explanation ? EXP_LETTERS : LETTERS;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '%') {
                if (c < 0x21 || c > 0x7e) {
                    throw new SpfSyntaxException("'" + term + "': character not allowed in a macro string");
                }
                if (expansion != null) {
                    expansion.out.append(c);
                }
                i++;
                continue;
            }
            if (i + 1 >= text.length()) {
                throw new SpfSyntaxException("'" + term + "': '%' at the end (write %% for a percent sign)");
            }
            char next = text.charAt(i + 1);
            if (next == '%' || next == '_' || next == '-') {
                if (expansion != null) {
                    expansion.out.append(next == '%' ? "%" : next == '_' ? " " : "%20");
                }
                i += 2;
                continue;
            }
            if (next != '{') {
                throw new SpfSyntaxException("'" + term + "': '%" + next + "' is not a macro (%{...}, %%, %_ or %-)");
            }
            int close = text.indexOf('}', i);
            if (close < 0) {
                throw new SpfSyntaxException("'" + term + "': macro without a closing '}'");
            }
            String body = text.substring(i + 2, close);
            if (body.isEmpty() || letters.indexOf(Character.toLowerCase(body.charAt(0))) < 0) {
                throw new SpfSyntaxException("'" + term + "': unknown macro '%{" + body + "}'");
            }
            int j = 1;
            while (j < body.length() && Character.isDigit(body.charAt(j))) {
                j++;
            }
            String digits = body.substring(1, j);
            boolean reverse = j < body.length() && Character.toLowerCase(body.charAt(j)) == 'r';
            if (reverse) {
                j++;
            }
            String delimiters = body.substring(j);
            for (char d : delimiters.toCharArray()) {
                if (DELIMITERS.indexOf(d) < 0) {
                    throw new SpfSyntaxException("'" + term + "': '%{" + body + "}' has an unknown delimiter '" + d + "'");
                }
            }
            if (!digits.isEmpty() && digits.chars().allMatch(ch -> ch == '0')) {
                throw new SpfSyntaxException("'" + term + "': '%{" + body + "}' keeps zero parts");
            }
            if (expansion != null) {
                char letter = body.charAt(0);
                String value = value(Character.toLowerCase(letter), context, expansion.unknown);
                List<String> parts = new ArrayList<>(Arrays.asList(split(value, delimiters.isEmpty() ? "." : delimiters)));
                if (reverse) {
                    Collections.reverse(parts);
                }
                if (!digits.isEmpty()) {
                    // more parts than there are keeps them all (§7.3)
                    int keep = digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
                    if (keep < parts.size()) {
                        parts = parts.subList(parts.size() - keep, parts.size());
                    }
                }
                String joined = String.join(".", parts);
                expansion.out.append(Character.isUpperCase(letter) ? urlEscape(joined) : joined);
            }
            i = close + 1;
        }
    }

    private static String[] split(String value, String delimiters) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (delimiters.indexOf(c) >= 0) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return parts.toArray(new String[0]);
    }

    private static String value(char letter, Context c, Set<String> unknown) {
        String local = c.localPart() == null ? "postmaster" : c.localPart();
        return switch (letter) {
            case 's' -> {
                if (c.localPart() == null) {
                    unknown.add("l");
                }
                yield local + "@" + c.senderDomain();
            }
            case 'l' -> {
                if (c.localPart() == null) {
                    unknown.add("l");
                }
                yield local;
            }
            case 'o' -> c.senderDomain();
            case 'd' -> c.domain();
            case 'i' -> dotted(c.ip());
            case 'c' -> c.ip();
            case 'v' -> c.ip().indexOf(':') >= 0 ? "ip6" : "in-addr";
            case 'h' -> {
                if (c.helo() == null) {
                    unknown.add("h");
                    yield "unknown";
                }
                yield c.helo();
            }
            case 'p' -> {
                unknown.add("p");
                yield "unknown";
            }
            case 'r' -> "unknown";
            case 't' -> String.valueOf(System.currentTimeMillis() / 1000);
            default -> throw new IllegalStateException("macro letter " + letter);
        };
    }

    /** %{i}: IPv4 as is, IPv6 as 32 dot-separated nibbles (§7.3). */
    private static String dotted(String ip) {
        if (ip.indexOf(':') < 0) {
            return ip;
        }
        byte[] bytes;
        try {
            bytes = java.net.InetAddress.getByName(ip).getAddress(); // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            return ip;
        }
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(Character.forDigit((b >> 4) & 15, 16)).append('.').append(Character.forDigit(b & 15, 16));
        }
        return sb.toString();
    }

    private static final Set<Character> UNRESERVED = new TreeSet<>();

    static {
        for (char c : "-._~".toCharArray()) {
            UNRESERVED.add(c);
        }
    }

    private static String urlEscape(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 128 && (Character.isLetterOrDigit(c) || UNRESERVED.contains(c))) {
                sb.append(c);
            } else {
                sb.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return sb.toString();
    }
}
