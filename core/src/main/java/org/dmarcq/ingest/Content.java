package org.dmarcq.ingest;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** What a stream holds, told from its first bytes, never from a file name or media type. */
enum Content {
    GZIP, ZIP, XML, JSON, MBOX, EMAIL, EMPTY, UNKNOWN;

    /** Bytes to peek at before deciding. */
    /**
     * Bytes looked at to tell what an input is: enough to get past a long comment, processing
     * instruction or blank lines before a report's root element, or blanks before a TLS report.
     */
    static final int PEEK = 64 * 1024;

    private static final Pattern HEADER_FIELD = Pattern.compile("^[!-9;-~]+:[ \\t]");

    static Content of(byte[] head, int length) {
        if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return ZIP;
        }
        if (length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 5 && head[3] == 6) {
            return ZIP; // an empty archive: reported as holding no report
        }
        String text = new String(head, 0, length, StandardCharsets.ISO_8859_1);
        if (length >= 2 && ((head[0] & 0xff) == 0xfe && (head[1] & 0xff) == 0xff || (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xfe)) {
            return XML; // UTF-16 with a byte order mark
        }
        if (text.startsWith("From ")) {
            return MBOX;
        }
        if (firstNonBlank(text) == '{' || firstNonBlank(text) == '[') {
            return JSON; // before e-mail: {"organization-name": looks like a header field
        }
        if (HEADER_FIELD.matcher(text).find()) {
            return EMAIL;
        }
        int i = text.startsWith("\u00ef\u00bb\u00bf") ? 3 : 0;
        while (i < length && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        if (i == length) {
            return EMPTY;
        }
        char c = text.charAt(i);
        if (c == '<' || (length >= 2 && head[0] == 0 && head[1] == '<') || text.contains("<?xml") || text.contains("<feedback")) {
            return XML;
        }
        if (c == '{' || c == '[') {
            return JSON;
        }
        return UNKNOWN;
    }

    private static char firstNonBlank(String text) {
        int i = text.startsWith("\u00ef\u00bb\u00bf") ? 3 : 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i < text.length() ? text.charAt(i) : 0;
    }

    /** The first bytes as a user can read them, for "not a report" messages. */
    static String preview(byte[] head, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(length, 24); i++) {
            int b = head[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '"') {
                sb.append((char) b);
            } else if (b == '\n' || b == '\r') {
                sb.append(' ');
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        return sb.toString().strip();
    }

    /** How to read the head: UTF-16 by its byte order mark or by the zero byte beside the first {@code <}. */
    private static java.nio.charset.Charset headCharset(byte[] head, int length) {
        if (length >= 2 && ((head[0] & 0xff) == 0xfe && (head[1] & 0xff) == 0xff || (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xfe)) {
            return StandardCharsets.UTF_16; // the mark says which order
        }
        if (length >= 2 && head[0] == 0 && head[1] == '<') {
            return StandardCharsets.UTF_16BE;
        }
        if (length >= 2 && head[0] == '<' && head[1] == 0) {
            return StandardCharsets.UTF_16LE;
        }
        return StandardCharsets.ISO_8859_1;
    }

    /** True when the peeked XML's root element is a DMARC {@code feedback}: lets e-mails skip HTML bodies. */
    static boolean isFeedback(byte[] head, int length) {
        String text = new String(head, 0, length, headCharset(head, length));
        int i = 0;
        while ((i = text.indexOf('<', i)) >= 0 && i + 1 < text.length()) {
            char next = text.charAt(i + 1);
            if (next == '?' || next == '!') {
                i++;
                continue;
            }
            int end = i + 1;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != '>' && text.charAt(end) != '/') {
                end++;
            }
            String name = text.substring(i + 1, end);
            String local = name.substring(name.indexOf(':') + 1);
            // or a report wrapped in <xs:schema>, as one large reporter sends them (its <feedback> may come late)
            return local.equals("feedback") || local.equals("schema");
        }
        return text.contains("feedback");
    }
}
