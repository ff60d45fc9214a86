package org.dmarcq.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryTest {
    @TempDir Path temp;

    private Inventory load(String yaml) throws Exception {
        Path file = temp.resolve("inventory.yaml");
        Files.writeString(file, yaml);
        return Inventory.load(file);
    }

    @Test
    void entriesKeepTheirIdentifiersNormalisedAndTheirRangesAsKeys() throws Exception {
        Inventory inventory = load("""
                systems:
                  - name: Office relay
                    owner: IT
                    purpose: printers and scanners
                    cidr: [192.0.2.0/28, "2001:db8:1::/48"]
                  - name: Billing
                    envelope: [Bounce.Billing.Example.com.]
                    dkim: [billing.example.com]
                    ptr: [mta.example.net]
                  - name: Known forger
                    ours: false
                    note: seen in the phishing of May
                    cidr: [198.51.100.7]
                """);
        assertThat(inventory.entries()).extracting(Inventory.Entry::name).containsExactly("Office relay", "Billing", "Known forger");
        assertThat(inventory.entries().get(1).envelope()).containsExactly("bounce.billing.example.com");
        assertThat(inventory.entries()).extracting(Inventory.Entry::isOurs).containsExactly(true, true, false);
        assertThat(inventory.entries().get(2).note()).isEqualTo("seen in the phishing of May");
        assertThat(inventory.ranges()).containsExactly(
                new KeyRange("Office relay", 1, "192.0.2.0/28", "4c0000200", "4c000020f"),
                new KeyRange("Office relay", 1, "2001:db8:1::/48", "620010db80001" + "0".repeat(20), "620010db80001" + "f".repeat(20)),
                new KeyRange("Known forger", 3, "198.51.100.7", "4c6336407", "4c6336407"));
    }

    @Test
    void mistakesAreNamed() throws Exception {
        assertThatThrownBy(() -> load("systems:\n  - name: X\n    cidr: [192.0.2.0/40]\n"))
                .hasMessageEndingWith(": system \"X\": \"192.0.2.0/40\" has a prefix longer than the address");
        assertThatThrownBy(() -> load("systems:\n  - name: X\n    cidr: [office]\n"))
                .hasMessageEndingWith(": system \"X\": \"office\" is not an address range like 192.0.2.0/24");
        assertThatThrownBy(() -> load("systems:\n  - name: X\n    ips: [192.0.2.1]\n"))
                .hasMessageEndingWith(": systems[1]: unknown key \"ips\"; the keys of a system are name, owner, purpose, ours, note, cidr, ptr, dkim, envelope,"
                        + " services");
    }

    @Test
    void anEmptyFileIsAnEmptyInventory() throws Exception {
        // "dmarcq inventory suggest > dmarcq-inventory.yaml" creates the file empty before dmarcq reads it.
        assertThat(load("").entries()).isEmpty();
        assertThat(load("# nothing yet\n").entries()).isEmpty();
    }
}
