package org.dmarcq.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The audit of whole records (RFC 7208 §4.6.4 and the risky terms), over the conformance zone. */
class SpfAuditTest {
    private static SpfAudit audit;

    @BeforeAll
    static void read() throws Exception {
        audit = new SpfAudit(ZoneFileDns.read(List.of(Path.of(SpfAuditTest.class.getResource("/spf/conformance.zone").toURI()))));
    }

    @Test
    void eleventhLookupIsPermerrorAndNamesTheTermsPastTheLimit() {
        SpfAudit.Result r = audit.audit("limit11.test");
        assertThat(r.verdict()).isEqualTo(SpfAudit.Verdict.PERMERROR);
        assertThat(r.lookups()).isEqualTo(11);
        assertThat(r.findings()).extracting(SpfAudit.Finding::kind).contains("too-many-lookups");
        assertThat(r.findings().stream().filter(f -> f.kind().equals("too-many-lookups")).findFirst().orElseThrow().text())
                .contains("include:l11.test (lookups 11)");
        assertThat(r.terms().get(10)).isEqualTo(new SpfAudit.TopTerm(11, "include:l11.test", 1, 11, 11));
    }

    @Test
    void tenLookupsAreNearTheLimit() {
        SpfAudit.Result r = audit.audit("limit10.test");
        assertThat(r.verdict()).isEqualTo(SpfAudit.Verdict.VALID_NEAR_LIMIT);
        assertThat(r.verdict().word()).isEqualTo("valid-near-limit");
        assertThat(r.lookups()).isEqualTo(10);
    }

    @Test
    void theWorstCaseCountsEveryBranchOfTheTree() {
        SpfAudit.Result r = audit.audit("nested.test");
        assertThat(r.verdict()).isEqualTo(SpfAudit.Verdict.VALID);
        assertThat(r.lookups()).isEqualTo(4);
        assertThat(r.terms()).first().isEqualTo(new SpfAudit.TopTerm(1, "include:n1.test", 4, 1, 4));
    }

    @Test
    void riskyTermsAreFound() {
        assertThat(audit.audit("plusall.test").findings()).extracting(SpfAudit.Finding::kind).containsExactly("pass-all");
        assertThat(audit.audit("ptr.test").findings()).extracting(SpfAudit.Finding::kind).containsExactly("ptr");
        assertThat(audit.audit("after.test").findings()).extracting(SpfAudit.Finding::kind).containsExactly("after-all");
        assertThat(audit.audit("redirall.test").findings()).extracting(SpfAudit.Finding::kind)
                .containsExactly("neutral-all", "redirect-with-all");
        assertThat(audit.audit("void3.test").verdict()).isEqualTo(SpfAudit.Verdict.PERMERROR);
        assertThat(audit.audit("mx11.test").verdict()).isEqualTo(SpfAudit.Verdict.PERMERROR);
    }

    @Test
    void includesWithoutRecordsAndLoopsArePermerrors() {
        assertThat(audit.audit("incnone.test").findings()).extracting(SpfAudit.Finding::kind).contains("include-without-record");
        assertThat(audit.audit("incnone.test").verdict()).isEqualTo(SpfAudit.Verdict.PERMERROR);
        assertThat(audit.audit("selfloop.test").findings()).extracting(SpfAudit.Finding::kind).contains("include-loop");
    }

    @Test
    void recordsThatCannotBeReadSayWhy() {
        assertThat(audit.audit("multi.test").verdict()).isEqualTo(SpfAudit.Verdict.PERMERROR);
        assertThat(audit.audit("multi.test").findings()).extracting(SpfAudit.Finding::kind).containsExactly("multiple-records");
        assertThat(audit.audit("multi.test").findings().get(0).text())
                .contains("v=spf1 ip4:192.0.2.1 -all").contains("v=spf1 ip4:192.0.2.2 -all");
        assertThat(audit.audit("badip.test").findings()).extracting(SpfAudit.Finding::kind).containsExactly("syntax");
        assertThat(audit.audit("nospf.test").verdict()).isEqualTo(SpfAudit.Verdict.NONE);
    }

    @Test
    void rangesGivenTwiceOrCoveredAreFound() throws Exception {
        SpfDns dns = (name, type) -> type == SpfDns.Type.TXT && name.equals("r.test")
                ? SpfDns.Answer.of(List.of("v=spf1 ip4:192.0.2.0/24 ip4:192.0.2.7 ip4:198.51.100.0/24 ip4:198.51.100.0/24 -all"))
                : SpfDns.Answer.NXDOMAIN;
        assertThat(new SpfAudit(dns).audit("r.test").findings()).extracting(SpfAudit.Finding::kind)
                .containsExactlyInAnyOrder("covered-range", "duplicate-range");
    }
}
