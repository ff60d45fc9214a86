package org.dmarcq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What people read: no command's human output shows NULL, tables and lines fit the width, an empty
 * scope is one line and exit 1, CSV is parseable with its lists and ISO times, and the piped shell
 * writes values whole.
 */
class HumanOutputTest extends CommandTest {
    private static final String[] FIXTURES = {"testdata/reports", "testdata/tls"};

    /** Every command that answers for people, with what it needs. */
    private static final List<List<String>> COMMANDS = List.of(List.of("senders", "--offline"),
            List.of("senders", "--offline", "--by", "system"), List.of("senders", "--offline", "--failing", "--limit", "0"),
            List.of("unknown", "--offline"), List.of("whatif", "--offline", "--policy", "quarantine"),
            List.of("whatif", "--offline", "--policy", "reject", "--all"), List.of("readiness", "--offline"), List.of("domains"),
            List.of("inventory", "suggest", "--offline"), List.of("tls"), List.of("tls", "whatif", "--mode", "enforce", "--min-days", "1"),
            List.of("spf", "--offline", "--zone", "samples/spf.zone"),
            List.of("spf", "whatif", "--offline", "--zone", "samples/spf.zone", "--domain", "example.com", "--remove",
                    "include:_spf.google.com"),
            List.of("spf", "suggest", "--offline", "--zone", "samples/spf.zone", "--domain", "example.com"));

    @TempDir Path temp;

    private String db() {
        return temp.resolve("h.duckdb").toString();
    }

    @BeforeEach
    void ingest() {
        List<String> args = new ArrayList<>(List.of("ingest", "--db", db()));
        args.addAll(List.of(FIXTURES));
        run(args.toArray(String[]::new)); // some fixtures are broken on purpose: exit 1, the rest stored
        assertThat(err.toString()).doesNotContain("Exception");
    }

    private int runOn(List<String> command, String... more) {
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of("--db", db()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void noCommandShowsNullAndEveryLineFitsEightyColumns() {
        for (List<String> command : COMMANDS) {
            assertThat(runOn(command)).as(command + ": " + err).isZero();
            assertThat(out.toString()).as(String.join(" ", command)).isNotBlank().doesNotContain("NULL");
            if (!command.contains("suggest")) { // a YAML file to save, not text to read
                assertThat(out.toString().lines()).as(String.join(" ", command) + " fits 80 columns (not a terminal)")
                        .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
            }
        }
    }

    @Test
    void tablesUseTheWidthTheyAreGiven() throws Exception {
        String narrow = child(80, "senders", "--offline", "--db", db());
        String wide = child(200, "senders", "--offline", "--db", db());
        assertThat(narrow.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
        assertThat(wide.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(200));
        String narrowHeader = narrow.lines().findFirst().orElseThrow();
        String wideHeader = wide.lines().findFirst().orElseThrow();
        assertThat(narrowHeader).contains("source_ip", "class", "messages", "reason").doesNotContain("header_from");
        assertThat(wideHeader).contains("source_ip", "class", "messages", "reason", "dmarc_pass", "header_from");
        assertThat(narrow).contains("(not shown, to fit 80 columns: ");
        assertThat(wide.lines().max(java.util.Comparator.comparingInt(String::length)).orElseThrow().length())
                .as("uses more of a wider terminal").isGreaterThan(80);
    }

    @Test
    void anEmptyScopeIsOneLineAndExitOne() {
        for (List<String> command : List.of(List.of("senders", "--offline"), List.of("whatif", "--offline", "--policy", "reject"),
                List.of("readiness", "--offline"), List.of("unknown", "--offline"), List.of("domains"))) {
            assertThat(runOn(command, "--domain", "no-such.example")).as(String.join(" ", command)).isEqualTo(1);
            assertThat(out.toString()).isEmpty();
            assertThat(err.toString()).startsWith("dmarcq: no DMARC reports for no-such.example in ").contains("example.com")
                    .hasLineCount(1);
            assertThat(runOn(command, "--since", "2030-01-01", "--format", "json")).isEqualTo(1);
            assertThat(err.toString()).contains("no DMARC reports begin on or after 2030-01-01", "reports begin from").hasLineCount(1);
        }
        assertThat(run("tls", "--db", db(), "--domain", "no-such.example")).isEqualTo(1);
        assertThat(err.toString()).startsWith("dmarcq: no SMTP TLS reports in ").hasLineCount(1);
    }

    @Test
    void aStoreWithOnlyTlsReportsSaysSo() {
        String tlsOnly = temp.resolve("t.duckdb").toString();
        assertThat(run("ingest", "--db", tlsOnly, "testdata/tls/microsoft-no-timezone.json")).as(err.toString()).isZero();
        assertThat(run("senders", "--offline", "--db", tlsOnly)).isEqualTo(1);
        assertThat(err.toString()).contains("holds no DMARC aggregate reports, only 1 SMTP TLS report: see dmarcq tls");
    }

    @Test
    void csvListsAreOneValuePerLineAndTimesAreIso() {
        assertThat(runOn(List.of("senders", "--offline"), "--format", "csv")).isZero();
        List<CSVRecord> rows = AnalysisCommandsTest.csv(out.toString());
        assertThat(rows).isNotEmpty().allSatisfy(r -> {
            assertThat(r.get("first_seen")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
            assertThat(r.get("last_seen")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        });
        CSVRecord several = rows.stream().filter(r -> r.get("reporters").contains("\n")).findFirst().orElseThrow();
        assertThat(several.get("reporters").split("\n")).hasSizeGreaterThan(1).doesNotContain("");
        assertThat(rows.stream().map(r -> r.get("evidence")).filter(e -> !e.isEmpty()))
                .allSatisfy(e -> assertThat(e.split("\n")).allSatisfy(line -> assertThat(line).matches("[a-z]+: .+")));
    }

    @Test
    void thePipedShellWritesValuesWhole() {
        String script = ".mode table\nSELECT repeat('x', 300) AS long_value, 1 AS n;\n";
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)));
        try {
            assertThat(run("shell", "--db", db())).as(err.toString()).isZero();
        } finally {
            System.setIn(saved);
        }
        assertThat(out.toString()).contains("x".repeat(300)).doesNotContain("…");
    }

    @Test
    void helpTextsKeepCommandsAndPathsWholeAtEightyColumns() {
        for (String command : List.of("ingest", "fetch", "senders", "domains", "whatif", "readiness", "unknown", "inventory suggest", "spf",
                "spf whatif", "spf suggest", "tls", "tls whatif", "sql", "shell")) {
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.add("--help");
            assertThat(run(args.toArray(String[]::new))).isZero();
            List<String> lines = out.toString().lines().toList();
            assertThat(lines).as(command).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("  dmarcq ")) {
                    assertThat(lines.get(i + 1)).as(command + ": an example broken over two lines").matches("(  .*)?");
                }
            }
            assertThat(out.toString()).as(command).doesNotContainPattern("\\[[^\\s\\]]*\\n").doesNotContain(" .\n");
        }
    }

    /** Runs dmarcq in a child JVM with {@code COLUMNS} set, as a terminal of that width would; returns its standard output. */
    private static String child(int columns, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("COLUMNS", String.valueOf(columns));
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return out;
    }
}
