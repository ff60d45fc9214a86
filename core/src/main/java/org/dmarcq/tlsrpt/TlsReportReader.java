package org.dmarcq.tlsrpt;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dmarcq.report.IpAddresses;
import org.dmarcq.report.Location;
import org.dmarcq.report.ReportBounds;
import org.dmarcq.report.ReportFormatException;
import org.dmarcq.report.ReportWarning;

/**
 * Reads an SMTP TLS report (RFC 8460 JSON), surviving what real reporters send (see
 * ../shared/spec/tls-rpt-format.md section 7): times without a zone, {@code mx-host} as a string or
 * an array, the schema's placeholder key names, a missing policy domain (taken from the e-mail's
 * {@code TLS-Report-Domain} header or the file name),
 * unregistered result types, failure details that do not add up. Each is a warning; a report
 * without what identifies it (organisation, report ID, period) is an error naming the field.
 */
public final class TlsReportReader {
    /** The result types of the IANA registry; others are kept as written, with a warning. */
    static final Set<String> RESULT_TYPES = Set.of("starttls-not-supported", "certificate-host-mismatch",
            "certificate-expired", "certificate-not-trusted", "validation-failure", "tlsa-invalid", "dnssec-invalid",
            "dane-required", "sts-policy-fetch-error", "sts-policy-invalid", "sts-webpki-invalid");
    private static final Set<String> POLICY_TYPES = Set.of("sts", "tlsa", "no-policy-found");
    /** {@code sender!policy-domain!begin!end[!id].json[.gz]}, RFC 8460's recommended file name. */
    private static final Pattern FILE_NAME = Pattern.compile("(?:^|[/!])[^/!]+!([^/!]+)![0-9]+![0-9]+(?:![^/!]*)?\\.json");
    private static final Pattern MODE = Pattern.compile("^\\s*mode\\s*:\\s*(\\S+)\\s*$", Pattern.CASE_INSENSITIVE);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();

    private final Location where;
    private final String reportDomain;
    private final List<ReportWarning> warnings = new ArrayList<>();

    private TlsReportReader(Location where, String reportDomain) {
        this.where = where;
        this.reportDomain = reportDomain;
    }

    /** Reads one report; {@code where} names the file (and member), whose name may give the policy domain. */
    public static TlsReport read(byte[] json, Location where) throws ReportFormatException {
        return read(json, where, null);
    }

    /**
     * The same for a report that came by e-mail.
     *
     * @param reportDomain the e-mail's {@code TLS-Report-Domain} header, or null
     */
    public static TlsReport read(byte[] json, Location where, String reportDomain) throws ReportFormatException {
        return new TlsReportReader(where, reportDomain).read(json);
    }

