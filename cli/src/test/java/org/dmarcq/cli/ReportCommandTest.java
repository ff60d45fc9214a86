package org.dmarcq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dmarcq report} on the bundled sample: the numbers the page embeds (and draws) are the
 * numbers of {@code readiness}, {@code whatif} and {@code domains} in JSON; the page data is golden;
 * text from reports is escaped; owner pages carry the inventory's owner.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportCommandTest extends CommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path temp;
    private String db;

    @BeforeAll
    void ingestTheSample() throws Exception {
        db = temp.resolve("sample.duckdb").toString();
        assertThat(run("ingest", "--db", db, "samples/rua", "samples/tlsrpt")).as(err.toString()).isZero();
    }

    /** The JSON a page embeds for its scripts. */
    static JsonNode data(Path page) throws Exception {
        String html = Files.readString(page, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"dmarcq-data\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertThat(m.find()).as("embedded data in " + page).isTrue();
        return JSON.readTree(m.group(1));
    }

    private JsonNode json(String... args) throws Exception {
        assertThat(run(args)).as(err.toString()).isZero();
        return JSON.readTree(out.toString());
    }

    @Test
    void theNumbersOnThePageAreThoseOfTheAnalysisCommands() throws Exception {
        Path page = temp.resolve("report.html");
        assertThat(run("report", "--offline", "--db", db, "--zone", "samples/spf.zone", "-o", page.toString()))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("Wrote " + page).contains("Open it in a browser: file:");
        JsonNode data = data(page);
        JsonNode readiness = json("readiness", "--offline", "--db", db, "--format", "json");
        JsonNode whatif = json("whatif", "--offline", "--db", db, "--policy", "quarantine", "--format", "json");
        JsonNode domains = json("domains", "--db", db, "--format", "json");
        assertThat(data.get("domains")).hasSize(readiness.size());
        for (JsonNode d : data.get("domains")) {
            String name = d.get("policy_domain").asText();
            JsonNode r = find(readiness, name);
            assertThat(d.get("quarantine").asText()).isEqualTo(r.get("quarantine").get("verdict").asText());
            assertThat(d.get("reject").asText()).isEqualTo(r.get("reject").get("verdict").asText());
            assertThat(d.get("next_step")).isEqualTo(r.get("next_step"));
            assertThat(d.get("daily_pass_rate")).as(name).isEqualTo(r.get("daily_pass_rate"));

            List<Map<String, Object>> onPage = new ArrayList<>();
            d.get("systems").forEach(s -> onPage.add(system(s)));
            List<Map<String, Object>> asked = new ArrayList<>();
            whatif.get("systems").forEach(s -> {
                if (s.get("policy_domain").asText().equals(name)) {
                    asked.add(system(s));
                }
            });
            assertThat(onPage).as(name).containsExactlyInAnyOrderElementsOf(asked);

            JsonNode spoofing = null;
            for (JsonNode s : whatif.get("spoofing")) {
                if (s.get("policy_domain").asText().equals(name)) {
                    spoofing = s;
                }
            }
            assertThat(spoofing).isNotNull();
            assertThat(d.get("spoofing").get("sources")).isEqualTo(spoofing.get("sources"));
            assertThat(d.get("spoofing").get("failing_messages")).isEqualTo(spoofing.get("failing_messages"));
            assertThat(d.get("spoofing").get("messages")).isEqualTo(spoofing.get("messages"));

            // every message of the domain is in one series of the chart of volume, on one day
            double charted = 0;
            for (JsonNode series : d.get("volume")) {
                for (JsonNode n : series.get("per_day")) {
                    charted += n.asDouble();
                }
            }
            assertThat(charted).as(name).isCloseTo(find(domains, name).get("messages").asDouble(),
                    org.assertj.core.data.Offset.offset(0.1 * d.get("days").size() * d.get("volume").size()));
        }
    }

    private static JsonNode find(JsonNode list, String domain) {
        for (JsonNode n : list) {
            if (n.get("policy_domain").asText().equals(domain)) {
                return n;
            }
        }
        throw new AssertionError("no " + domain + " in " + list);
    }

    private static Map<String, Object> system(JsonNode s) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String field : List.of("sending_system", "class", "inventory", "addresses", "failing_messages", "messages",
                "messages_per_sending_day", "reason")) {
            m.put(field, s.get(field) == null || s.get(field).isNull() ? null : s.get(field).asText());
        }
        return m;
    }

    @Test
    void thePageDataIsGolden() throws Exception {
        Path page = temp.resolve("golden.html");
        assertThat(run("report", "--offline", "--db", db, "--zone", "samples/spf.zone", "-o", page.toString()))
                .as(err.toString()).isZero();
        ObjectNode data = (ObjectNode) data(page);
        data.remove("generated");
        data.remove("dmarcq_version");
        Golden.compare("report-data.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(data) + "\n");
        String html = Files.readString(page);
        assertThat(html).contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'sha256-")
                .doesNotContain("<link").doesNotContain("src=\"http").doesNotContain("href=\"http");
        assertThat(html).contains("SPF records").contains("example.com").contains("MTA-STS");
    }

    @Test
    void ownerPagesNameTheOwnerAndLinkBack() throws Exception {
        Path inventory = temp.resolve("inventory.yaml");
        Files.writeString(inventory, """
                systems:
                  - name: Mailgun newsletters
                    owner: Marketing (jane@example.com)
                    services: [Mailgun]
                """);
        Path dir = temp.resolve("owners");
        Path page = dir.resolve("index.html");
        assertThat(run("report", "--offline", "--db", db, "--inventory", inventory.toString(), "--domain", "example.com",
                "--per-system", dir.toString(), "-o", page.toString())).as(err.toString()).isZero();
        List<Path> pages;
        try (Stream<Path> files = Files.list(dir)) {
            pages = files.filter(p -> !p.equals(page)).sorted().toList();
        }
        assertThat(pages).extracting(p -> p.getFileName().toString()).contains("example.com-mailgun-newsletters.html");
        String owner = Files.readString(dir.resolve("example.com-mailgun-newsletters.html"));
        assertThat(owner).contains("For: Marketing (jane@example.com)").contains("href=\"index.html\"")
                .contains("Turn on DKIM signing for example.com in Mailgun (it is often called");
        assertThat(Files.readString(page)).contains("href=\"example.com-mailgun-newsletters.html\"")
                .contains("Owner: Marketing (jane@example.com)");
        assertThat(data(dir.resolve("example.com-mailgun-newsletters.html")).get("domains").get(0).get("systems").get(0)
                .get("owner").asText()).isEqualTo("Marketing (jane@example.com)");
        assertThat(out.toString().replaceAll("\\s+", " ")).contains("1 page for owners in " + dir);

        // without the inventory the system has another name: the page of the old one goes, the folder's other files stay
        Files.writeString(dir.resolve("notes.html"), "<p>mine</p>");
        assertThat(run("report", "--offline", "--db", db, "--domain", "example.com", "--per-system", dir.toString(), "-o",
                page.toString())).as(err.toString()).isZero();
        assertThat(dir.resolve("example.com-mailgun-newsletters.html")).doesNotExist();
        assertThat(dir.resolve("example.com-mailgun.html")).exists();
        assertThat(dir.resolve("notes.html")).exists();
        assertThat(page).exists();
    }

    @Test
    void textFromReportsIsEscaped() throws Exception {
        Path hostile = temp.resolve("hostile.duckdb");
        Path xml = temp.resolve("hostile.xml");
        Files.writeString(xml, HostileInputs.report("&lt;img src=x onerror=alert(1)&gt;", 3,
                "&lt;script&gt;document.title='pwned'&lt;/script&gt;", 5, HostileInputs.DAY, HostileInputs.DAY + 86_399, ""));
        assertThat(run("ingest", "--db", hostile.toString(), xml.toString())).as(err.toString()).isZero();
        Path page = temp.resolve("hostile.html");
        assertThat(run("report", "--offline", "--db", hostile.toString(), "-o", page.toString())).as(err.toString()).isZero();
        String html = Files.readString(page);
        assertThat(html).contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;")
                .doesNotContain("<script>document.title").doesNotContain("<img src=x");
        // in the data the scripts read, too, the name cannot close the script element
        assertThat(html).doesNotContain("</script>document");
    }

    @Test
    void aStoreOfTlsReportsAloneGetsItsMtaStsVerdict() throws Exception {
        Path tls = temp.resolve("tls.duckdb");
        assertThat(run("ingest", "--db", tls.toString(), "samples/tlsrpt")).as(err.toString()).isZero();
        Path page = temp.resolve("tls.html");
        assertThat(run("report", "--offline", "--db", tls.toString(), "-o", page.toString())).as(err.toString()).isZero();
        String html = Files.readString(page);
        assertThat(html).contains("No DMARC aggregate reports; the SMTP TLS reports are below.")
                .contains("switching MTA-STS to mode: enforce is not safe".replaceFirst("s", "S"))
                .contains("No SPF records in the database yet");
        assertThat(data(page).get("domains")).isEmpty();
    }

    @Test
    void aScopeWithoutReportsIsAnErrorNotAnEmptyPage() {
        Path page = temp.resolve("empty.html");
        assertThat(run("report", "--offline", "--db", db, "--domain", "exmaple.com", "-o", page.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("exmaple.com").contains("example.com");
        assertThat(page).doesNotExist();
    }

    @Test
    void directionControlsFromReportsCannotReverseTheText() throws Exception {
        Path db2 = temp.resolve("bidi.duckdb");
        Path xml = temp.resolve("bidi.xml");
        Files.writeString(xml, HostileInputs.report("bidi-1", 2, "Reporter \u202etcejer\u202c Inc", 5, HostileInputs.DAY,
                HostileInputs.DAY + 86_399, ""));
        assertThat(run("ingest", "--db", db2.toString(), xml.toString())).as(err.toString()).isZero();
        Path page = temp.resolve("bidi.html");
        assertThat(run("report", "--offline", "--db", db2.toString(), "-o", page.toString())).as(err.toString()).isZero();
        String html = Files.readString(page);
        assertThat(html).doesNotContain("\u202e").doesNotContain("\u202c").contains("Reporter \ufffdtcejer\ufffd Inc");
    }

    @Test
    void aServicesShareOfMailNeverExceedsTheMailItIsAShareOf() throws Exception {
        // the sample's Mailgun addresses send for three domains: each domain's system must not set all of it against its own
        assertThat(run("whatif", "--offline", "--db", db, "--policy", "quarantine", "--format", "json")).as(err.toString()).isZero();
        Matcher m = Pattern.compile("on ([0-9,]+) of its ([0-9,]+) messages").matcher(out.toString());
        int seen = 0;
        while (m.find()) {
            seen++;
            assertThat(Long.parseLong(m.group(1).replace(",", ""))).as(m.group()).isLessThanOrEqualTo(
                    Long.parseLong(m.group(2).replace(",", "")));
        }
        assertThat(seen).isPositive();
    }

    @Test
    void aFolderAsTheOutputIsAUsageError() {
        assertThat(run("report", "--offline", "--db", db, "-o", temp.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("is a folder");
    }
}
