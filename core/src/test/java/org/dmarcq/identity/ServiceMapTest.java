package org.dmarcq.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServiceMapTest {
    @TempDir Path temp;

    @ParameterizedTest(name = "{0} / {1} / {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
        # DKIM d=                  | envelope-from              | PTR                                          | service
        sendgrid.net               | -                          | -                                            | SendGrid (Twilio)
        -                          | em1234.sendgrid.net        | -                                            | SendGrid (Twilio)
        -                          | -                          | a8-30.smtp-out.amazonses.com                 | Amazon SES
        example-com.gappssmtp.com  | -                          | -                                            | Google Workspace / Gmail
        -                          | -                          | mail-sor-f69.google.com                      | Google Workspace / Gmail
        -                          | -                          | mail-db8eur05on2101.outbound.protection.outlook.com | Microsoft 365 / Exchange Online
        -                          | bounces.mcsv.net           | -                                            | Mailchimp
        pm.mtasv.net               | -                          | -                                            | Postmark
        -                          | -                          | notgoogle.com                                | -
        -                          | example.com                | mail.example.com                             | -
        """)
    void namesTheServiceFromItsDomains(String dkim, String envelope, String ptr, String expected) {
        var found = ServiceMap.bundled().identify(null, dkim == null ? List.of() : List.of(dkim),
                envelope == null ? List.of() : List.of(envelope), ptr == null ? List.of() : List.of(ptr));
        assertThat(found.map(i -> i.service().name()).orElse(null)).isEqualTo(expected);
    }

    @Test
    void aPassingSignatureOutranksTheEnvelope() {
        var found = ServiceMap.bundled().identify(null, List.of("mandrillapp.com"), List.of("mcsv.net"), List.of());
        assertThat(found).hasValueSatisfying(i -> {
            assertThat(i.service().name()).isEqualTo("Mandrill (Mailchimp Transactional)");
            assertThat(i.evidence()).isEqualTo("DKIM d=mandrillapp.com");
        });
    }

    @Test
    void aUserFileAddsAndReplacesServices() throws Exception {
        Path file = temp.resolve("services.yaml");
        Files.writeString(file, """
                services:
                  - name: Our billing system
                    type: ESP
                    envelope: [billing.example.com]
                  - name: SendGrid (Twilio)
                    type: ESP
                    dkim: [Custom-Sendgrid.EXAMPLE.]
                """);
        ServiceMap map = ServiceMap.withFile(file);
        assertThat(map.identify(null, List.of(), List.of("bounce.billing.example.com"), List.of()))
                .hasValueSatisfying(i -> assertThat(i.service().name()).isEqualTo("Our billing system"));
        assertThat(map.identify(null, List.of("custom-sendgrid.example"), List.of(), List.of())).isPresent();
        assertThat(map.identify(null, List.of("sendgrid.net"), List.of(), List.of())).as("the bundled entry is replaced").isEmpty();
        assertThat(map.services()).hasSize(ServiceMap.bundled().services().size() + 1);
    }

    @Test
    void aBrokenFileIsNamedWithItsLine() throws Exception {
        Path file = temp.resolve("bad.yaml");
        Files.writeString(file, "services:\n  - name: X\n    domains: [a.example]\n");
        assertThatThrownBy(() -> ServiceMap.withFile(file)).hasMessage(file
                + ": services[1]: unknown key \"domains\"; the keys of a service are name, type, ptr, dkim, envelope, cidr, spf");
        Files.writeString(file, "services:\n  - name: X\n    cidr: [192.0.2.0/33]\n");
        assertThatThrownBy(() -> ServiceMap.withFile(file))
                .hasMessage(file + ": service \"X\": \"192.0.2.0/33\" has a prefix longer than the address");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
        209.85.220.41       | Google Workspace / Gmail
        2a00:1450:4864::12  | Google Workspace / Gmail
        40.107.22.51        | Microsoft 365 / Exchange Online
        167.89.118.54       | SendGrid (Twilio)
        54.240.8.1          | Amazon SES
        198.2.180.4         | Mandrill (Mailchimp Transactional)
        192.0.2.1           | -
        """)
    void theBigServicesAreKnownByTheirAddressesAlone(String ip, String expected) {
        var found = ServiceMap.bundled().identify(ip, List.of(), List.of(), List.of());
        assertThat(found.map(i -> i.service().name()).orElse(null)).isEqualTo(expected);
        found.ifPresent(i -> assertThat(i.evidence()).startsWith("address in "));
    }

    @Test
    void anAddressIsTheWeakestEvidence() {
        var found = ServiceMap.bundled().identify("209.85.220.41", List.of("sendgrid.net"), List.of(), List.of());
        assertThat(found.map(i -> i.service().name())).hasValue("SendGrid (Twilio)");
    }
}
