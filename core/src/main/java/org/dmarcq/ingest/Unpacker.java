package org.dmarcq.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.io.MaxHeaderLimitException;
import org.apache.james.mime4j.io.MaxLineLimitException;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.stream.RawFieldParser;
import org.apache.james.mime4j.stream.RecursionMode;
import org.dmarcq.report.Location;
import org.dmarcq.report.ReportFormatException;

/**
 * Finds the reports inside one input, whatever wraps them: gzip (nested too), zip (every member),
 * RFC 5322 e-mail (every attachment, any media type or transfer encoding, nested multiparts and
 * attached messages), mbox. Content is recognised by its bytes. Nothing is written to disk, and
 * every decompressed byte counts against the input's {@link BoundedInputStream.Budget}.
 */
final class Unpacker {
    /** Receives each report found, with where it was found. */
    interface ReportSink {
        /** A DMARC aggregate report (XML). */
        void report(InputStream xml, Location where) throws IOException;

        /**
         * An SMTP TLS report (JSON).
         *
         * @param reportDomain the {@code TLS-Report-Domain} header of the e-mail it came in, or null
         */
        void tlsReport(InputStream json, Location where, String reportDomain) throws IOException;
    }

    /** Receives a problem with one part of the input; the rest of the input is still read. */
    interface ProblemSink {
        /** @param cause the failure behind it, when it was not plain bad input (for --debug); else null */
        void problem(Location where, String message, Throwable cause);
    }

    /** Lines of an e-mail header, and its fields, at most: a hostile message cannot make one huge. */
    static final int MAX_HEADER_LINE = 100_000;
    static final int MAX_HEADER_FIELD = 1_000_000;
    static final int MAX_HEADER_FIELDS = 10_000;

    private final IngestOptions options;
    private final ReportSink reports;
    private final ProblemSink problems;
    private final BoundedInputStream.Budget budget;
    private final boolean named;
    private final int mostHeldWhole;
    private int found;
    private int emailsWithoutReport;
    /** The TLS-Report-Domain header of the e-mail being unpacked, for a TLS report that does not name its domain. */
    private String tlsReportDomain;

    /**
     * @param named whether the user named this input: an e-mail without a report is then an error;
     *     found in a folder, mailbox or Maildir it is ordinary mail (a reply, a bounce), only counted
     * @param mostHeldWhole the most bytes of a zip member that may be held in memory whole: the
     *     zip reader must hold a stored member whose sizes follow its data, to find where it ends
     */
    Unpacker(IngestOptions options, ReportSink reports, ProblemSink problems, boolean named, int mostHeldWhole) {
        this.options = options;
        this.mostHeldWhole = mostHeldWhole;
        this.reports = reports;
        this.problems = problems;
        this.named = named;
        this.budget = new BoundedInputStream.Budget(options.maxBytes());
    }

    /** Unpacks one top-level input. A failure of the whole input is thrown; of a member, sent to the problem sink. */
    void unpack(InputStream in, Location where) throws IOException, ReportFormatException {
        // The file itself may be no larger than what it may decompress to (--max-size).
        InputStream bounded = new BoundedInputStream(new NonClosing(in), null, new BoundedInputStream.Budget(options.maxBytes()),
                options);
        unpack(new Guarded(bounded, where, "file"), where, 0, false);
        if (found == 0 && emailsWithoutReport == 0) {
            throw new ReportFormatException(where, "no DMARC or SMTP TLS report found in it");
        }
    }

    /** E-mails that carried no report and were skipped, not reported as problems. */
    int emailsWithoutReport() {
        return emailsWithoutReport;
    }

    private void unpack(InputStream raw, Location where, int depth, boolean inMessage)
            throws IOException, ReportFormatException {
        if (depth > options.maxDepth()) {
            throw new InputRefusedException("refused: containers nested more than " + options.maxDepth() + " deep");
        }
        BufferedInputStream in = raw instanceof BufferedInputStream b ? b : new BufferedInputStream(raw, Content.PEEK);
        in.mark(Content.PEEK);
        byte[] head = in.readNBytes(Content.PEEK);
        in.reset();
        Content content = Content.of(head, head.length);
        switch (content) {
            case GZIP -> gzip(in, where, depth, inMessage);
            case ZIP -> zip(in, where, depth);
            case MBOX -> mbox(in, where, depth);
            case EMAIL -> email(in, where, depth);
            case XML -> {
                if (inMessage && !Content.isFeedback(head, head.length)) {
                    return; // an HTML body or other XML that is no report
                }
                found++;
                reports.report(in, where);
            }
            case JSON -> {
                if (inMessage && !looksLikeTlsReport(head)) {
                    return;
                }
                found++;
                reports.tlsReport(in, where, tlsReportDomain);
            }
            case EMPTY -> {
                if (!inMessage) {
                    throw new ReportFormatException(where, "empty: no report in it");
                }
            }
            case UNKNOWN -> {
                if (!inMessage) {
                    throw new ReportFormatException(where, "not a DMARC or SMTP TLS report: the content starts with \""
                            + Content.preview(head, head.length) + "\"");
                }
            }
        }
    }

