package org.dmarcq.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReportReaderTest {
    private static final String HEAD = """
        <feedback><report_metadata><org_name>o</org_name><email>a@o.example</email><report_id>r</report_id>
        <date_range><begin>1762387200</begin><end>1762473600</end></date_range></report_metadata>
        <policy_published><domain>example.com</domain><p>none</p></policy_published>
        """;
    private static final String RECORD = """
        <record><row><source_ip>192.0.2.1</source_ip><count>2</count><policy_evaluated><disposition>none</disposition>
        <dkim>pass</dkim><spf>pass</spf></policy_evaluated></row><identifiers><header_from>example.com</header_from>
        </identifiers><auth_results><spf><domain>example.com</domain><result>pass</result></spf></auth_results></record>
        """;

    @Test
    void readsTheHeaderBeforeAnyRecordAndRecordsInOrder() throws Exception {
        try (ReportReader reader = open(HEAD + RECORD + RECORD.replace("192.0.2.1", "192.0.2.2") + "</feedback>")) {
            assertThat(reader.header().orgName()).isEqualTo("o");
            assertThat(reader.header().policyDomain()).isEqualTo("example.com");
            assertThat(reader.header().dateRange().begin()).hasToString("2025-11-06T00:00:00Z");
            ReportRecord first = reader.next();
            ReportRecord second = reader.next();
            assertThat(reader.next()).isNull();
            assertThat(List.of(first.index(), second.index())).containsExactly(1, 2);
            assertThat(List.of(first.sourceIp(), second.sourceIp())).containsExactly("192.0.2.1", "192.0.2.2");
            assertThat(first.count()).isEqualTo(2);
            assertThat(first.spf()).singleElement().extracting(SpfResult::result).isEqualTo("pass");
        }
    }

    @Test
    void streamsAReportOfManyRecordsWithoutHoldingThem() throws Exception {
        int records = 50_000;
        InputStream body = new SequenceInputStream(Collections.enumeration(IntStream.range(0, records + 2)
                .mapToObj(i -> (InputStream) new ByteArrayInputStream(
                        (i == 0 ? HEAD : i == records + 1 ? "</feedback>" : RECORD).getBytes(StandardCharsets.UTF_8)))
                .toList()));
        long messages = 0;
        try (ReportReader reader = ReportReader.open(body, Location.of("many.xml", null))) {
            for (ReportRecord r; (r = reader.next()) != null; ) {
                messages += r.count();
            }
            assertThat(reader.skippedRecords()).isZero();
        }
        assertThat(messages).isEqualTo(2L * records);
    }

    @Test
    void aRecordWithABadCountIsSkippedWithAWarningNamingIt() throws Exception {
        try (ReportReader reader = open(HEAD + RECORD.replace("<count>2", "<count>12a") + RECORD + "</feedback>")) {
            assertThat(reader.next().index()).isEqualTo(2);
            assertThat(reader.next()).isNull();
            assertThat(reader.skippedRecords()).isEqualTo(1);
            assertThat(reader.warnings()).extracting(ReportWarning::toString)
                    .containsExactly("t.xml:4:1: record skipped: record 1: <count> \"12a\" is not a whole number");
        }
    }

    @Test
    void recordsBeforeTheHeaderAreHeldUpToALimit() throws Exception {
        String[] parts = HEAD.split("(?=<policy_published>)");
        try (ReportReader reader = open("<feedback>" + RECORD + RECORD + parts[0].substring("<feedback>".length()) + parts[1]
                + "</feedback>")) {
            assertThat(reader.header().policyDomain()).isEqualTo("example.com");
            assertThat(reader.next().index()).isEqualTo(1);
            assertThat(reader.next().index()).isEqualTo(2);
            assertThat(reader.next()).isNull();
        }
        String many = "<feedback>" + RECORD.repeat(ReportReader.MAX_EARLY_RECORDS + 1) + HEAD.substring("<feedback>".length())
                + "</feedback>";
        assertThatThrownBy(() -> open(many)).isInstanceOf(ReportFormatException.class)
                .hasMessageEndingWith("refused: more than 10000 records before <report_metadata> and <policy_published> (the limit)");
    }

    @Test
    void aDoctypeIsRefused() {
        assertThatThrownBy(() -> open("<!DOCTYPE feedback [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n" + HEAD + "</feedback>"))
                .isInstanceOf(ReportFormatException.class)
                .hasMessageStartingWith("t.xml:1:1: a DOCTYPE declaration: not allowed");
    }

    @Test
    void theWrongRootElementIsNamed() {
        assertThatThrownBy(() -> open("<html><body/></html>"))
                .isInstanceOf(ReportFormatException.class)
                .hasMessage("t.xml:1:1: not a DMARC aggregate report: the root element is <html>, expected <feedback>");
    }

    @Test
    void deeplyNestedElementsAreRefused() {
        String deep = "<a>".repeat(200) + "</a>".repeat(200);
        assertThatThrownBy(() -> {
            try (ReportReader reader = open(HEAD + "<extension>" + deep + "</extension>" + RECORD + "</feedback>")) {
                while (reader.next() != null) {
                    // read all
                }
            }
        }).isInstanceOf(ReportFormatException.class).hasMessageContaining("refused: elements nested more than 64 deep");
    }

    private static ReportReader open(String xml) throws IOException, ReportFormatException {
        return ReportReader.open(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), Location.of("t.xml", null));
    }
}
