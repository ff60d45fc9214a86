package org.dmarcq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tls} and {@code tls whatif} on the TLS fixtures, ingested with DMARC reports in one run; golden outputs in testdata/cli/. */
class TlsCommandTest extends CommandTest {
    @TempDir Path temp;

    private String db() {
        return temp.resolve("t.duckdb").toString();
    }

    @BeforeEach
    void ingest() {
        assertThat(run("ingest", "--db", db(), "--format", "json", "testdata/reports/google.xml", "testdata/tls")).as(err.toString()).isZero();
    }

    @Test
    void dmarcAndTlsReportsAreIngestedInOneRun() {
        assertThat(out.toString()).contains("\"reports\":1,", "\"tls_reports\":7,", "\"tls_sessions\":11254");
        assertThat(run("ingest", "--db", db(), "--format", "json", "testdata/reports/google.xml", "testdata/tls")).isZero();
        assertThat(out.toString()).contains("\"reports\":0,", "\"duplicates\":13,", "\"tls_reports\":0,");
    }

    @Test
    void sessionsPerDomainAndPolicyType() throws Exception {
        assertThat(run("tls", "--db", db())).as(err.toString()).isZero();
        Golden.compare("tls.txt", out.toString());
        assertThat(run("tls", "--db", db(), "--format", "json")).isZero();
        Golden.compare("tls.json", out.toString());
        assertThat(run("tls", "--db", db(), "--domain", "example.org", "--format", "csv")).isZero();
        assertThat(out.toString()).isEqualTo("""
                policy_domain,policy_type,sts_modes,sessions,successful_sessions,failed_sessions,success_rate,reports,reporters
                example.org,no-policy-found,,40,40,0,1.0,1,Postfix TLSRPT
                """);
    }

    @Test
    void wouldEnforceBreakInboundMail() throws Exception {
        assertThat(run("tls", "whatif", "--mode", "enforce", "--db", db(), "--min-days", "1")).as(err.toString()).isZero();
        Golden.compare("tls-whatif.txt", out.toString());
        assertThat(run("tls", "whatif", "--mode", "enforce", "--db", db(), "--domain", "example.com",
                "--policy", "testdata/cli/mta-sts.txt", "--format", "json")).as(err.toString()).isZero();
        Golden.compare("tls-whatif-policy.json", out.toString());
        assertThat(out.toString()).contains("\"unmatched_mx\":[\"mx3.example.com\"]");
    }

    @Test
    void mistakesAreNamed() {
        assertThat(run("tls", "whatif", "--mode", "enforce", "--db", db(), "--policy", "testdata/cli/mta-sts.txt")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("dmarcq: --policy is one domain's policy, and the reports cover [company-y.example,"
                + " example.com]: name one with --domain\n");
        assertThat(run("tls", "whatif", "--mode", "testing", "--db", db())).isEqualTo(2);
        assertThat(err.toString()).contains("--mode");
        assertThat(run("tls", "whatif", "--mode", "enforce", "--db", db(), "--domain", "example.com", "--policy", "none.txt")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("dmarcq: none.txt: no such policy file\n");
    }
}
