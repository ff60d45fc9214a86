package org.dmarcq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code senders} and {@code domains} on a fixed set of fixtures, compared with golden files in
 * {@code testdata/cli/} ({@code -Ddmarcq.golden.update=true} rewrites them; review the diff).
 */
class AnalysisCommandsTest extends CommandTest {
    private static final String[] FIXTURES = {"testdata/reports/google.xml", "testdata/reports/microsoft.xml",
            "testdata/reports/yahoo.xml", "testdata/reports/rfc9990.xml", "testdata/reports/override-reasons.xml",
            "testdata/reports/spf-aliases.xml", "testdata/reports/ipv6-forms.xml", "testdata/reports/uppercase-enums.xml"};

    @TempDir Path temp;

    private String db() {
        return temp.resolve("a.duckdb").toString();
    }

    @BeforeEach
    void ingest() {
        String[] args = new String[FIXTURES.length + 3];
        args[0] = "ingest";
        args[1] = "--db";
        args[2] = db();
        System.arraycopy(FIXTURES, 0, args, 3, FIXTURES.length);
        assertThat(run(args)).as(err.toString()).isZero();
    }

    @Test
    void sendersJson() throws Exception {
        assertThat(run("senders", "--offline", "--db", db(), "--format", "json")).as(err.toString()).isZero();
        golden("senders.json", out.toString().replace("},{", "},\n{"));
    }

    @Test
    void failingSendersOfOneDomainAsATable() throws Exception {
        assertThat(run("senders", "--offline", "--db", db(), "--domain", "Example.COM.", "--failing", "--until", "2025-11-06")).isZero();
        golden("senders-failing.txt", out.toString());
    }

    @Test
    void domainsJson() throws Exception {
        assertThat(run("domains", "--db", db(), "--format", "json")).as(err.toString()).isZero();
        golden("domains.json", out.toString().replace("},{", "},\n{"));
    }

    @Test
    void whatIfJson() throws Exception {
        assertThat(run("whatif", "--offline", "--db", db(), "--policy", "reject", "--pct", "50", "--format", "json")).as(err.toString()).isZero();
        golden("whatif-reject-pct50.json", out.toString().replace("},{", "},\n{"));
    }

    @Test
    void whatIfTable() throws Exception {
        assertThat(run("whatif", "--offline", "--db", db(), "--policy", "quarantine", "--adkim", "s")).as(err.toString()).isZero();
        golden("whatif-quarantine-strict.txt", out.toString());
    }

    @Test
    void readinessJsonAndText() throws Exception {
        assertThat(run("readiness", "--offline", "--db", db(), "--format", "json")).as(err.toString()).isZero();
        golden("readiness.json", out.toString().replace("},{", "},\n{"));
        assertThat(run("readiness", "--offline", "--db", db(), "--min-days", "1", "--min-reporters", "1", "--min-pass-rate", "75")).isZero();
        golden("readiness-lenient.txt", out.toString());
    }

    @Test
    void theSameNumbersThroughSql() {
        assertThat(run("sql", "--db", db(), "--format", "csv",
                "SELECT sum(count) FILTER (WHERE coalesce(receiver_dmarc, dmarc) = 'fail') FROM record_verdicts")).isZero();
        String viaSql = out.toString().lines().skip(1).findFirst().orElseThrow();
        assertThat(run("domains", "--db", db(), "--format", "csv")).isZero();
        long viaDomains = out.toString().lines().skip(1).mapToLong(line -> Long.parseLong(line.split(",")[7])).sum();
        assertThat(Long.parseLong(viaSql)).isEqualTo(viaDomains);
    }

    @Test
    void sendersAccountForEveryMessage() {
        assertThat(run("sql", "--db", db(), "--format", "csv", "SELECT sum(count) FROM records")).isZero();
        long stored = Long.parseLong(out.toString().lines().skip(1).findFirst().orElseThrow());
        assertThat(run("senders", "--offline", "--db", db(), "--format", "csv")).isZero();
        long viaSenders = csv(out.toString()).stream().mapToLong(r -> Long.parseLong(r.get("messages"))).sum();
        assertThat(viaSenders).isEqualTo(stored);
    }

    @Test
    void failedLookupsAreKeptAndDoNotStopTheAnswer() {
        // Nothing listens on this loopback port: every lookup fails at once, and is recorded as failed.
        assertThat(run("senders", "--dns", "127.0.0.1:9", "--db", db(), "--format", "csv")).as(err.toString()).isZero();
        assertThat(csv(out.toString())).hasSize(23);
        assertThat(run("sql", "--db", db(), "--format", "csv",
                "SELECT count(*) AS looked_up, count(error) AS failed, count(ptr) AS named FROM reverse_dns")).isZero();
        assertThat(out.toString()).isEqualTo("looked_up,failed,named\n23,23,0\n");
    }

