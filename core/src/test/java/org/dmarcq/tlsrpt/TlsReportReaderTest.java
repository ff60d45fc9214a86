package org.dmarcq.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.dmarcq.report.Location;
import org.dmarcq.report.ReportFormatException;
import org.dmarcq.report.ReportWarning;
import org.junit.jupiter.api.Test;

/** What the golden fixtures do not show: precedence of the policy-domain fallbacks, and refusals. */
class TlsReportReaderTest {
    private static final String NO_DOMAIN = """
            {"organization-name":"Postfix","report-id":"p-1","date-range":{"start-datetime":"2025-11-06T00:00:00Z",
             "end-datetime":"2025-11-06T23:59:59Z"},"policies":[{"policy":{"policy-type":"no-policy-found"},
             "summary":{"total-successful-session-count":4,"total-failure-session-count":0}}]}""";

    private static TlsReport read(String json, String file, String header) throws ReportFormatException {
        return TlsReportReader.read(json.getBytes(StandardCharsets.UTF_8), Location.of(file, null), header);
    }

    @Test
    void aMissingPolicyDomainComesFromTheHeaderThenTheFileName() throws Exception {
        String named = "rua/mail.example.net!from-name.example!1762387200!1762473599.json";
        assertThat(read(NO_DOMAIN, named, "From-Header.example.").policies().get(0).policyDomain()).isEqualTo("from-header.example");
        assertThat(read(NO_DOMAIN, named, null).policies().get(0).policyDomain()).isEqualTo("from-name.example");
        TlsReport neither = read(NO_DOMAIN, "rua/report.json", null);
        assertThat(neither.policies().get(0).policyDomain()).isNull();
        assertThat(neither.warnings()).extracting(ReportWarning::message, ReportWarning::detail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("no policy-domain", "policies[1]"));
    }

    @Test
    void aSecondReportInTheSameFileIsAWarningNeverSilent() throws Exception {
        TlsReport first = read(NO_DOMAIN + "\n" + NO_DOMAIN.replace("p-1", "p-2"), "two.json", "example.com");
        assertThat(first.reportId()).isEqualTo("p-1");
        assertThat(first.warnings()).extracting(ReportWarning::message)
                .contains("data after the end of the report ignored (a second report in the same file is not read)");
        assertThat(read(NO_DOMAIN + "\n \n", "one.json", "example.com").warnings()).extracting(ReportWarning::message)
                .noneMatch(m -> m.startsWith("data after"));
    }

    @Test
    void whatIsNotAReportIsRefusedWithTheFieldNamed() {
        assertThatThrownBy(() -> read("[1, 2]", "a.json", null)).isInstanceOf(ReportFormatException.class)
                .hasMessageContaining("not an SMTP TLS report: the JSON is an array, and a report is one object (one report per file)");
        assertThatThrownBy(() -> read("\"text\"", "a2.json", null)).isInstanceOf(ReportFormatException.class)
                .hasMessageContaining("not an SMTP TLS report: the JSON is not an object");
        assertThatThrownBy(() -> read("{\"policies\": []}", "b.json", null))
                .hasMessageContaining("not an SMTP TLS report: organization-name, report-id, date-range missing");
        assertThatThrownBy(() -> read(NO_DOMAIN.replace("2025-11-06T23:59:59Z", "yesterday"), "c.json", null))
                .hasMessageContaining("date-range.end-datetime: \"yesterday\" is not an RFC 3339 date-time");
        assertThatThrownBy(() -> read(NO_DOMAIN.replace("\"end-datetime\":\"2025-11-06T23:59:59Z\"", "\"end-datetime\":\"2025-11-05T00:00:00Z\""),
                "d.json", null)).hasMessageContaining("date-range ends (2025-11-05T00:00:00Z) before it starts (2025-11-06T00:00:00Z)");
        assertThatThrownBy(() -> read("{\"organization-name\": \"x\", \"organization-name\": \"y\"}", "e.json", null))
                .hasMessageContaining("not well-formed JSON: Duplicate field 'organization-name'");
    }
}