    /**
     * Unpacks one member of a container (a zip member, an mbox message, an e-mail part): whatever
     * goes wrong in it is one problem, and the container goes on with the next member. Damaged or
     * refused container data is thrown: the rest of the container cannot be trusted.
     */
    private void member(Location at, Part part) throws IOException {
        try {
            part.read();
        } catch (ReportFormatException e) {
            found++;
            problems.problem(e.location(), e.problem(), null);
        } catch (ParsedFile.Cancelled e) {
            throw e;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            found++;
            problems.problem(at, failure(e), e);
        }
    }

    /** Reading one member of a container. */
    private interface Part {
        void read() throws IOException, ReportFormatException;
    }

    /** A failure that is not plain bad input, as a user should read it. */
    static String failure(Throwable e) {
        if (e instanceof StackOverflowError) {
            return "refused: nested too deeply to read";
        }
        if (e instanceof OutOfMemoryError) {
            return "refused: reading it needs more memory than dmarcq may use (raise -Xmx in DMARCQ_JAVA_OPTS)";
        }
        String message = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
        return "cannot read it: dmarcq failed on this input (" + e.getClass().getSimpleName() + message
                + "); run with --debug for details, and please report it";
    }

    private static boolean looksLikeTlsReport(byte[] head) {
        String text = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1);
        return text.contains("\"policies\"") || text.contains("\"report-id\"") || text.contains("\"organization-name\"");
    }

    private void gzip(BufferedInputStream in, Location where, int depth, boolean inMessage) throws IOException, ReportFormatException {
        GzipMembers gz;
        try {
            gz = new GzipMembers(in);
        } catch (IOException e) {
            throw new ReportFormatException(where, "not a readable gzip file: " + describe(e));
        }
        try (InputStream bounded = new BoundedInputStream(gz, gz, budget, options)) {
            unpack(new Guarded(bounded, where, "gzip"), where, depth + 1, inMessage);
        }
    }

    private void zip(InputStream in, Location where, int depth) throws IOException, ReportFormatException {
        HeldWhole raw = new HeldWhole(in);
        ZipArchiveInputStream zip = new ZipArchiveInputStream(raw, "UTF-8", /* useUnicodeExtraFields= */ true,
                /* allowStoredEntriesWithDataDescriptor= */ true);
        int members = 0;
        while (true) {
            ZipArchiveEntry entry;
            try {
                entry = zip.getNextEntry();
            } catch (IOException e) {
                throw new ReportFormatException(where, "not a readable zip archive: " + describe(e));
            }
            if (entry == null) {
                break;
            }
            if (entry.getName().startsWith("__MACOSX/")) {
                continue; // the resource forks macOS adds
            }
            Location member = where.member() == null ? Location.of(where.file(), entry.getName())
                    : Location.of(where.file(), where.member() + "!" + entry.getName());
            if (entry.isDirectory()) {
                if (zip.canReadEntryData(entry) && zip.read() >= 0) {
                    problems.problem(member, "a zip folder entry that holds data: not read", null);
                    found++;
                }
                continue;
            }
            if (++members > options.maxMembers()) {
                throw new InputRefusedException("refused: more than " + options.maxMembers() + " members in one archive");
            }
            if (!zip.canReadEntryData(entry)) {
                problems.problem(member, "cannot read this zip member (" + entry.getMethod() + " compression or encryption)", null);
                found++;
                continue;
            }
            boolean sizesAfterData = entry.getMethod() == ZipArchiveEntry.STORED && entry.getGeneralPurposeBit().usesDataDescriptor();
            raw.limit(sizesAfterData ? mostHeldWhole : -1);
            BoundedInputStream bounded = new BoundedInputStream(zip, zip, budget, options);
            InputStream checked = new CrcCheckedInputStream(new NonClosing(bounded), entry, member);
            try {
                member(member, () -> unpack(new Guarded(checked, member, "zip"), member, depth + 1, false));
            } catch (CorruptInputException e) {
                found++;
                if (e.checksum() || !sizesAfterData && entry.getCompressedSize() >= 0) {
                    // the member's bytes are wrong, the archive's structure is not (its size says where the next begins): go on
                    problems.problem(e.location(), e.getMessage(), null);
                    continue;
                }
                throw new CorruptInputException(e.location(), e.getMessage() + "; the members after it cannot be found, and are"
                        + " not read", e);
            }
        }
    }

    /**
     * The raw bytes of a zip archive, counted while a stored member whose sizes follow its data is
     * read: the zip reader holds all of it in memory to find its end, so it may be only so large.
     * Past the limit the rest of the archive cannot be found either.
     */
    private static final class HeldWhole extends java.io.FilterInputStream {
        private long left = -1;
        private int limit;

        HeldWhole(InputStream in) {
            super(in);
        }

        /** Counts from here, up to {@code limit} bytes; no limit when negative. */
        void limit(int limit) {
            this.limit = limit;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (left >= 0 && n > 0 && (left -= n) < 0) {
                throw new InputRefusedException("refused: a stored zip member whose sizes follow its data, larger than "
                        + BoundedInputStream.mebibytes(limit) + " (the most dmarcq holds in memory to find where it ends);"
                        + " this and the members after it are not read: unzip the archive and ingest its files");
            }
            return n;
        }
    }

    private void mbox(InputStream in, Location where, int depth) throws IOException, ReportFormatException {
        Mbox mbox = new Mbox(in);
        int index = 0;
        for (InputStream message; (message = mbox.next()) != null; ) {
            index++;
            Location at = where.member() == null ? Location.of(where.file(), "message " + index)
                    : Location.of(where.file(), where.member() + "!message " + index);
            InputStream content = message;
            member(at, () -> email(content, at, depth + 1));
        }
    }

    private void email(InputStream in, Location where, int depth) throws IOException, ReportFormatException {
        MimeConfig config = MimeConfig.custom()
                .setMaxLineLen(MAX_HEADER_LINE)
                .setMaxHeaderLen(MAX_HEADER_FIELD)
                .setMaxHeaderCount(MAX_HEADER_FIELDS)
                .setMaxContentLen(-1)
                .setStrictParsing(false)
                .build();
        MimeTokenStream mime = new MimeTokenStream(config);
        mime.setRecursionMode(RecursionMode.M_RECURSE);
        mime.parse(in);
        int part = 0;
        int nesting = 0; // messages and multiparts open around the current part: containers too
        String name = null;
        List<String> types = new ArrayList<>();
        int before = found;
        String outerReportDomain = tlsReportDomain;
        try {
            for (EntityState state = mime.getState(); state != EntityState.T_END_OF_STREAM; state = mime.next()) {
                switch (state) {
                    case T_START_MESSAGE, T_START_MULTIPART -> {
                        if (depth + ++nesting > options.maxDepth()) {
                            // refused before going deeper: each level wraps the stream once more
                            throw new ReportFormatException(where, "refused: containers nested more than " + options.maxDepth()
                                    + " deep (MIME parts count as containers)");
                        }
                    }
                    case T_END_MESSAGE, T_END_MULTIPART -> nesting--;
                    case T_START_HEADER -> name = null;
                    case T_FIELD -> {
                        name = attachmentName(mime.getField(), name);
                        if (part == 0 && mime.getField().getName().equalsIgnoreCase("TLS-Report-Domain")) {
                            tlsReportDomain = mime.getField().getBody().strip();
                        }
                    }
                    case T_BODY -> {
                        part++;
                        String type = mime.getBodyDescriptor().getMimeType();
                        types.add(type);
                        String label = name != null ? name : "part " + part + " (" + type + ")";
                        Location at = Location.of(where.file(), where.member() == null ? label : where.member() + "!" + label);
                        int inPart = found;
                        InputStream body = new Guarded(mime.getDecodedInputStream(), at, "e-mail");
                        int bodyDepth = depth + nesting;
                        // a part named like a report is read as one, whatever its first bytes; other parts
                        // (bodies, signatures, images) only when their content is a report
                        boolean claimed = namedLikeAReport(name, type);
                        member(at, () -> unpack(body, at, bodyDepth, !claimed));
                        if (found == inPart && claimed) {
                            found++;
                            problems.problem(at, "no report in it, though its " + (name != null ? "name" : "type " + type)
                                    + " says there is one", null);
                        }
                    }
                    default -> {
                        // preamble, epilogue, part boundaries
                    }
                }
            }
        } catch (MaxLineLimitException e) {
            throw headerLineTooLong(where);
        } catch (MimeException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            if (e.getCause() instanceof MaxLineLimitException) {
                throw headerLineTooLong(where);
            }
            if (e instanceof MaxHeaderLimitException) {
                throw new ReportFormatException(where, "refused: an e-mail header with more than " + MAX_HEADER_FIELDS
                        + " fields (the limit)");
            }
            if (message.startsWith("Maximum header length")) {
                throw new ReportFormatException(where, "refused: an e-mail header field longer than " + MAX_HEADER_FIELD
                        + " bytes (the limit)");
            }
            throw new ReportFormatException(where, "not a readable e-mail: " + message);
        } finally {
            tlsReportDomain = outerReportDomain;
        }
        if (found == before) {
            if (named && where.member() == null) {
                throw new ReportFormatException(where, "no DMARC report in this e-mail (parts: " + String.join(", ", types) + ")");
            }
            if (depth <= 1) {
                emailsWithoutReport++; // a message of a folder or mailbox, not one attached to another
            }
        }
    }

    private static ReportFormatException headerLineTooLong(Location where) {
        return new ReportFormatException(where, "refused: an e-mail header line longer than " + MAX_HEADER_LINE
                + " bytes (the limit)");
    }

    /** An attachment whose file name or media type says it is a report; one that holds none is then lost mail. */
    private static boolean namedLikeAReport(String name, String type) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".xml") || n.endsWith(".gz") || n.endsWith(".zip") || n.endsWith(".json") || n.endsWith(".tlsrpt")) {
            return true;
        }
        return switch (type == null ? "" : type.toLowerCase(Locale.ROOT)) {
            case "application/gzip", "application/x-gzip", "application/zip", "application/x-zip-compressed",
                    "application/tlsrpt+gzip", "application/tlsrpt+json" -> true;
            default -> false;
        };
    }

    /** The file name a part carries, from Content-Disposition filename or Content-Type name. */
    private static String attachmentName(Field field, String current) {
        String fieldName = field.getName().toLowerCase(Locale.ROOT);
        if (!fieldName.equals("content-disposition") && !fieldName.equals("content-type")) {
            return current;
        }
        RawField raw;
        try {
            raw = field instanceof RawField r ? r : RawFieldParser.DEFAULT.parseField(field.getRaw());
        } catch (MimeException e) {
            return current;
        }
        RawBody body = RawFieldParser.DEFAULT.parseRawBody(raw);
        for (NameValuePair p : body.getParams()) {
            String key = p.getName().toLowerCase(Locale.ROOT);
            if (key.equals("filename") || key.equals("name") || key.equals("filename*") || key.equals("name*")) {
                String value = p.getValue();
                if (value == null || value.isBlank()) {
                    continue;
                }
                if (key.endsWith("*")) {
                    value = rfc2231(value);
                }
                String decoded = DecoderUtil.decodeEncodedWords(value, DecodeMonitor.SILENT).strip();
                if (current == null || key.startsWith("filename")) {
                    return decoded;
                }
            }
        }
        return current;
    }

    /** RFC 2231 extended value {@code charset'language'percent-encoded}; UTF-8 assumed for the bytes. */
    private static String rfc2231(String value) {
        int quote = value.lastIndexOf('\'');
        String encoded = quote >= 0 ? value.substring(quote + 1) : value;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%' && i + 2 < encoded.length()
                    && Character.digit(encoded.charAt(i + 1), 16) >= 0 && Character.digit(encoded.charAt(i + 2), 16) >= 0) {
                bytes.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    static String describe(IOException e) {
        String message = e.getMessage();
        if (e instanceof java.io.EOFException || message == null) {
            return "the data ends early";
        }
        return message;
    }

    /** Turns a decompressor's low-level failure into a message naming the place and the container. */
    private static final class Guarded extends BlockInputStream {
        private final Location where;
        private final String kind;

        Guarded(InputStream in, Location where, String kind) {
            super(in);
            this.where = where;
            this.kind = kind;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (InputRefusedException e) {
                throw e.at(where);
            } catch (CorruptInputException e) {
                throw e;
            } catch (IOException e) {
                throw new CorruptInputException(where, kind + " data is damaged: " + describe(e), e);
            }
        }
    }

    /** A stream whose owner closes it: an archive's member stream, or standard input. */
    static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // closed by its owner
        }
    }
}
