package org.dmarcq.rules;

import crawlercommons.domains.EffectiveTldFinder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Organizational domains from the Public Suffix List (RFC 7489 section 3.2): the public suffix of a
 * name plus one label. The list is the one bundled with crawler-commons unless a newer list file is
 * loaded. Both the ICANN and the PRIVATE sections are used, as publicsuffix.org publishes them.
 *
 * <p>The underlying matcher keeps one list per process: loading a file replaces the bundled list
 * for every instance.
 */
public final class PublicSuffixList {
    private static PublicSuffixList bundled;
    private static PublicSuffixList loaded;

    private final String version;

    private PublicSuffixList(String version) {
        this.version = version;
    }

    /** The list bundled with dmarcq (through crawler-commons). */
    public static synchronized PublicSuffixList bundled() {
        if (loaded != null) {
            throw new IllegalStateException("a list file was loaded in this process: " + loaded.version);
        }
        if (bundled == null) {
            String version = "bundled";
            try (InputStream in = EffectiveTldFinder.class.getResourceAsStream(EffectiveTldFinder.ETLD_DATA)) {
                if (in != null) {
                    version = "bundled " + listVersion(new String(in.readNBytes(4096), StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the version is only a label
            }
            bundled = new PublicSuffixList(version.strip());
        }
        return bundled;
    }

    /** A list file in the publicsuffix.org format, e.g. a newer {@code public_suffix_list.dat}. */
    public static synchronized PublicSuffixList load(Path file) throws IOException {
        byte[] content = Files.readAllBytes(file);
        String text = new String(content, StandardCharsets.UTF_8);
        if (!text.contains("// ===BEGIN ICANN DOMAINS===")) {
            throw new IOException(file + ": not a Public Suffix List file (no \"===BEGIN ICANN DOMAINS===\" line)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            if (!EffectiveTldFinder.getInstance().initialize(in)) {
                throw new IOException(file + ": the Public Suffix List could not be read");
            }
        }
        loaded = new PublicSuffixList((file.getFileName() + " " + listVersion(text)).strip() + " sha256:"
                + sha256(content).substring(0, 16));
        return loaded;
    }

    /** Names the list, so that results computed with another list can be recognised as stale. */
    public String version() {
        return version;
    }

    /**
     * The organizational domain of a name in A-label form (see {@link DomainNames#toAscii}), or null
     * when the name is itself a public suffix (then only an exact match can align). A name under a
     * TLD the list does not know follows the default rule {@code *}: its last two labels.
     */
    public String organizationalDomain(String asciiName) {
        if (asciiName == null) {
            return null;
        }
        String assigned = EffectiveTldFinder.getAssignedDomain(asciiName, /* strict= */ true, /* excludePrivate= */ false);
        if (assigned != null) {
            return assigned;
        }
        if (EffectiveTldFinder.getEffectiveTLD(asciiName, false) != null) {
            return null; // the name is a public suffix
        }
        int last = asciiName.lastIndexOf('.');
        int previous = last <= 0 ? -1 : asciiName.lastIndexOf('.', last - 1);
        return last <= 0 ? null : asciiName.substring(previous + 1);
    }

    /** The {@code // VERSION:} line publicsuffix.org puts at the top of the list, or "". */
    private static String listVersion(String text) {
        int at = text.indexOf("// VERSION:");
        if (at < 0) {
            return "";
        }
        int end = text.indexOf('\n', at);
        return text.substring(at + "// VERSION:".length(), end < 0 ? text.length() : end).strip();
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