    private TlsReport read(byte[] json) throws ReportFormatException {
        JsonNode root;
        try (JsonParser parser = JSON.createParser(json)) {
            root = JSON.readTree(parser);
            trailing(parser);
        } catch (JsonProcessingException e) {
            Location at = e.getLocation() == null ? where : where.at(e.getLocation().getLineNr(), e.getLocation().getColumnNr());
            throw new ReportFormatException(at, "not well-formed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ReportFormatException(where, "cannot read the JSON: " + e.getMessage());
        }
        if (root != null && root.isArray()) {
            throw new ReportFormatException(where, "not an SMTP TLS report: the JSON is an array, and a report is one object"
                    + " (one report per file)");
        }
        if (root == null || !root.isObject()) {
            throw new ReportFormatException(where, "not an SMTP TLS report: the JSON is not an object");
        }
        String org = text(root, "organization-name");
        String reportId = text(root, "report-id");
        JsonNode range = root.get("date-range");
        if (org == null || reportId == null || range == null || !range.isObject()) {
            List<String> missing = new ArrayList<>();
            if (org == null) {
                missing.add("organization-name");
            }
            if (reportId == null) {
                missing.add("report-id");
            }
            if (range == null || !range.isObject()) {
                missing.add("date-range");
            }
            throw new ReportFormatException(where, "not an SMTP TLS report: " + String.join(", ", missing) + " missing");
        }
        Instant begin = time(range, "start-datetime");
        Instant end = time(range, "end-datetime");
        if (end.isBefore(begin)) {
            throw new ReportFormatException(where, "date-range ends (" + end + ") before it starts (" + begin + ")");
        }
        String implausible = ReportBounds.periodProblem(begin, end);
        if (implausible != null) {
            throw new ReportFormatException(where, "refused: date-range: " + implausible);
        }
        String outside = ReportBounds.periodOutside(begin, end);
        if (outside != null) {
            warn(ReportBounds.OUTSIDE_WARNING, outside);
        }
        List<TlsReport.Policy> policies = new ArrayList<>();
        JsonNode list = root.get("policies");
        if (list == null || list.isNull()) {
            warn("no policies: a report without sessions");
        } else if (list.isObject()) {
            warn("policies is an object, not an array: read as an array of one");
            policies.add(policy(list, 1));
        } else if (list.isArray()) {
            for (int i = 0; i < list.size(); i++) {
                policies.add(policy(list.get(i), i + 1));
            }
        } else {
            throw new ReportFormatException(where, "policies: expected an array, found " + list.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
        return new TlsReport(org, text(root, "contact-info"), reportId, begin, end, List.copyOf(policies), List.copyOf(warnings));
    }

    /** Data after the report's object: a warning, never read as a second report. */
    private void trailing(JsonParser parser) {
        try {
            if (parser.nextToken() == null) {
                return;
            }
        } catch (IOException e) {
            // not JSON either
        }
        warn("data after the end of the report ignored (a second report in the same file is not read)");
    }

    private TlsReport.Policy policy(JsonNode entry, int index) throws ReportFormatException {
        String at = "policies[" + index + "]";
        if (!entry.isObject()) {
            throw new ReportFormatException(where, at + ": expected an object");
        }
        JsonNode policy = entry.path("policy");
        String type = lower(text(policy, "policy-type"));
        if (type == null) {
            warn("no policy-type", at);
        } else if (!POLICY_TYPES.contains(type)) {
            warn("unknown policy-type, kept as text", at + ": \"" + type + "\"");
        }
        String domain = domain(text(policy, "policy-domain"));
        if (domain == null && domain(reportDomain) != null) {
            domain = domain(reportDomain);
            warn("no policy-domain; taken from the e-mail's TLS-Report-Domain header", at + ": " + domain);
        } else if (domain == null) {
            domain = domainFromFileName();
            warn(domain == null ? "no policy-domain" : "no policy-domain; taken from the file name", at + (domain == null ? "" : ": " + domain));
        }
        List<String> strings = strings(policy, "policy-string", at);
        List<String> mx = strings(policy, policy.has("mx-host") ? "mx-host" : "mx-host-pattern", at);
        mx = mx.stream().map(TlsReportReader::domain).toList();
        String mode = null;
        if ("sts".equals(type)) {
            for (String line : strings) {
                Matcher m = MODE.matcher(line);
                if (m.matches()) {
                    mode = m.group(1).toLowerCase(Locale.ROOT);
                }
            }
        }
        JsonNode summary = entry.path("summary");
        long successful = count(summary, "total-successful-session-count", at + ".summary");
        long failed = count(summary, "total-failure-session-count", at + ".summary");
        List<TlsReport.Failure> failures = new ArrayList<>();
        JsonNode details = entry.get("failure-details");
        long detailSessions = 0;
        if (details != null && details.isArray()) {
            for (int i = 0; i < details.size(); i++) {
                TlsReport.Failure f = failure(details.get(i), at + ".failure-details[" + (i + 1) + "]");
                failures.add(f);
                detailSessions += f.failedSessions();
            }
        } else if (details != null && !details.isNull()) {
            warn("failure-details is not an array; ignored", at);
        }
        boolean mismatch = detailSessions != failed;
        if (mismatch && failures.isEmpty()) {
            warn("failed sessions, but no failure details", at + ": " + failed + " failed sessions");
        } else if (mismatch) {
            warn(detailSessions > failed ? "the failure details add up to more sessions than failed (one session may have several"
                    + " result types)" : "the failure details add up to fewer sessions than failed (details are missing)",
                    String.format(Locale.ROOT, "%s: %d in the details, %d failed", at, detailSessions, failed));
        }
        return new TlsReport.Policy(index, type, domain, strings, mode, mx, successful, failed, detailSessions, mismatch,
                List.copyOf(failures));
    }

    private TlsReport.Failure failure(JsonNode d, String at) throws ReportFormatException {
        if (!d.isObject()) {
            throw new ReportFormatException(where, at + ": expected an object");
        }
        String type = lower(text(d, "result-type"));
        if (type == null) {
            warn("no result-type", at);
        } else if (!RESULT_TYPES.contains(type)) {
            warn("unknown result-type, kept as text", at + ": \"" + type + "\"");
        }
        return new TlsReport.Failure(type, address(d, "sending-mta-ip", at), domain(text(d, "receiving-mx-hostname")),
                domain(text(d, "receiving-mx-helo")), address(d, "receiving-ip", at), count(d, "failed-session-count", at),
                text(d, d.has("additional-information") ? "additional-information" : "additional-info-uri"),
                text(d, "failure-reason-code"));
    }

    private String address(JsonNode node, String field, String at) {
        String text = text(node, field);
        if (text == null) {
            return null;
        }
        String ip = IpAddresses.canonical(text);
        if (ip == null) {
            warn("not an IP address; kept as written", at + "." + field + ": \"" + text + "\"");
            return text;
        }
        return ip;
    }

    private Instant time(JsonNode range, String field) throws ReportFormatException {
        String text = text(range, field);
        if (text == null) {
            throw new ReportFormatException(where, "not an SMTP TLS report: date-range." + field + " missing");
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            // Microsoft writes times without a zone; a bare date has been seen too.
        }
        try {
            Instant t = LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            warn("date-range time without a time zone: read as UTC", "date-range." + field + " \"" + text + "\"");
            return t;
        } catch (DateTimeParseException e) {
            // try a date
        }
        try {
            Instant t = LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            warn("date-range time is a date: read as its start, UTC", "date-range." + field + " \"" + text + "\"");
            return t;
        } catch (DateTimeParseException e) {
            throw new ReportFormatException(where, "date-range." + field + ": \"" + text + "\" is not an RFC 3339 date-time");
        }
    }

    private long count(JsonNode node, String field, String at) throws ReportFormatException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            warn("count missing: counted as 0", at + "." + field);
            return 0;
        }
        if (value.isIntegralNumber() && value.bigIntegerValue().signum() >= 0) {
            return bounded(value.bigIntegerValue(), field, at);
        }
        if (value.isTextual() && value.asText().strip().matches("[0-9]{1,40}")) {
            warn("count is a string: read as a number", at + "." + field + " \"" + value.asText() + "\"");
            return bounded(new java.math.BigInteger(value.asText().strip()), field, at);
        }
        throw new ReportFormatException(where, at + "." + field + ": " + value + " is not a session count");
    }

    /** A count, or 0 with a warning when it is beyond belief (so that no sum can overflow). */
    private long bounded(java.math.BigInteger count, String field, String at) {
        String implausible = ReportBounds.countProblem(count);
        if (implausible != null) {
            warn("implausible count: counted as 0", at + "." + field + " " + implausible);
            return 0;
        }
        return count.longValueExact();
    }

    /** A string or an array of strings (the RFC's example writes mx-host as a string, erratum 6241 an array). */
    private List<String> strings(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        List<String> result = new ArrayList<>();
        if (value == null || value.isNull()) {
            return result;
        }
        if (value.isArray()) {
            for (JsonNode v : value) {
                if (v.isValueNode() && !v.isNull() && !v.asText().isBlank()) {
                    result.add(v.asText().strip());
                }
            }
        } else if (value.isValueNode()) {
            for (String part : value.asText().split("[\\r\\n]+")) {
                if (!part.isBlank()) {
                    result.add(part.strip());
                }
            }
        } else {
            warn("neither a string nor an array; ignored", at + "." + field);
        }
        return result;
    }

    private String domainFromFileName() {
        Matcher m = FILE_NAME.matcher(where.source());
        return m.find() ? domain(m.group(1)) : null;
    }

    private void warn(String message) {
        warn(message, null);
    }

    /** A warning of the kind {@code message}; {@code detail} says where in the report and what was there. */
    private void warn(String message, String detail) {
        warnings.add(new ReportWarning(where, message, detail));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        String text = value.asText().strip();
        return text.isEmpty() ? null : text;
    }

    private static String lower(String text) {
        return text == null ? null : text.toLowerCase(Locale.ROOT);
    }

    private static String domain(String text) {
        if (text == null) {
            return null;
        }
        String d = text.strip().toLowerCase(Locale.ROOT);
        while (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        return d.isEmpty() ? null : d;
    }
}
