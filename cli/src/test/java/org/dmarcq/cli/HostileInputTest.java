package org.dmarcq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dmarcq.cli.HostileInputs.DAY;
import static org.dmarcq.cli.HostileInputs.email;
import static org.dmarcq.cli.HostileInputs.gzip;
import static org.dmarcq.cli.HostileInputs.report;
import static org.dmarcq.cli.HostileInputs.zip;
import static org.dmarcq.cli.HostileInputs.zipWithSizesAfterData;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged and hostile input, generated here, ingested by a real {@code dmarcq} process with a small
 * heap and a time limit. For every case: the good files around it are stored, the bad input is
 * exactly one error line naming it, the JSON summary is printed, the process ends, and a second run
 * stores nothing new and stops nowhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest extends CommandTest {
    private static final long TIMEOUT_SECONDS = 180;
    private static final int TRUNCATIONS = 24;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path temp;
    private Path batch;
    /**
     * File name in the batch folder to the error it must give (one line), or null for none. A
     * message starting with ": " is the whole rest of the line; otherwise the line contains it.
     */
    private final Map<String, String> expected = new LinkedHashMap<>();
    private int goodReports;

    @BeforeAll
    void writeTheBatch() throws IOException {
        batch = Files.createDirectory(temp.resolve("rua"));
        // A report too large to be held in memory whole (the child's heap is 128 MiB), gzipped and cut
        // at offsets spread over it: most cuts land inside text nodes, where the parser defers its error.
        byte[] large = gzip(report("large", 70_000).getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < TRUNCATIONS; i++) {
            int cut = (int) ((long) large.length * (i + 1) / (TRUNCATIONS + 1));
            bad(String.format("cut-%02d.xml.gz", i), Arrays.copyOf(large, cut), ": gzip data is damaged: the data ends early");
        }
        bad("big-text.xml", report("big-text", 2, "x".repeat(3 << 20), 2, DAY, DAY + 86_399, ""),
                "refused: an element with more than 1048576 characters of text");
        bad("deep-messages.eml", HostileInputs.nestedMessages(10_000),
                ": refused: containers nested more than 10 deep (MIME parts count as containers)");
        HostileInputs.nestedMultiparts(batch.resolve("deep-multiparts.eml"), 50_000);
        expect("deep-multiparts.eml", ": refused: containers nested more than 10 deep (MIME parts count as containers)");
        try (OutputStream out = Files.newOutputStream(batch.resolve("long-header.eml"))) {
            out.write("From: a@hostile.example\r\nSubject: ".getBytes(StandardCharsets.US_ASCII));
            HostileInputs.fill(out, 200L << 20, (byte) 'x');
            out.write("\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        expect("long-header.eml", ": refused: an e-mail header line longer than 100000 bytes (the limit)");
        try (OutputStream out = Files.newOutputStream(batch.resolve("long-line.mbox"))) {
            out.write("From a@hostile.example Thu Nov  6 10:00:00 2025\nFrom: a@hostile.example\nSubject: x\n\n"
                    .getBytes(StandardCharsets.US_ASCII));
            HostileInputs.fill(out, 200L << 20, (byte) 'y');
            out.write(("\n\nFrom b@hostile.example Thu Nov  6 10:00:01 2025\n" + email("Report", "r.xml.gz", "application/gzip",
                    gzip(report("after-long-line", 3).getBytes(StandardCharsets.US_ASCII)))).getBytes(StandardCharsets.US_ASCII));
        }
        expect("long-line.mbox", null);
        goodReports++;
        good("overflowing-counts.xml", report("overflow", 2, "Hostile Test", Long.MAX_VALUE, DAY, DAY + 86_399, ""));
        bad("absurd-period.xml", report("absurd", 2, "Hostile Test", 2, 0, 99_999_999_999L, ""),
                "refused: <date_range>: the period 1970-01-01 to 5138-11-16 lasts 1157407 days, more than the 62 a report may cover");
        // a broken clock that is not absurd: stored, with a warning (and no days: ReportDaysTest)
        good("year-1999.xml", report("year-1999", 2, "Hostile Test", 2, 946_598_400L, 946_598_400L + 86_399, ""));
        bad("escapes.zip", zip(false, "evil\u001b]0;pwned\u0007\u009b2J.xml", "<feedback><report_metadata>"),
                "not well-formed XML");
        // a member name that would start a forged error line of its own
        bad("newline-name.zip", zip(false, "a.xml\n" + batch.resolve("forged.xml") + ": not well-formed XML", "<feedback><report_metadata>"),
                "a.xml\\n" + batch.resolve("forged.xml"));
        Files.writeString(batch.resolve("escaped-attachment.eml"), email("Report", "r\u001b[2J.xml.gz", "application/gzip",
                gzip(report("escaped-attachment", 2).getBytes(StandardCharsets.US_ASCII))));
        expect("escaped-attachment.eml", null);
        goodReports++;
        Files.writeString(batch.resolve("two-reports.xml"), report("first-of-two", 2) + report("second-of-two", 2));
        expect("two-reports.xml", null);
        goodReports += 2;
        good("trailing-data.xml", report("trailing", 2) + "<junk>after the report</junk>");
        good("undeclared-entity.xml", report("entity", 2, "A &xxe; B", 2, DAY, DAY + 86_399, ""));
        StringBuilder mboxo = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            mboxo.append("From a@hostile.example Thu Nov  6 10:00:00 2025\n")
                    .append(email("Report " + i, "r" + i + ".xml.gz", "application/gzip",
                            gzip(report("mboxo-" + i, 2).getBytes(StandardCharsets.US_ASCII)))
                            .replace("This is an aggregate report.", "This is an aggregate report.\r\n\r\nFrom the DMARC team: hello")
                            .replace("\r\n", "\n"))
                    .append('\n');
        }
        Files.writeString(batch.resolve("unquoted-from.mbox"), mboxo);
        expect("unquoted-from.mbox", null);
        goodReports += 20;
        byte[] small = report("sizes-after-data", 2).getBytes(StandardCharsets.US_ASCII);
        Files.write(batch.resolve("sizes-after-data.zip"), zipWithSizesAfterData(small, report("sizes-after-data-2", 2)
                .getBytes(StandardCharsets.US_ASCII)));
        expect("sizes-after-data.zip", null);
        goodReports += 2;
        // the first member is read; the one too large to hold costs one line, and the rest of the archive with it
        bad("sizes-after-data-large.zip", zipWithSizesAfterData(report("before-large", 2).getBytes(StandardCharsets.US_ASCII),
                report("large-stored", 70_000).getBytes(StandardCharsets.US_ASCII), small),
                "!member-1.xml: refused: a stored zip member whose sizes follow its data, larger than");
        goodReports++;
        // reports whose first KiB does not show the <feedback> root: a long comment, UTF-16, the <xs:schema> wrapper
        Files.writeString(batch.resolve("long-comment.eml"), email("Report", "report.xml", "text/xml",
                report("long-comment", 2).replaceFirst("\n", "\n<!-- " + "c".repeat(3000) + " -->\n")
                        .getBytes(StandardCharsets.US_ASCII)));
        Files.writeString(batch.resolve("utf-16.eml"), email("Report", null, "text/xml; charset=utf-16",
                report("utf-16", 2).getBytes(StandardCharsets.UTF_16)));
        Files.writeString(batch.resolve("schema-wrapped.eml"), email("Report", null, "text/xml",
                report("schema-wrapped", 2).replace("<feedback>", "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">"
                        + "<!-- " + "c".repeat(1500) + " --><feedback>").replace("</feedback>", "</feedback></xs:schema>")
                        .getBytes(StandardCharsets.US_ASCII)));
        for (String name : List.of("long-comment.eml", "utf-16.eml", "schema-wrapped.eml")) {
            expect(name, null);
            goodReports++;
        }
        bad("folder-entry.zip", zip(false, "report.xml/", report("folder-entry", 2)), "!report.xml/: a zip folder entry that holds data: not read");
        // a deflated member damaged at its start: its size in the header says where the next begins
        Path damaged = batch.resolve("damaged-deflate.zip");
        try (var zip = new org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream(damaged.toFile())) {
            for (String name : List.of("a", "b", "c")) {
                zip.putArchiveEntry(new org.apache.commons.compress.archivers.zip.ZipArchiveEntry(name + ".xml"));
                zip.write(report("deflated-" + name, name.equals("b") ? 3000 : 2).getBytes(StandardCharsets.US_ASCII));
                zip.closeArchiveEntry();
            }
        }
        byte[] bytes = Files.readAllBytes(damaged);
        int middle = indexOf(bytes, "b.xml".getBytes(StandardCharsets.US_ASCII)) + 5; // its data begins: the deflate blocks
        for (int i = 0; i < 50; i++) {
            bytes[middle + i] ^= 0x5a;
        }
        Files.write(damaged, bytes);
        expect("damaged-deflate.zip", "!b.xml: zip data is damaged");
        goodReports += 2;
        bad("bad-crc.zip", zip(true, "r.xml", report("crc", 2)), "zip member is damaged: its CRC-32 is");
        Files.writeString(batch.resolve("lost-attachment.eml"), email("Report", "report.xml.gz", "application/gzip",
                "not a gzip file at all".getBytes(StandardCharsets.US_ASCII)));
        expect("lost-attachment.eml", "!report.xml.gz: not a DMARC or SMTP TLS report: the content starts with \"not a gzip file");
        Path loop = Files.createDirectory(batch.resolve("zz-loop"));
        Files.createSymbolicLink(loop.resolve("back"), loop);
        expect("zz-loop/back", "a symbolic link loop");
        Files.writeString(batch.resolve("huge-tls-counts.json"), """
                {"organization-name": "Hostile Test", "report-id": "huge-tls", "contact-info": "tls@hostile.example",
                 "date-range": {"start-datetime": "2025-11-06T00:00:00Z", "end-datetime": "2025-11-06T23:59:59Z"},
                 "policies": [{"policy": {"policy-type": "sts", "policy-domain": "example.com"},
                   "summary": {"total-successful-session-count": 9223372036854775807, "total-failure-session-count": 99999999999999999999}}]}
                """);
        expect("huge-tls-counts.json", null);
        // good reports between the bad inputs, the names sorting among them
        for (String name : List.copyOf(expected.keySet())) {
            good(name.replace('/', '-') + "-then-good.xml", report("good-after-" + name, 3));
        }
    }

    @Test
    void everyBadInputIsOneLineAndEveryGoodReportIsStored() throws Exception {
        Path db = temp.resolve("hostile.duckdb");
        Child first = ingest(db, List.of("-Xmx128m"), batch.toString());
        JsonNode summary = first.summary();
        assertThat(summary.get("reports").asInt()).as(first.err).isEqualTo(goodReports);
        assertThat(summary.get("tls_reports").asInt()).isEqualTo(1);
        assertErrorLines(first);
        assertThat(first.exit).isEqualTo(1);
        assertThat(first.err).as("raw terminal escapes on standard error").doesNotContain("\u001b", "\u0007", "\u009b");
        assertThat(first.err).contains("evil\\x1b]0;pwned\\x07\\x9b2J.xml");
        assertThat(first.out).as("JSON, escaped so that cat shows it safely").doesNotContain("\u001b", "\u0007", "\u009b")
                .contains("evil\\u001B]0;pwned\\u0007\\u009B2J.xml");
        assertThat(summary.get("errors").findValuesAsText("location")).as("the value read back is exact")
                .anySatisfy(l -> assertThat(l).contains("evil\u001b]0;pwned\u0007\u009b2J.xml"));

        Child second = ingest(db, List.of("-Xmx128m"), batch.toString());
        assertThat(second.summary().get("reports").asInt()).as("new reports on the second run").isZero();
        assertThat(second.summary().get("duplicates").asInt()).isEqualTo(goodReports + 1);
        assertErrorLines(second);

        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement s = c.createStatement()) {
            assertThat(number(s, "SELECT min(count) FROM records")).isPositive();
            assertThat(number(s, "SELECT count(*) FROM reports WHERE report_id = 'overflow'")).isOne();
            assertThat(number(s, "SELECT skipped_records FROM reports WHERE report_id = 'overflow'")).isEqualTo(2);
            assertThat(number(s, "SELECT count(*) FROM reports WHERE source_file LIKE '%r' || chr(27) || '[2J.xml.gz'"))
                    .as("names stored as received").isOne();
            assertThat(number(s, "SELECT count(*) FROM warnings w JOIN reports r USING (report_key) WHERE report_id = 'trailing'"
                    + " AND message LIKE 'data after </feedback> ignored%'")).isOne();
            assertThat(text(s, "SELECT org_name FROM reports WHERE report_id = 'entity'")).isEqualTo("A &xxe; B");
        }
        assertThat(run("domains", "--db", db.toString(), "--format", "json")).as(err.toString()).isZero();
        assertThat(out.toString()).doesNotContain("\"messages\":-");
        assertThat(run("tls", "--db", db.toString(), "--format", "json")).as(err.toString()).isZero();
    }

    @Test
    void maxSizeCrossedInsideATextNodeIsOneLine() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("max-size"));
        String big = report("over-max", 2, "y".repeat(3 << 19), 2, DAY, DAY + 86_399, "");
        Files.writeString(dir.resolve("a-good.xml"), report("small-1", 2));
        Files.writeString(dir.resolve("b-plain.xml"), big);
        Files.write(dir.resolve("c-gzipped.xml.gz"), gzip(big.getBytes(StandardCharsets.US_ASCII)));
        Files.writeString(dir.resolve("d-good.xml"), report("small-2", 2));
        Child child = ingest(temp.resolve("max-size.duckdb"), List.of(), "--max-size", "1m", dir.toString());
        assertThat(child.summary().get("reports").asInt()).isEqualTo(2);
        assertThat(child.err.lines()).containsExactly(
                dir.resolve("b-plain.xml") + ": refused: more than 1 MiB (the limit; raise it with --max-size)",
                dir.resolve("c-gzipped.xml.gz") + ": refused: more than 1 MiB decompressed (the limit; raise it with --max-size)");
    }

    @Test
    void repairsOnManyCoresStayWithinTheHeap() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("repairs"));
        for (int i = 0; i < 8; i++) {
            // an unescaped '&' makes each one not well-formed; about 7 MiB, so each is held and repaired
            Files.writeString(dir.resolve("repair-" + i + ".xml"), report("repair-" + i, 24_000, "Smith & Sons", 2, DAY,
                    DAY + 86_399, ""));
        }
        Child child = ingest(temp.resolve("repairs.duckdb"), List.of("-Xmx128m", "-XX:ActiveProcessorCount=8"), dir.toString());
        assertThat(child.err).isEmpty();
        assertThat(child.summary().get("reports").asInt()).isEqualTo(8);
        assertThat(child.summary().get("warnings").asInt()).as("each repair is a warning").isGreaterThanOrEqualTo(8);
    }

    @Test
    void anArchiveOfManyBadMembersPrintsTwentyLinesThenACount() throws Exception {
        String[] members = new String[2 * 31];
        for (int i = 0; i < 30; i++) {
            members[2 * i] = String.format("bad-%02d.xml", i);
            members[2 * i + 1] = "<feedback><report_metadata>";
        }
        members[60] = "limit.xml";
        members[61] = "<feedback>" + "<a>".repeat(70) + "</a>".repeat(70) + "</feedback>";
        Path archive = Files.write(temp.resolve("many-bad.zip"), zip(false, members));
        assertThat(run("ingest", "--db", temp.resolve("many.duckdb").toString(), archive.toString(), "testdata/reports/google.xml"))
                .isEqualTo(1);
        List<String> lines = err.toString().lines().toList();
        assertThat(lines).hasSize(21);
        assertThat(lines.get(0)).startsWith(archive + "!bad-00.xml:");
        assertThat(lines.get(20)).isEqualTo(archive + ": 11 more problems in this input, not shown; among them refused:"
                + " elements nested more than 64 deep");
        assertThat(out.toString()).contains("reports new                   1");
    }

    private void assertErrorLines(Child child) throws IOException {
        Map<String, List<String>> lines = new LinkedHashMap<>();
        for (String line : child.err.lines().toList()) {
            String file = expected.keySet().stream().filter(f -> line.startsWith(batch.resolve(f).toString()))
                    .max(java.util.Comparator.comparingInt(String::length)).orElse("?");
            lines.computeIfAbsent(file, k -> new ArrayList<>()).add(line);
        }
        assertThat(lines).as("error lines of no bad input").doesNotContainKey("?");
        expected.forEach((file, message) -> {
            if (message == null) {
                assertThat(lines.get(file)).as(file).isNull();
            } else if (message.startsWith(": ")) {
                assertThat(lines.get(file)).as(file).containsExactly(batch.resolve(file) + message);
            } else {
                assertThat(lines.get(file)).as(file).hasSize(1);
                assertThat(lines.get(file).get(0)).as(file).contains(message);
            }
        });
        long errors = expected.values().stream().filter(java.util.Objects::nonNull).count();
        assertThat(child.summary().get("errors").size()).isEqualTo(errors);
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new IllegalArgumentException("not found");
    }

    private void bad(String name, String content, String message) throws IOException {
        bad(name, content.getBytes(StandardCharsets.UTF_8), message);
    }

    private void bad(String name, byte[] content, String message) throws IOException {
        Files.write(batch.resolve(name), content);
        expect(name, message);
    }

    private void good(String name, String content) throws IOException {
        Files.writeString(batch.resolve(name), content);
        expected.putIfAbsent(name, null);
        goodReports++;
    }

    private void expect(String name, String message) {
        expected.put(name, message);
    }

    /** A finished dmarcq process: its exit status and what it printed. */
    private record Child(int exit, String out, String err) {
        JsonNode summary() throws IOException {
            assertThat(out).as("the JSON summary (stderr: %s)", err).isNotBlank();
            return JSON.readTree(out);
        }
    }

    /** Runs {@code dmarcq ingest --format json} in a JVM of its own; fails if it does not end in time. */
    private Child ingest(Path db, List<String> jvm, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "ingest", "--format", "json",
                "--db", db.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(temp, "out", ".txt");
        Path err = Files.createTempFile(temp, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("dmarcq ingest did not end within " + TIMEOUT_SECONDS + " s; stderr: " + Files.readString(err));
        }
        return new Child(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static long number(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String text(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
