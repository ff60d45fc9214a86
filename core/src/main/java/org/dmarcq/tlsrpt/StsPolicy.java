package org.dmarcq.tlsrpt;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * An MTA-STS policy (RFC 8461 section 3.2): {@code key: value} lines of version, mode, mx and
 * max_age, with what is wrong with it; and the rule by which its {@code mx} patterns match MX hosts.
 *
 * @param mode {@code enforce}, {@code testing}, {@code none}, or what was written
 * @param maxAge seconds, or null when missing or invalid
 * @param problems what makes the policy invalid (a sender would ignore it), empty when it is valid
 */
public record StsPolicy(String version, String mode, List<String> mx, Long maxAge, List<String> problems) {
    private static final long MAX_AGE_LIMIT = 31_557_600;

    public static StsPolicy parse(String text) {
        String version = null;
        String mode = null;
        Long maxAge = null;
        List<String> mx = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int number = 0;
        for (String line : text.split("\r?\n", -1)) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                problems.add("line " + number + ": \"" + line.strip() + "\" is not key: value");
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "version" -> {
                    if (version != null) {
                        problems.add("line " + number + ": a second version");
                    }
                    version = value;
                }
                case "mode" -> {
                    if (mode != null) {
                        problems.add("line " + number + ": a second mode");
                    }
                    mode = value;
                }
                case "mx" -> mx.add(value.toLowerCase(Locale.ROOT));
                case "max_age" -> {
                    if (value.matches("[0-9]{1,10}") && Long.parseLong(value) <= MAX_AGE_LIMIT) {
                        maxAge = Long.parseLong(value);
                    } else {
                        problems.add("line " + number + ": max_age \"" + value + "\" is not 0 to " + MAX_AGE_LIMIT + " seconds");
                    }
                }
                default -> {
                    // RFC 8461: unknown fields are ignored
                }
            }
        }
        if (!"STSv1".equals(version)) {
            problems.add(version == null ? "no version: STSv1 line" : "version \"" + version + "\": expected STSv1");
        }
        if (mode == null) {
            problems.add("no mode line (enforce, testing or none)");
        } else if (!List.of("enforce", "testing", "none").contains(mode)) {
            problems.add("mode \"" + mode + "\": expected enforce, testing or none");
        }
        if (maxAge == null && problems.stream().noneMatch(p -> p.contains("max_age"))) {
            problems.add("no max_age line");
        }
        if (mx.isEmpty() && !"none".equals(mode)) {
            problems.add("no mx line: no MX host would be valid");
        }
        for (String pattern : mx) {
            if (pattern.indexOf('*') >= 0 && !(pattern.startsWith("*.") && pattern.indexOf('*', 1) < 0)) {
                problems.add("mx \"" + pattern + "\": a wildcard may only be the whole leftmost label, as in *.example.com");
            }
        }
        return new StsPolicy(version, mode, List.copyOf(mx), maxAge, List.copyOf(problems));
    }

    public boolean valid() {
        return problems.isEmpty();
    }

    /** Whether any of the patterns matches the host (RFC 8461 section 4.1: {@code *.} stands for exactly one label). */
    public static boolean matches(Collection<String> patterns, String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        for (String p : patterns) {
            String pattern = p.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
            if (pattern.startsWith("*.")) {
                int dot = h.indexOf('.');
                if (dot > 0 && h.substring(dot + 1).equals(pattern.substring(2))) {
                    return true;
                }
            } else if (pattern.equals(h)) {
                return true;
            }
        }
        return false;
    }
}
