package org.dmarcq.report;

import com.ctc.wstx.api.WstxInputProperties;
import com.ctc.wstx.exc.WstxLazyException;
import com.ctc.wstx.stax.WstxInputFactory;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads one DMARC aggregate report (RFC 7489 or RFC 9990) as a stream: the header first, then
 * one record at a time, so memory does not grow with the report. StAX walks the document, and
 * each {@code report_metadata}, {@code policy_published} and {@code record} element is bound into
 * the JAXB-annotated model by {@link Binder}.
 *
 * <p>Tolerant where the spec note says reporters deviate (namespaces, case, empty elements, order,
 * odd dates, aliases), each tolerance recorded as a {@link ReportWarning}; a record that cannot be
 * stored is skipped with a warning. Hostile input is refused: no DTDs, no external entities,
 * bounded depth and text size.
 *
 * <p>Whatever follows the report is read too: another {@code <feedback>} is a second report
 * ({@link #nextReport()}), anything else is ignored with a warning, never silently.
 */
public final class ReportReader implements Closeable {
    static final String RFC9990_NAMESPACE = "urn:ietf:params:xml:ns:dmarc-2.0";
    private static final long MILLISECONDS_THRESHOLD = 100_000_000_000L; // year 5138 in seconds
    private static final Set<String> DISPOSITIONS = Set.of("none", "quarantine", "reject", "pass");
    private static final Set<String> VERDICTS = Set.of("pass", "fail");
    private static final Set<String> DKIM_RESULTS = Set.of("none", "pass", "fail", "policy", "neutral", "temperror", "permerror");
    private static final Set<String> SPF_RESULTS = Set.of("none", "neutral", "pass", "fail", "softfail", "temperror", "permerror", "policy");
    private static final Set<String> SPF_SCOPES = Set.of("mfrom", "helo");
    private static final Set<String> OVERRIDES = Set.of("forwarded", "sampled_out", "trusted_forwarder", "mailing_list",
            "local_policy", "other", "policy_test_mode");

    /** The problem of a report without a policy domain, which a caller may supply ({@link #open(InputStream, Location, String)}). */
    public static final String NO_POLICY_DOMAIN = "no <policy_published> <domain>";
    private static final int MAX_DEPTH = 64;
    /** Characters of text one element may hold: a value, or all the values of a record together. */
    static final int MAX_TEXT = 1 << 20;
    private static final XMLInputFactory FACTORY = createFactory();
    private final Location source;
    /** The policy domain to use when the report gives none, or null to refuse such a report. */
    private String policyDomain;
    private final XmlInput input;
    private final XMLStreamReader xml;
    private final Warnings warnings = new Warnings();
    private final List<String> badValues = new ArrayList<>();
    /** Records held while the header is not complete: far more than any real report puts first, few enough to hold. */
    static final int MAX_EARLY_RECORDS = 10_000;

    private final Queue<ReportRecord> early = new ArrayDeque<>();
    private final Binder.TextBudget text = new Binder.TextBudget(MAX_TEXT);
    /** Bytes decoded leniently before this report began: earlier reports of the same document had them. */
    private final long malformedBefore;
    private ReportHeader header;
    private int recordCount;
    private long skipped;
    private boolean sawIdentities;
    private boolean done;
    private boolean finished;
    /** The document goes on with another {@code <feedback>}: the reader rests on its start tag. */
    private boolean anotherReport;

    private ReportReader(InputStream in, Location source) throws IOException, ReportFormatException {
        this(source, null, in);
    }

    private ReportReader(Location source, XmlInput text, InputStream in) throws IOException, ReportFormatException {
        this.source = source;
        this.input = text != null ? text : XmlInput.open(in, source, warnings);
        this.malformedBefore = 0;
        try {
            this.xml = FACTORY.createXMLStreamReader(input.reader());
        } catch (XMLStreamException e) {
            throw malformed(e);
        }
    }

    /** The report that follows {@code previous} in the same document; the reader rests on its root. */
    private ReportReader(ReportReader previous) {
        this.source = previous.source;
        this.input = previous.input;
        this.xml = previous.xml;
        this.malformedBefore = input.malformedBytes();
        this.policyDomain = previous.policyDomain;
    }

    /**
     * Opens a report and reads its header. The stream is closed by {@link #close()}.
     *
     * @param source where the bytes come from, used in every message
     */
    public static ReportReader open(InputStream in, Location source) throws IOException, ReportFormatException {
        return open(in, source, null);
    }

    /**
     * The same, for a report whose {@code policy_published} has no {@code domain}: {@code
     * policyDomain} is used instead, with a warning (the caller found it in the records'
     * {@code header_from}). Null refuses such a report.
     */
    public static ReportReader open(InputStream in, Location source, String policyDomain) throws IOException, ReportFormatException {
        ReportReader reader = new ReportReader(in, source);
        reader.policyDomain = policyDomain;
        try {
            reader.readHeader();
            return reader;
        } catch (ReportFormatException | IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /**
     * Opens a report that failed to parse as well-formed XML, after applying the repairs the spec
     * note lists for real reporters. Returns null when no repair applies. The repair is recorded as
     * a warning that quotes the original error.
     */
    public static ReportReader openRepaired(InputStream content, int length, Location source, ReportFormatException original)
            throws IOException, ReportFormatException {
        Warnings decoding = new Warnings();
        XmlInput decoded = XmlInput.open(content, source, decoding);
        String text;
        try (java.io.Reader r = decoded.reader()) {
            StringBuilder sb = new StringBuilder(length);
            char[] buf = new char[8192];
            for (int n; (n = r.read(buf)) > 0; ) {
                sb.append(buf, 0, n);
            }
            text = sb.toString();
        }
        XmlRepair.Result repaired = XmlRepair.repair(text);
        if (repaired == null) {
            return null;
        }
        ReportReader reader = new ReportReader(source, XmlInput.ofText(repaired.text()), null);
        reader.warnings.addAll(decoding);
        reader.warnMalformed(decoded);
        reader.warnings.add(original.location(), "damaged XML repaired", original.problem() + "; " + repaired.description());
        try {
            reader.readHeader();
            return reader;
        } catch (ReportFormatException | IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    public ReportHeader header() {
        return header;
    }

    /**
     * The next report of the same document, when another {@code <feedback>} follows this one;
     * null when none does. Call it once {@link #next()} has returned null. Closing any of the
     * readers of a document closes them all.
     */
    public ReportReader nextReport() throws IOException, ReportFormatException {
        if (!finished || !anotherReport) {
            return null;
        }
        anotherReport = false;
        ReportReader next = new ReportReader(this);
        next.readHeader();
        return next;
    }

    /** The next record, or null at the end of the report. Skipped records are counted, not returned. */
    public ReportRecord next() throws ReportFormatException, IOException {
        while (true) {
            if (!early.isEmpty()) {
                return early.poll();
            }
            if (done) {
                finish();
                return null;
            }
            ReportRecord record = advance();
            if (record != null) {
                return record;
            }
        }
    }

    /**
     * Reads past the rest of this report without binding its records (a duplicate need not be
     * read), and on to what follows it, as {@link #next()} does at the end.
     */
    public void skip() throws ReportFormatException, IOException {
        early.clear();
        try {
            int depth = 0;
            for (int event = xml.getEventType(); !done; ) {
                if (event == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                } else if (event == XMLStreamConstants.END_ELEMENT && depth-- == 0) {
                    done = true; // resting on </feedback>, as next() leaves it
                    break;
                } else if (event == XMLStreamConstants.END_DOCUMENT) {
                    throw new ReportFormatException(here(), "the document ends before </feedback>");
                }
                event = xml.next();
            }
        } catch (XMLStreamException e) {
            throw malformed(e);
        } catch (WstxLazyException e) {
            throw malformed(deferred(e));
        }
        finish();
    }

    /** Warnings so far; complete once {@link #next()} returned null. */
    public List<ReportWarning> warnings() {
        return warnings.toList();
    }

    /** Records skipped because they could not be stored (each also has a warning). */
    public long skippedRecords() {
        return skipped;
    }

    @Override
    public void close() throws IOException {
        try {
            if (xml != null) {
                xml.close();
            }
        } catch (XMLStreamException e) {
            // nothing useful to do: the underlying reader is closed below
        } finally {
            input.reader().close();
        }
    }

    private void readHeader() throws ReportFormatException, IOException {
        try {
            int event = xml.getEventType() == XMLStreamConstants.START_ELEMENT ? XMLStreamConstants.START_ELEMENT : xml.next();
            while (event != XMLStreamConstants.START_ELEMENT) {
                if (event == XMLStreamConstants.DTD) {
                    throw new ReportFormatException(here(), "a DOCTYPE declaration: not allowed in DMARC reports (it could"
                            + " expand entities or read files)");
                }
                if (event == XMLStreamConstants.END_DOCUMENT) {
                    throw new ReportFormatException(here(), "no XML element in it");
                }
                if (event == XMLStreamConstants.CHARACTERS && !xml.isWhiteSpace()) {
                    throw new ReportFormatException(here(), "not well-formed XML: text before the root element");
                }
                event = xml.next();
            }
            String root = xml.getLocalName();
            if ("schema".equals(root)) {
                // Spec D3: a large reporter wraps the report in <xs:schema>: read the <feedback> inside.
                warnings.add(here(), "the report is wrapped in a schema element; read the <feedback> inside",
                        "<" + (xml.getPrefix() == null || xml.getPrefix().isEmpty() ? "" : xml.getPrefix() + ":") + "schema>");
                do {
                    event = xml.next();
                } while (event != XMLStreamConstants.START_ELEMENT && event != XMLStreamConstants.END_DOCUMENT);
                root = event == XMLStreamConstants.START_ELEMENT ? xml.getLocalName() : root;
            }
            if (!"feedback".equals(root)) {
                throw new ReportFormatException(here(), "not a DMARC aggregate report: the root element is <" + root
                        + ">, expected <feedback>");
            }
            String namespace = blankToNull(xml.getNamespaceURI());
            ReportMetadata metadata = null;
            PolicyPublished policy = null;
            String version = null;
            event = xml.next();
            while (header == null) {
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = xml.getLocalName();
                    if (name.equals("record") && metadata != null && policy != null) {
                        header = header(metadata, policy, version, namespace); // the reader rests on the record
                        break;
                    }
                    switch (name) {
                        case "report_metadata" -> metadata = bindFirst(metadata, ReportMetadata.class, name);
                        case "policy_published" -> policy = bindFirst(policy, PolicyPublished.class, name); // spec D8
                        case "version" -> {
                            version = Normalize.text(Binder.text(xml, text));
                            xml.next();
                        }
                        case "record" -> {
                            // Records before the header (element order deviation): held until it is complete.
                            if (early.size() == MAX_EARLY_RECORDS) {
                                throw new ReportFormatException(here(), "refused: more than " + MAX_EARLY_RECORDS
                                        + " records before <report_metadata> and <policy_published> (the limit)");
                            }
                            ReportRecord record = readRecord();
                            if (record != null) {
                                early.add(record);
                            }
                        }
                        default -> skipElement(); // extension, unknown elements (spec D10)
                    }
                    event = xml.getEventType();
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    done = true;
                    header = header(metadata, policy, version, namespace);
                } else if (event == XMLStreamConstants.DTD) {
                    throw new ReportFormatException(here(), "DOCTYPE declarations are not allowed in reports");
                } else if (event == XMLStreamConstants.END_DOCUMENT) {
                    throw new ReportFormatException(here(), "the document ends before </feedback>");
                } else {
                    event = xml.next();
                }
            }
        } catch (XMLStreamException e) {
            throw malformed(e);
        } catch (WstxLazyException e) {
            throw malformed(deferred(e));
        }
    }

    /** Reads on to the next stored record, or to the end; null when that was a skipped record or the end. */
    private ReportRecord advance() throws ReportFormatException, IOException {
        try {
            int event = xml.getEventType();
            while (true) {
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = xml.getLocalName();
                    if (name.equals("record")) {
                        return readRecord();
                    }
                    if (name.equals("policy_published")) {
                        bindFirst(header.policy(), PolicyPublished.class, name); // spec D8: warns and skips
                    } else {
                        skipElement();
                    }
                    event = xml.getEventType();
                } else if (event == XMLStreamConstants.END_ELEMENT || event == XMLStreamConstants.END_DOCUMENT) {
                    if (event == XMLStreamConstants.END_DOCUMENT) {
                        throw new ReportFormatException(here(), "the document ends before </feedback>");
                    }
                    done = true;
                    return null;
                } else {
                    event = xml.next();
                }
            }
        } catch (XMLStreamException e) {
            throw malformed(e);
        } catch (WstxLazyException e) {
            throw malformed(deferred(e));
        }
    }

    private ReportRecord readRecord() throws ReportFormatException, IOException {
        int index = ++recordCount;
        Location at = here();
        ReportRecord record = bind(ReportRecord.class);
        record.index = index;
        record.line = at.line();
        record.textLength = text.used();
        String problem = check(record, at);
        if (problem != null) {
            skipped++;
            warnings.add(at, "record skipped", "record " + index + ": " + problem);
            return null;
        }
        return record;
    }

    /** Checks and repairs a bound record; returns why it must be skipped, or null to keep it. */
    private String check(ReportRecord r, Location at) {
        List<String> bad = badValues.isEmpty() ? List.of() : new ArrayList<>(badValues);
        badValues.clear();
        if (r.row == null) {
            return "no <row>";
        }
        if (r.row.count == null) {
            return bad.isEmpty() ? "no <count>" : "<count> " + bad.get(0);
        }
        if (r.row.count < 0) {
            return "<count> is negative (" + r.row.count + ")";
        }
        String implausible = ReportBounds.countProblem(r.row.count);
        if (implausible != null) {
            return "<count> " + implausible;
        }
        for (String b : bad) {
            warnings.add(at, "value ignored", b);
        }
        if (r.row.sourceIp == null) {
            return "empty <source_ip>";
        }
        String ip = IpAddresses.canonical(r.row.sourceIp);
        if (ip == null) {
            return "<source_ip> \"" + r.row.sourceIp + "\" is not an IP address";
        }
        r.row.sourceIp = ip;
        if (r.row.policyEvaluated == null) {
            warnings.add(at, "record without <policy_evaluated>");
            r.row.policyEvaluated = new ReportRecord.PolicyEvaluated();
        }
        ReportRecord.PolicyEvaluated pe = r.row.policyEvaluated;
        known(pe.disposition, DISPOSITIONS, "disposition", at);
        known(pe.dkim, VERDICTS, "policy_evaluated dkim", at);
        known(pe.spf, VERDICTS, "policy_evaluated spf", at);
        for (PolicyOverride o : pe.reasons) {
            known(o.type, OVERRIDES, "reason type", at);
        }
        if (r.identifiers == null && r.identities != null) {
            r.identifiers = r.identities;
            if (!sawIdentities) {
                sawIdentities = true;
                warnings.add(at, "<identities> read as <identifiers>");
            }
        }
        r.identities = null;
        if (r.identifiers == null) {
            warnings.add(at, "record without <identifiers>");
            r.identifiers = new ReportRecord.Identifiers();
        } else if (r.identifiers.headerFrom == null) {
            warnings.add(at, "record without <header_from>");
        }
        if (r.authResults != null) {
            for (DkimResult d : r.authResults.dkim) {
                known(d.result, DKIM_RESULTS, "DKIM result", at);
            }
            for (SpfResult s : r.authResults.spf) {
                s.result = spfAlias(s.result, at);
                known(s.result, SPF_RESULTS, "SPF result", at);
                known(s.scope, SPF_SCOPES, "SPF scope", at);
            }
        }
        return null;
    }

    /** Spec D5: {@code hardfail} means fail; the RFC 7489 XSD names unknown and error as old spellings. */
    private String spfAlias(String result, Location at) {
        String mapped = result == null ? null : switch (result) {
            case "hardfail" -> "fail";
            case "unknown" -> "temperror";
            case "error" -> "permerror";
            default -> result;
        };
        if (mapped != null && !mapped.equals(result)) {
            warnings.add(at, "SPF result word read as another", "\"" + result + "\" read as \"" + mapped + "\"");
        }
        return mapped;
    }

    private void known(String value, Set<String> allowed, String what, Location at) {
        if (value != null && !allowed.contains(value)) {
            warnings.add(at, "unknown value kept as written", what + " \"" + value + "\"");
        }
    }

    private ReportHeader header(ReportMetadata metadata, PolicyPublished policy, String version, String namespace)
            throws ReportFormatException {
        Location at = source;
        if (metadata == null) {
            throw new ReportFormatException(at, "no <report_metadata>");
        }
        if (policy == null) {
            throw new ReportFormatException(at, "no <policy_published>");
        }
        for (String b : badValues) {
            warnings.add(at, "value ignored", b);
        }
        badValues.clear();
        if (metadata.orgName == null) {
            String domain = emailDomain(metadata.email);
            if (domain == null) {
                throw new ReportFormatException(at, "no <org_name> and no usable <email>: cannot tell who sent the report");
            }
            metadata.orgName = domain;
            warnings.add(at, "empty <org_name>; taken from the reporter's e-mail domain", domain);
        }
        if (metadata.reportId == null) {
            throw new ReportFormatException(at, "no <report_id>");
        }
        DateRange range = metadata.dateRange;
        if (range == null || range.rawBegin == null || range.rawEnd == null) {
            throw new ReportFormatException(at, "no <date_range> with <begin> and <end>");
        }
        range.begin = epochSecond(range.rawBegin, "begin", at);
        range.end = epochSecond(range.rawEnd, "end", at);
        if (range.begin > range.end) {
            throw new ReportFormatException(at, "<date_range> <begin> " + range.rawBegin + " is after <end> " + range.rawEnd);
        }
        String implausible = ReportBounds.periodProblem(range.begin(), range.end());
        if (implausible != null) {
            throw new ReportFormatException(at, "refused: <date_range>: " + implausible);
        }
        String outside = ReportBounds.periodOutside(range.begin(), range.end());
        if (outside != null) {
            warnings.add(at, ReportBounds.OUTSIDE_WARNING, outside);
        }
        if (policy.domain == null) {
            if (policyDomain == null) {
                throw new ReportFormatException(at, NO_POLICY_DOMAIN);
            }
            policy.domain = policyDomain;
            warnings.add(at, NO_POLICY_DOMAIN + "; taken from the records' header_from", policyDomain);
        }
        known(policy.p, DISPOSITIONS, "policy p", at);
        known(policy.sp, DISPOSITIONS, "policy sp", at);
        known(policy.np, DISPOSITIONS, "policy np", at);
        boolean bis = RFC9990_NAMESPACE.equals(namespace) || metadata.generator != null || policy.np != null
                || policy.testing != null || policy.discoveryMethod != null;
        return new ReportHeader(metadata, policy, version, namespace, bis ? "rfc9990" : "rfc7489");
    }

    /** Spec D12: decimal seconds are truncated; values too large for seconds are milliseconds. */
    private long epochSecond(String raw, String element, Location at) throws ReportFormatException {
        BigDecimal value;
        try {
            value = new BigDecimal(raw);
        } catch (NumberFormatException e) {
            throw new ReportFormatException(at, "<date_range> <" + element + "> is \"" + raw + "\", expected seconds since 1970");
        }
        if (value.signum() < 0) {
            throw new ReportFormatException(at, "<date_range> <" + element + "> is negative: " + raw);
        }
        if (value.precision() - value.scale() > 20) {
            // before any arithmetic: 1e999999999 would take minutes to expand
            throw new ReportFormatException(at, "<date_range> <" + element + "> is out of range: " + raw);
        }
        if (value.compareTo(BigDecimal.valueOf(MILLISECONDS_THRESHOLD)) >= 0) {
            warnings.add(at, "<date_range> time in milliseconds; read as seconds", "<" + element + "> " + raw);
            value = value.movePointLeft(3);
        }
        try {
            return value.toBigInteger().longValueExact();
        } catch (ArithmeticException e) {
            throw new ReportFormatException(at, "<date_range> <" + element + "> is out of range: " + raw);
        }
    }

    private static String emailDomain(String email) {
        if (email == null) {
            return null;
        }
        int at = email.lastIndexOf('@');
        String domain = Normalize.domain(at < 0 ? null : email.substring(at + 1).replace(">", ""));
        return domain == null || domain.isEmpty() ? null : domain;
    }

    /** Spec D15: bytes read leniently are a warning, never silent. */
    private void warnMalformed(XmlInput decoded) {
        long bytes = decoded.malformedBytes() - malformedBefore;
        if (bytes > 0) {
            warnings.add(source, "bytes not valid UTF-8 were read as windows-1252", bytes + " bytes");
        }
    }

    private void finish() throws ReportFormatException, IOException {
        if (finished) {
            return;
        }
        readAfterReport();
        finished = true;
        warnMalformed(input);
        if (recordCount == 0) {
            warnings.add(source, "the report has no records");
        }
    }

    /**
     * Reads what follows {@code </feedback>}: comments and blanks are fine, another
     * {@code <feedback>} is a second report, anything else is ignored with a warning. Damaged
     * compression found on the way still fails the report: its bytes cannot be trusted.
     */
    private void readAfterReport() throws ReportFormatException, IOException {
        try {
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    if (xml.getLocalName().equals("feedback")) {
                        anotherReport = true;
                    } else {
                        warnings.add(here(), "data after </feedback> ignored", "an element <" + xml.getLocalName() + ">");
                    }
                    return;
                }
                if (event == XMLStreamConstants.DTD) {
                    warnings.add(here(), "data after </feedback> ignored", "a DOCTYPE declaration");
                    return;
                }
            }
        } catch (XMLStreamException e) {
            warnings.add(here(), "data after </feedback> ignored", malformed(e).problem());
        } catch (WstxLazyException e) {
            warnings.add(here(), "data after </feedback> ignored", malformed(deferred(e)).problem());
        }
    }

    /** Binds the element unless one was bound before: then the first is kept, with a warning. */
    private <T> T bindFirst(T first, Class<T> type, String element) throws ReportFormatException, IOException {
        if (first == null) {
            return bind(type);
        }
        warnings.add(here(), "element repeated; the first is used", "<" + element + ">");
        try {
            skipElement();
        } catch (XMLStreamException e) {
            throw malformed(e);
        }
        return first;
    }

    private <T> T bind(Class<T> type) throws ReportFormatException, IOException {
        try {
            return Binder.bind(xml, type, badValues::add, text);
        } catch (XMLStreamException e) {
            throw malformed(e);
        }
    }

    /** Skips the element the reader rests on; leaves the reader on the event after its end tag, as bind does. */
    private void skipElement() throws XMLStreamException {
        Binder.skip(xml);
        xml.next();
    }

    private Location here() {
        javax.xml.stream.Location l = xml == null ? null : xml.getLocation();
        return l == null ? source : source.at(l.getLineNumber(), l.getColumnNumber());
    }

    private ReportFormatException malformed(XMLStreamException e) throws IOException {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException io) {
                throw io; // damaged compressed data or a size limit, not an XML problem
            }
            if (t instanceof XMLStreamException x && x.getNestedException() instanceof IOException io) {
                throw io;
            }
        }
        javax.xml.stream.Location l = e.getLocation();
        Location at = l == null ? source : source.at(l.getLineNumber(), l.getColumnNumber());
        if (e instanceof Binder.TooMuchText) {
            return new ReportFormatException(at, "refused: an element with more than " + MAX_TEXT + " characters of text", e);
        }
        String message = e.getMessage();
        // Woodstox prefixes position information we already give in the location.
        int nl = message == null ? -1 : message.indexOf("\n at [");
        if (nl >= 0) {
            message = message.substring(0, nl);
        }
        if (message != null && message.startsWith("ParseError at [")) {
            message = message.substring(message.indexOf("Message: ") + 9);
        }
        if (message != null && message.endsWith(".")) {
            message = message.substring(0, message.length() - 1);
        }
        if (message != null && message.startsWith("Maximum Element Depth limit")) {
            return new ReportFormatException(at, "refused: elements nested more than " + MAX_DEPTH + " deep", e);
        }
        if (message != null && message.startsWith("Text size limit")) {
            return new ReportFormatException(at, "refused: an element with more than " + MAX_TEXT + " characters of text", e);
        }
        return new ReportFormatException(at, "not well-formed XML: " + message, e);
    }

    /** The parser error Woodstox deferred until the text was asked for. */
    private static XMLStreamException deferred(WstxLazyException e) {
        return e.getCause() instanceof XMLStreamException x ? x : new XMLStreamException(e.getMessage(), e);
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static XMLInputFactory createFactory() {
        XMLInputFactory f = new WstxInputFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(WstxInputProperties.P_MAX_ELEMENT_DEPTH, MAX_DEPTH);
        f.setProperty(WstxInputProperties.P_MAX_ATTRIBUTES_PER_ELEMENT, 64);
        f.setProperty(WstxInputProperties.P_MAX_TEXT_LENGTH, MAX_TEXT);
        // Several documents in one stream, so that a second report after the first is read, not lost.
        f.setProperty(WstxInputProperties.P_INPUT_PARSING_MODE, WstxInputProperties.PARSING_MODE_DOCUMENTS);
        return f;
    }
}
