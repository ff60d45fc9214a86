package org.dmarcq.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.dmarcq.ingest.Ingest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The worked examples of {@code shared/spec/alignment-and-policy.md} section 10, each ingested as a
 * report of its own and read back from the {@code record_verdicts} view, where the rules live.
 * Examples 18-20 need the DMARCbis DNS tree walk; dmarcq evaluates with the Public Suffix List
 * (RFC 7489), so they are checked against their RFC 7489 column.
 */
class RecordVerdictsTest {
    private static Path dir;
    private static Store store;

    @BeforeAll
    static void open() throws Exception {
        dir = Files.createTempDirectory("verdicts");
        store = Store.open(dir.resolve("v.duckdb"));
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @ParameterizedTest(name = "example {0}: {10}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
        # | header_from                 | SPF domain:result[:scope]          | DKIM d=:result;...                                  | adkim | aspf | SPF aligned | DKIM aligned | DMARC | reason           | why
        1 | example.com                 | example.com:pass                   | example.com:pass                                    | r     | r    | true        | true         | pass  | -                | identical
        2 | example.com                 | bounce.example.com:pass            | -                                                   | r     | r    | true        | false        | pass  | -                | same org domain
        3 | example.com                 | bounce.example.com:pass            | -                                                   | r     | s    | false       | false        | fail  | spf-not-aligned  | strict needs exact match
        4 | news.example.com            | example.com:pass                   | example.com:pass                                    | s     | s    | false       | false        | fail  | dkim-third-party | parent is not child under strict
        5 | example.com                 | em123.sendgrid.net:pass            | sendgrid.net:pass                                   | r     | r    | false       | false        | fail  | dkim-third-party | ESP defaults authenticate the ESP
        6 | example.com                 | em123.example.com:pass             | sendgrid.net:pass                                   | r     | r    | true        | false        | pass  | -                | custom bounce domain under your org domain
        7 | example.com                 | example.com:softfail               | example.com:fail                                    | r     | r    | false       | false        | fail  | dkim-fail        | only pass can align
        8 | shop.example.co.uk          | example.co.uk:pass                 | -                                                   | r     | r    | true        | false        | pass  | -                | co.uk is a public suffix
        9 | example.co.uk               | -                                  | other.co.uk:pass                                    | r     | r    | false       | false        | fail  | dkim-third-party | example.co.uk is not other.co.uk
        10 | Example.COM                | example.com:pass                   | -                                                   | r     | s    | true        | false        | pass  | -                | case-insensitive
        11 | example.com.               | -                                  | example.com:pass                                    | s     | r    | false       | true         | pass  | -                | trailing dot stripped
        12 | bücher.example             | -                                  | xn--bcher-kva.example:pass                          | s     | r    | false       | true         | pass  | -                | A-labels compared
        13 | example.com                | example.com:fail                   | example.com:pass                                    | r     | r    | false       | true         | pass  | -                | DKIM survives forwarding
        14 | example.com                | lists.example.org:pass             | example.com:fail;lists.example.org:pass             | r     | r    | false       | false        | fail  | dkim-third-party | a list breaks DKIM
        15 | example.com                | mail.example.com:pass:helo         | -                                                   | r     | r    | true        | false        | pass  | -                | null reverse-path: the HELO identity
        16 | example.com                | -                                  | example.com:fail;esp.example.net:pass               | r     | r    | false       | false        | fail  | dkim-third-party | the aligned signature failed
        17 | example.com                | example.com:pass                   | example.com:temperror                               | r     | r    | true        | false        | pass  | -                | one aligned pass suffices
        18 | mail.dept.example.com      | -                                  | example.com:pass                                    | r     | r    | false       | true         | pass  | -                | RFC 7489 column: PSL org domain example.com
        19 | a.b.c.d.e.f.g.h.example.com | example.com:pass                  | -                                                   | r     | r    | true        | false        | pass  | -                | deep names collapse to example.com
        20 | giant.bank.example         | mail.giant.bank.example:pass       | mail.mega.bank.example:pass                         | r     | r    | true        | true         | pass  | -                | RFC 7489 column: bank.example under the default rule
        """)
    void workedExample(int number, String headerFrom, String spf, String dkim, String adkim, String aspf,
                       boolean spfAligned, boolean dkimAligned, String dmarc, String reason, String why) throws Exception {
        Path report = dir.resolve("example-" + number + ".xml");
        // The receiver's verdict agrees with the example, as a receiver using the PSL would report it.
        Files.writeString(report, report(number, headerFrom, spf, dkim, adkim, aspf, dkimAligned, spfAligned));
        Ingest.into(store).run(List.of(report.toString()));
        try (PreparedStatement s = store.connection().prepareStatement("""
                SELECT spf_aligned, dkim_aligned, dmarc, reason FROM record_verdicts v
                JOIN reports p USING (report_key) WHERE p.report_id = ?""")) {
            s.setString(1, "example-" + number);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(List.of(rs.getBoolean(1), rs.getBoolean(2), rs.getString(3), String.valueOf(rs.getString(4))))
                        .as("example %d (%s): spf aligned, dkim aligned, dmarc, reason", number, why)
                        .containsExactly(spfAligned, dkimAligned, dmarc, String.valueOf(reason));
            }
        }
    }

    @ParameterizedTest(name = "{0}: {7}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
        # case | SPF domain:result           | DKIM d=:result     | receiver dkim/spf | override  | reason           | disagrees | why
        101    | example.com:fail            | -                  | fail/fail         | forwarded | forwarded        | false     | the receiver's override explains the failure
        102    | example.com:softfail        | -                  | fail/fail         | -         | spf-fail         | false     | SPF failed for the domain, nothing signed
        103    | example.com:none            | -                  | fail/fail         | -         | no-auth          | false     | nothing authenticated
        104    | -                           | -                  | fail/fail         | -         | no-auth          | false     | no results at all
        105    | bounces.esp.example:pass    | -                  | fail/fail         | -         | spf-not-aligned  | false     | SPF passed for the ESP only
        106    | -                           | other.example:pass | pass/fail         | -         | dkim-third-party | true      | the receiver aligned what the PSL does not
        107    | example.com:pass            | -                  | fail/fail         | -         | receiver-fail    | true      | the receiver failed what aligns
        108    | example.com:pass            | -                  | fail/pass         | -         | -                | false     | a pass has no reason
        """)
    void reasonsAndDisagreements(int number, String spf, String dkim, String receiver, String override, String reason,
                                 boolean disagrees, String why) throws Exception {
        Path report = dir.resolve("case-" + number + ".xml");
        String[] verdict = receiver.split("/");
        String xml = report(number, "example.com", spf, dkim, "r", "r", verdict[0].equals("pass"), verdict[1].equals("pass"));
        if (override != null) {
            xml = xml.replace("</spf></policy_evaluated>", "</spf><reason><type>" + override + "</type></reason></policy_evaluated>");
        }
        Files.writeString(report, xml);
        Ingest.into(store).run(List.of(report.toString()));
        try (PreparedStatement s = store.connection().prepareStatement("""
                SELECT reason, disagrees FROM record_verdicts v JOIN reports p USING (report_key) WHERE p.report_id = ?""")) {
            s.setString(1, "example-" + number);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(List.of(String.valueOf(rs.getString(1)), rs.getBoolean(2)))
                        .as("case %d (%s): reason, disagrees", number, why)
                        .containsExactly(String.valueOf(reason), disagrees);
            }
        }
    }

