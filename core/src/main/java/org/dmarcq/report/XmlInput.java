package org.dmarcq.report;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns report bytes into characters for the XML parser, handling what comes before the root
 * element ourselves: byte order marks, junk before the document (spec D24), and the XML
 * declaration, which is read for its encoding and then dropped, so a broken one (D14) cannot stop
 * the parse. Undeclared or UTF-8 content with stray windows-1252 bytes is decoded leniently (D15).
 */
final class XmlInput {
    private static final int PREFIX = 4096;
    private static final Pattern ENCODING = Pattern.compile("encoding\\s*=\\s*[\"']?([A-Za-z0-9._:-]+)");

    private final Reader reader;
    private final Utf8FallbackReader lenientUtf8;

    private XmlInput(Reader reader, Utf8FallbackReader lenientUtf8) {
        this.reader = reader;
        this.lenientUtf8 = lenientUtf8;
    }

    Reader reader() {
        return reader;
    }

    /** Bytes that were not valid UTF-8 and were read as windows-1252 instead. */
    long malformedBytes() {
        return lenientUtf8 == null ? 0 : lenientUtf8.malformedBytes();
    }

    /** Characters already decoded, with no declaration in front. */
    static XmlInput ofText(String text) {
        return new XmlInput(new java.io.StringReader(text), null);
    }

    static XmlInput open(InputStream raw, Location where, Warnings warnings) throws IOException, ReportFormatException {
        InputStream in = raw.markSupported() ? raw : new BufferedInputStream(raw, 16 * 1024);
        in.mark(PREFIX);
        byte[] prefix = in.readNBytes(PREFIX);
        in.reset();
        int n = prefix.length;
        if (n >= 2 && ((prefix[0] & 0xff) == 0xfe && (prefix[1] & 0xff) == 0xff
                || (prefix[0] & 0xff) == 0xff && (prefix[1] & 0xff) == 0xfe)) {
            // UTF-16 with a byte order mark: the JDK decoder consumes the mark.
            return new XmlInput(skipDeclaration(new InputStreamReader(in, StandardCharsets.UTF_16)), null);
        }
        if (n >= 2 && prefix[0] == 0 && prefix[1] == '<') {
            return new XmlInput(skipDeclaration(new InputStreamReader(in, StandardCharsets.UTF_16BE)), null);
        }
        if (n >= 2 && prefix[0] == '<' && prefix[1] == 0) {
            return new XmlInput(skipDeclaration(new InputStreamReader(in, StandardCharsets.UTF_16LE)), null);
        }
        // An ASCII-compatible encoding: look at the prefix as ISO-8859-1 to find the document start.
        String head = new String(prefix, 0, n, StandardCharsets.ISO_8859_1);
        int start = 0;
        if (head.startsWith("\u00ef\u00bb\u00bf")) {
            start = 3;
        }
        while (start < n && Character.isWhitespace(head.charAt(start))) {
            start++;
        }
        if (start >= n || head.charAt(start) != '<') {
            int declaration = head.indexOf("<?xml", start);
            int root = declaration >= 0 ? declaration : head.indexOf("<feedback", start);
            if (root < 0) {
                throw new ReportFormatException(where, "not XML: no '<' at the start");
            }
            warnings.add(where, "junk before the XML document skipped", (root - start) + " bytes");
            start = root;
        }
        Charset charset = null;
        if (head.startsWith("<?xml", start)) {
            // Up to the first '>', not "?>": some reporters write <?xml ... ?"> (spec D14).
            int close = head.indexOf('>', start);
            if (close < 0) {
                throw new ReportFormatException(where, "the XML declaration is not closed");
            }
            String declaration = head.substring(start, close + 1);
            Matcher m = ENCODING.matcher(declaration);
            if (m.find()) {
                charset = charset(m.group(1), where, warnings);
            }
            if (!declaration.endsWith("?>")) {
                warnings.add(where, "malformed XML declaration ignored", String.valueOf(declaration));
            }
            start = close + 1;
        }
        in.skipNBytes(start);
        if (charset == null || charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII)) {
            Utf8FallbackReader utf8 = new Utf8FallbackReader(in);
            return new XmlInput(utf8, utf8);
        }
        return new XmlInput(new InputStreamReader(in, charset), null);
    }

    private static Charset charset(String name, Location where, Warnings warnings) {
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            warnings.add(where, "unknown encoding in the XML declaration; read as UTF-8", "\"" + name.toLowerCase(Locale.ROOT) + "\"");
            return null;
        }
    }

    /** For UTF-16 input: drop a leading declaration at the character level. */
    private static Reader skipDeclaration(Reader reader) throws IOException {
        java.io.PushbackReader in = new java.io.PushbackReader(reader, PREFIX);
        char[] buf = new char[PREFIX];
        int n = in.read(buf);
        if (n <= 0) {
            return in;
        }
        String head = new String(buf, 0, n);
        int start = 0;
        while (start < n && (Character.isWhitespace(head.charAt(start)) || head.charAt(start) == '\ufeff')) {
            start++;
        }
        if (head.startsWith("<?xml", start) && head.indexOf("?>", start) > 0) {
            start = head.indexOf("?>", start) + 2;
        }
        in.unread(buf, start, n - start);
        return in;
    }
}