    @Test
    void aBadDnsServerIsAUsageError() {
        // a bad option value is wrong usage (exit 2), as docs/cli.md says, whether picocli or the command finds it
        assertThat(run("senders", "--dns", "dns.example", "--db", db())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("dmarcq: --dns 'dns.example': expected the server's IP address\n"
                + "Try 'dmarcq senders --help' for more information.\n");
    }

    @Test
    void anInventoryDraftedBySuggestLeavesOnlyTheSurprises() throws Exception {
        assertThat(run("unknown", "--offline", "--db", db(), "--format", "csv")).isZero();
        long everything = out.toString().lines().count() - 1;
        assertThat(run("inventory", "suggest", "--offline", "--db", db())).as(err.toString()).isZero();
        String draft = out.toString();
        // Each system by what is its own and no forger can fake: its DKIM key, its own domains, its addresses; never a platform.
        assertThat(draft).contains("  - name: SendGrid (Twilio)\n", "    - s2048._domainkey.news.example.com\n",
                "  - name: Google Workspace / Gmail\n", "    - google._domainkey.example.com\n",
                "  - name: 192.0.2.132\n", "    - 192.0.2.132/32\n",
                "  # UNVERIFIED: nothing ties it to you (dkim-third-party); keep it with ours: true only if it is yours, else set"
                        + " ours: false\n", "  - name: 198.51.100.23\n", "    - s1._domainkey.mailer.esp.example\n",
                "  # and 3 messages, 3 passing DMARC, 2025-11-05 to 2025-11-05, from 2001:db8:4860::1b\n")
                .doesNotContain("services:", "  - name: 2001:db8:4860::1b\n", "    - mailer.esp.example\n");
        Path inventory = temp.resolve("dmarcq-inventory.yaml");
        Files.writeString(inventory, draft);

        assertThat(run("unknown", "--offline", "--db", db(), "--format", "json")).as(err.toString()).isZero();
        String unknown = out.toString();
        assertThat(unknown).doesNotContain("209.85.220.41", "SendGrid", "198.51.100.23").contains("\"system\":\"192.0.2.24\"");
        assertThat(unknown.split("\"system\":").length - 1).isLessThan((int) everything);

        assertThat(run("unknown", "--offline", "--db", db(), "--new-since", "2025-11-06", "--fail-if-any", "--format", "csv"))
                .as("systems first seen on 2025-11-06 or later").isEqualTo(1);
        assertThat(out.toString()).contains("192.0.2.20,").doesNotContain("198.51.100.23,");
        assertThat(run("unknown", "--offline", "--db", db(), "--class", "unverified,misconfigured", "--min-messages", "3",
                "--fail-if-any", "--format", "csv")).as("no new real sender, only spoofing: " + out).isZero();
        assertThat(run("unknown", "--offline", "--db", db(), "--new-since", "2025-12-01", "--fail-if-any")).isZero();
    }

    @Test
    void systemsAndInventoryNamesWhereverAnAddressIsShown() throws Exception {
        Files.writeString(temp.resolve("dmarcq-inventory.yaml"), """
                systems:
                  - name: Staff mailboxes
                    owner: IT
                    dkim: [example.com]
                  - name: Old newsletter tool
                    owner: marketing
                    cidr: [198.51.100.0/24]
                """);
        assertThat(run("senders", "--offline", "--db", db(), "--by", "system", "--format", "json")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("{\"system\":\"Staff mailboxes\",\"inventory\":\"Staff mailboxes\","
                + "\"type\":\"mailbox provider\",\"ips\":[\"209.85.220.41\",");

        assertThat(run("whatif", "--offline", "--db", db(), "--policy", "quarantine", "--format", "json")).isZero();
        assertThat(out.toString()).contains("\"source_ip\":\"198.51.100.23\",\"system\":null,\"ptr\":null,"
                + "\"sending_system\":\"Old newsletter tool\",\"inventory\":\"Old newsletter tool\"");
        assertThat(run("whatif", "--offline", "--db", db(), "--policy", "quarantine")).isZero();
        // lines wrap at 80 columns (not a terminal): compare the words
        assertThat(out.toString().replaceAll("\\s+", " "))
                .contains("example.com Old newsletter tool [198.51.100.23, 198.51.100.77] (your sender, misconfigured");
        assertThat(run("readiness", "--offline", "--db", db(), "--domain", "example.com")).isZero();
        assertThat(out.toString()).contains("Old newsletter tool (198.51.100.23, 198.51.100.77)  16 failing messages");
    }

    @Test
    void aServicesFileNamesOurOwnSystems() throws Exception {
        Path services = temp.resolve("services.yaml");
        Files.writeString(services, "services:\n  - name: Old mail relay\n    type: forwarder\n    envelope: [esp.example]\n");
        assertThat(run("unknown", "--offline", "--db", db(), "--services", services.toString(), "--format", "csv")).isZero();
        assertThat(out.toString()).contains("Old mail relay,forwarder,");
        Files.writeString(services, "services:\n  - name: X\n    domains: [a.example]\n");
        assertThat(run("senders", "--offline", "--db", db(), "--services", services.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("dmarcq: " + services
                + ": services[1]: unknown key \"domains\"; the keys of a service are name, type, ptr, dkim, envelope, cidr, spf\n");
    }

    @Test
    void aNamedInventoryMustExist() {
        assertThat(run("unknown", "--offline", "--db", db(), "--inventory", temp.resolve("none.yaml").toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("dmarcq: " + temp.resolve("none.yaml") + ": no such inventory file");
    }

    @Test
    void aBadDateIsOneLineNamingTheOption() {
        assertThat(run("senders", "--offline", "--db", db(), "--since", "last week")).isEqualTo(2);
        assertThat(err.toString()).startsWith("dmarcq: Invalid value for option '--since': 'last week' is not a date: expected a date like 2026-11-01");
    }

    private static void golden(String name, String actual) throws Exception {
        Golden.compare(name, actual);
    }

    /** The records of CSV output with a header (cells may span lines: lists are one value per line). */
    static java.util.List<org.apache.commons.csv.CSVRecord> csv(String text) {
        try {
            return org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(new java.io.StringReader(text)).getRecords();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