    static String report(int number, String headerFrom, String spf, String dkim, String adkim, String aspf,
                         boolean receiverDkim, boolean receiverSpf) {
        StringBuilder auth = new StringBuilder();
        if (dkim != null) {
            for (String signature : dkim.split(";")) {
                String[] parts = signature.split(":");
                auth.append("<dkim><domain>").append(parts[0]).append("</domain><selector>s</selector><result>")
                        .append(parts[1]).append("</result></dkim>");
            }
        }
        if (spf != null) {
            String[] parts = spf.split(":");
            auth.append("<spf><domain>").append(parts[0]).append("</domain><scope>").append(parts.length > 2 ? parts[2] : "mfrom")
                    .append("</scope><result>").append(parts[1]).append("</result></spf>");
        }
        return "<feedback><report_metadata><org_name>spec</org_name><email>spec@receiver.example</email><report_id>example-"
                + number + "</report_id><date_range><begin>1762387200</begin><end>1762473599</end></date_range>"
                + "</report_metadata><policy_published><domain>example.com</domain><adkim>" + adkim + "</adkim><aspf>" + aspf
                + "</aspf><p>none</p></policy_published><record><row><source_ip>192.0.2.1</source_ip><count>1</count>"
                + "<policy_evaluated><disposition>none</disposition><dkim>" + (receiverDkim ? "pass" : "fail") + "</dkim><spf>"
                + (receiverSpf ? "pass" : "fail") + "</spf></policy_evaluated></row>"
                + "<identifiers><header_from>" + headerFrom + "</header_from></identifiers><auth_results>" + auth
                + "</auth_results></record></feedback>";
    }
}
