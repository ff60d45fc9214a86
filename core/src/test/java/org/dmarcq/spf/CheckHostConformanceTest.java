package org.dmarcq.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.dmarcq.identity.LocalDnsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * RFC 7208 conformance, as data: each row of {@code spf/conformance.tsv} cites the section it
 * checks, over the records of {@code spf/conformance.zone}, served once by a DNS server on a
 * loopback port and once read as a zone file.
 */
class CheckHostConformanceTest {
    private static Path zone;
    private static LocalDnsServer server;

    @BeforeAll
    static void start() throws IOException, URISyntaxException {
        zone = Path.of(CheckHostConformanceTest.class.getResource("/spf/conformance.zone").toURI());
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(zone)) {
            if (!line.isBlank() && !line.startsWith(";") && !line.startsWith("$")) {
                lines.add(line);
            }
        }
        server = new LocalDnsServer(lines, List.of("slow.test."));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.close();
    }

    record Row(String section, String name, String ip, String domain, SpfResult result, String top, int lookups) {}

    static List<Row> rows() throws IOException, URISyntaxException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(CheckHostConformanceTest.class.getResource("/spf/conformance.tsv").toURI()))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            rows.add(new Row(f[0], f[1], f[2], f[3], SpfResult.valueOf(f[4].toUpperCase()), f[5], Integer.parseInt(f[6])));
        }
        return rows;
    }

    @TestFactory
    Stream<DynamicTest> overDns() throws IOException, URISyntaxException {
        CheckHost check = new CheckHost(ResolverDns.at(server.address(), Duration.ofSeconds(2)));
        return rows().stream().map(r -> DynamicTest.dynamicTest("§" + r.section() + " " + r.name() + " (dns)", () -> expect(check, r)));
    }

    @TestFactory
    Stream<DynamicTest> overZoneFile() throws IOException, URISyntaxException {
        CheckHost check = new CheckHost(ZoneFileDns.read(List.of(zone)));
        return rows().stream().map(r -> DynamicTest.dynamicTest("§" + r.section() + " " + r.name() + " (zone file)", () -> expect(check, r)));
    }

    private static void expect(CheckHost check, Row r) {
        CheckHost.Evaluation e = check.evaluate(r.ip(), r.domain());
        String why = r.domain() + " for " + r.ip() + ": " + e;
        assertThat(e.result()).as(why).isEqualTo(r.result());
        assertThat(e.topTerm() == null ? "-" : e.topTerm().term()).as(why).isEqualTo(r.top());
        assertThat(e.lookups()).as(why).isEqualTo(r.lookups());
        if (r.result() == SpfResult.PERMERROR || r.result() == SpfResult.TEMPERROR) {
            assertThat(e.problem()).as(why).isNotBlank();
        }
    }

    @Test
    void aDnsTimeoutIsTemperror() {
        CheckHost check = new CheckHost(ResolverDns.at(server.address(), Duration.ofMillis(300)));
        CheckHost.Evaluation e = check.evaluate("192.0.2.1", "slow.test");
        assertThat(e.result()).isEqualTo(SpfResult.TEMPERROR);
        assertThat(e.problem()).contains("slow.test").contains("timeout");
    }

    @Test
    void theTraceRunsFromTheTopTermToTheLeaf() throws IOException {
        CheckHost check = new CheckHost(ZoneFileDns.read(List.of(zone)));
        CheckHost.Evaluation e = check.evaluate("10.1.2.3", "nested.test");
        assertThat(e.path()).extracting(Object::toString)
                .containsExactly("[nested.test] include:n1.test", "[n1.test] include:n3.test", "[n3.test] ip4:10.1.0.0/16");
        assertThat(e.leafTerm().domain()).isEqualTo("n3.test");
    }

    @Test
    void aMacroTheReportCannotGiveIsMarked() throws Exception {
        SpfDns dns = (name, type) -> name.equals("l.test") && type == SpfDns.Type.TXT
                ? SpfDns.Answer.of(List.of("v=spf1 exists:%{l}.%{d} -all")) : SpfDns.Answer.NXDOMAIN;
        CheckHost.Evaluation e = new CheckHost(dns).evaluate("192.0.2.1", "l.test");
        assertThat(e.result()).isEqualTo(SpfResult.FAIL);
        assertThat(e.unknownMacros()).containsExactly("l");
    }

    @Test
    void aBrokenZoneFileNamesTheFileAndLine() throws IOException {
        Path bad = Files.createTempFile("bad", ".zone");
        try {
            Files.writeString(bad, "$TTL 300\nok.test. IN TXT \"v=spf1 -all\"\nbad.test. IN A not-an-address\n");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ZoneFileDns.read(List.of(bad)))
                    .isInstanceOf(IOException.class).hasMessageContaining(bad.toString()).hasMessageContaining("3");
        } finally {
            Files.delete(bad);
        }
    }
}
