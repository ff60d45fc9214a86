package org.dmarcq.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryTest {
    @TempDir Path temp;

    private Inventory load(String yaml) throws Exception {
        Path file = temp.resolve("inventory.yaml");
        Files.writeString(file, yaml);
        return Inventory.load(file);
    }

    private static String match(Inventory inventory, String ip, String ptr, String dkim, String envelope, String service) {
        return inventory.match(List.of(ip), ptr == null ? List.of() : List.of(ptr), dkim == null ? List.of() : List.of(dkim),
                envelope == null ? List.of() : List.of(envelope), service).map(Inventory.Entry::name).orElse(null);
    }

    @Test
    void systemsAreRecognisedByRangeNameDomainOrService() throws Exception {
        Inventory inventory = load("""
                systems:
                  - name: Office relay
                    owner: IT
                    purpose: printers and scanners
                    cidr: [192.0.2.0/28, "2001:db8:1::/48"]
                  - name: Newsletter
                    owner: Marketing
                    services: [Mailchimp]
                  - name: Billing
                    envelope: [Bounce.Billing.Example.com.]
                    dkim: [billing.example.com]
                    ptr: [mta.example.net]
                """);
        assertThat(match(inventory, "192.0.2.15", null, null, null, null)).isEqualTo("Office relay");
        assertThat(match(inventory, "192.0.2.16", null, null, null, null)).isNull();
        assertThat(match(inventory, "2001:db8:1:ffff::9", null, null, null, null)).isEqualTo("Office relay");
        assertThat(match(inventory, "2001:db8:2::9", null, null, null, null)).isNull();
        assertThat(match(inventory, "198.51.100.1", null, null, null, "Mailchimp")).isEqualTo("Newsletter");
        assertThat(match(inventory, "198.51.100.1", null, null, "x.bounce.billing.example.com", null)).isEqualTo("Billing");
        assertThat(match(inventory, "198.51.100.1", "out1.mta.example.net", null, null, null)).isEqualTo("Billing");
        assertThat(match(inventory, "198.51.100.1", null, "billing.example.com", null, null)).isEqualTo("Billing");
        assertThat(match(inventory, "198.51.100.1", null, "example.com", null, null)).as("a parent is not a match").isNull();
    }

    @Test
    void mistakesAreNamed() throws Exception {
        assertThatThrownBy(() -> load("systems:\n  - name: X\n    cidr: [192.0.2.0/40]\n"))
                .hasMessageEndingWith(": system \"X\": \"192.0.2.0/40\" has a prefix longer than the address");
        assertThatThrownBy(() -> load("systems:\n  - name: X\n    cidr: [office]\n"))
                .hasMessageEndingWith(": system \"X\": \"office\" is not an address range like 192.0.2.0/24");
        assertThatThrownBy(() -> load("systems:\n  - name: X\n    ips: [192.0.2.1]\n"))
                .hasMessageEndingWith(": systems[1]: unknown key \"ips\"; the keys of a system are name, owner, purpose, cidr, ptr, dkim, envelope, services");
    }

    @Test
    void anEmptyFileIsAnEmptyInventory() throws Exception {
        // "dmarcq inventory suggest > dmarcq-inventory.yaml" creates the file empty before dmarcq reads it.
        assertThat(load("").entries()).isEmpty();
        assertThat(load("# nothing yet\n").entries()).isEmpty();
    }
}
