package org.dmarcq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dmarcq spf} on the README's sample reports with the sample zone file: offline, as the README runs it. */
class SpfCommandTest extends CommandTest {
    @TempDir Path temp;

    private String db() {
        return temp.resolve("spf.duckdb").toString();
    }

    @BeforeEach
    void ingest() {
        assertThat(run("ingest", "--db", db(), "samples/rua")).as(err.toString()).isZero();
    }

    @Test
    void theSampleShowsUsedAndUnusedTermsAndARecordPastTheLimit() throws Exception {
        assertThat(run("spf", "--offline", "--db", db(), "--zone", "samples/spf.zone")).as(err.toString()).isZero();
        Golden.compare("spf-sample.txt", out.toString());
    }

    @Test
    void jsonHasTheDocumentedFields() throws Exception {
        assertThat(run("spf", "--offline", "--db", db(), "--zone", "samples/spf.zone", "--format", "json")).as(err.toString()).isZero();
        JsonNode domains = new ObjectMapper().readTree(out.toString());
        JsonNode org = null;
        for (JsonNode d : domains) {
            assertThat(d.fieldNames()).toIterable().contains("domain", "record", "verdict", "lookups", "void_lookups", "findings",
                    "terms", "unmatched");
            if (d.get("domain").asText().equals("example.org")) {
                org = d;
            }
        }
        assertThat(org).isNotNull();
        assertThat(org.get("verdict").asText()).isEqualTo("permerror");
        assertThat(org.get("lookups").asInt()).isEqualTo(14);
        JsonNode google = org.get("terms").get(0);
        assertThat(google.fieldNames()).toIterable().contains("term", "status", "messages", "sources", "first_seen", "last_seen",
                "names");
        assertThat(google.get("term").asText()).isEqualTo("include:_spf.google.com");
        assertThat(google.get("status").asText()).isEqualTo("used");
        assertThat(google.get("first_seen").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void offlineWithoutASnapshotSaysWhatToDo() {
        assertThat(run("spf", "--offline", "--db", db())).isEqualTo(1);
        assertThat(err.toString()).contains("no SPF records in the database yet").contains("--zone FILE").doesNotContain("Exception");
    }

    @Test
    void aZoneFileThatCannotBeReadNamesTheFileAndLine() throws Exception {
        Path bad = temp.resolve("bad.zone");
        java.nio.file.Files.writeString(bad, "$TTL 300\nexample.com. IN TXT \"v=spf1 -all\"\nexample.com. IN A 300.1.1.1\n");
        assertThat(run("spf", "--offline", "--db", db(), "--zone", bad.toString())).isEqualTo(1);
        assertThat(err.toString()).contains(bad + ":3:").doesNotContain("Exception");
        assertThat(run("spf", "--offline", "--db", db(), "--zone", temp.resolve("missing.zone").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("missing.zone: no such file");
    }

    @Test
    void recordsLookedUpOverDnsAreKeptAndAnswerOfflineRunsTheSame() throws Exception {
        try (org.dmarcq.identity.LocalDnsServer dns = org.dmarcq.identity.LocalDnsServer.of(java.util.List.of(Path.of("samples/spf.zone")),
                java.util.List.of())) {
            String server = "127.0.0.1:" + dns.address().getPort();
            // reverse DNS goes to the same server: it knows no PTR names, which is an answer too
            assertThat(run("spf", "--db", db(), "--dns", server, "--domain", "example.org")).as(err.toString()).isZero();
            String online = out.toString();
            // the first paragraph says where the records came from; the rest must not change
            assertThat(online.substring(0, online.indexOf("\n\n")).replaceAll("\\s+", " "))
                    .isEqualTo("SPF records from DNS (" + server + ").");
            assertThat(online).contains("example.org: permerror");
            int queries = dns.queries();
            assertThat(queries).isPositive();
            assertThat(run("spf", "--db", db(), "--offline", "--domain", "example.org")).as(err.toString()).isZero();
            assertThat(dns.queries()).as("an offline run asks nothing").isEqualTo(queries);
            String offline = out.toString();
            assertThat(offline.substring(0, offline.indexOf("\n\n")).replaceAll("\\s+", " "))
                    .matches("SPF records from the records as looked up on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC from "
                            + java.util.regex.Pattern.quote(server) + "\\.");
            assertThat(offline.substring(offline.indexOf("\n\n"))).isEqualTo(online.substring(online.indexOf("\n\n")));
        }
    }
}
