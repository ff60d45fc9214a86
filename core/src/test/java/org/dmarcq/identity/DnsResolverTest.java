package org.dmarcq.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.dmarcq.ingest.Ingest;
import org.dmarcq.store.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reverse DNS through dnsjava against a real DNS server on loopback, serving a small zone. */
class DnsResolverTest {
    private static LocalDnsServer server;
    private static DnsResolver dns;

    @TempDir Path temp;

    @BeforeAll
    static void start() throws Exception {
        server = new LocalDnsServer(List.of(
                "10.2.0.192.in-addr.arpa. 300 PTR mail.example.net.",
                "mail.example.net. 300 A 192.0.2.10",
                "11.2.0.192.in-addr.arpa. 300 PTR mail-f11.google.com.",
                "mail-f11.google.com. 300 A 203.0.113.1",
                "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa. 300 PTR v6.example.net.",
                "v6.example.net. 300 AAAA 2001:db8::25"),
                List.of("13.2.0.192.in-addr.arpa."));
        dns = DnsResolver.at(server.address(), Duration.ofMillis(300));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void aConfirmedName() {
        assertThat(dns.lookup("192.0.2.10")).isEqualTo(new ReverseName("192.0.2.10", "mail.example.net", true, null));
        assertThat(dns.lookup("2001:db8::25")).isEqualTo(new ReverseName("2001:db8::25", "v6.example.net", true, null));
    }

    @Test
    void aNameThatDoesNotResolveBackIsNotConfirmed() {
        assertThat(dns.lookup("192.0.2.11")).isEqualTo(new ReverseName("192.0.2.11", "mail-f11.google.com", false, null));
    }

    @Test
    void noNameAndNoAnswerAreTold() {
        assertThat(dns.lookup("192.0.2.12")).isEqualTo(new ReverseName("192.0.2.12", null, false, null));
        assertThat(dns.lookup("192.0.2.13")).isEqualTo(new ReverseName("192.0.2.13", null, false, "timeout"));
    }

    @Test
    void theCacheLooksUpEachAddressOnce() throws Exception {
        Path report = temp.resolve("r.xml");
        StringBuilder records = new StringBuilder();
        for (String ip : List.of("192.0.2.10", "192.0.2.11", "192.0.2.12", "192.0.2.13", "2001:db8::25")) {
            records.append("<record><row><source_ip>").append(ip).append("</source_ip><count>1</count><policy_evaluated>")
                    .append("<disposition>none</disposition><dkim>fail</dkim><spf>fail</spf></policy_evaluated></row>")
                    .append("<identifiers><header_from>example.com</header_from></identifiers><auth_results/></record>");
        }
        Files.writeString(report, "<feedback><report_metadata><org_name>r</org_name><email>a@r.example</email><report_id>dns"
                + "</report_id><date_range><begin>1762387200</begin><end>1762473599</end></date_range></report_metadata>"
                + "<policy_published><domain>example.com</domain><p>none</p></policy_published>" + records + "</feedback>");
        try (Store store = Store.open(temp.resolve("d.duckdb"))) {
            Ingest.into(store).run(List.of(report.toString()));
            assertThat(ReverseDnsCache.refresh(store, dns, 4, Duration.ofDays(1))).isEqualTo(5);
            int queries = server.queries();
            assertThat(ReverseDnsCache.refresh(store, dns, 4, Duration.ofDays(1))).as("a second run").isZero();
            assertThat(server.queries()).isEqualTo(queries);
            assertThat(ReverseDnsCache.refresh(store, dns, 4, Duration.ZERO)).as("failed lookups are tried again").isEqualTo(1);
            assertThat(ReverseDnsCache.confirmedNames(store))
                    .containsOnly(java.util.Map.entry("192.0.2.10", "mail.example.net"), java.util.Map.entry("2001:db8::25", "v6.example.net"));
        }
    }
}
