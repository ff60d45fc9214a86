package org.dmarcq.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.dmarcq.identity.Inventory;
import org.dmarcq.identity.ServiceMap;
import org.dmarcq.ingest.Ingest;
import org.dmarcq.rules.PublicSuffixList;
import org.dmarcq.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whose a failing source is, on a month of generated reports: only evidence that a forger cannot
 * fake (the inventory matched on authenticated identifiers, one's own reverse DNS, one's own
 * aligned DKIM from the same dedicated address) makes a source the owner's; without it a steady,
 * periodic or authenticated source is unverified, and the rest is spoofing.
 */
class OwnershipTest {
    private static final int DAYS = 30;

    @TempDir Path temp;

    /** 30 days of reports from one RFC 7489 receiver: the owner's own platform every day, and {@code senders} on top. */
    private Store month(BiConsumer<Integer, Reports> senders) throws Exception {
        Store store = Store.open(temp.resolve("o.duckdb"));
        List<String> files = new ArrayList<>();
        for (int day = 1; day <= DAYS; day++) {
            Reports r = Reports.day("d" + day, day)
                    .record("209.85.220.41", 1000, "example.com", "example.com:pass", "example.com:pass", "pass/pass");
            senders.accept(day, r);
            Path file = temp.resolve("d" + day + ".xml");
            Files.writeString(file, r.xml());
            files.add(file.toString());
        }
        assertThat(Ingest.into(store).run(files).problems()).isEmpty();
        return store;
    }

    /** The same month with a second receiver, one that reports in the RFC 9990 format. */
    private Store month(BiConsumer<Integer, Reports> senders, BiConsumer<Integer, Reports> rfc9990Senders) throws Exception {
        Store store = Store.open(temp.resolve("o.duckdb"));
        List<String> files = new ArrayList<>();
        for (int day = 1; day <= DAYS; day++) {
            Reports old = Reports.day("d" + day, day)
                    .record("209.85.220.41", 1000, "example.com", "example.com:pass", "example.com:pass", "pass/pass");
            senders.accept(day, old);
            Reports bis = Reports.day("b" + day, day).rfc9990();
            rfc9990Senders.accept(day, bis);
            for (Reports r : List.of(old, bis)) {
                Path file = temp.resolve((r == old ? "d" : "b") + day + ".xml");
                Files.writeString(file, r.xml());
                files.add(file.toString());
            }
        }
        assertThat(Ingest.into(store).run(files).problems()).isEmpty();
        return store;
    }

    private Naming inventory(String yaml) throws Exception {
        Path file = temp.resolve("inventory.yaml");
        Files.writeString(file, yaml);
        return new Naming(ServiceMap.bundled(), Inventory.load(file), PublicSuffixList.bundled());
    }

    private static WhatIfResult whatIf(Store store, Naming naming) {
        return WhatIf.run(store, Scope.all(), Proposal.of(Disposition.QUARANTINE), Classes.defaults(), naming, true);
    }

    private static Map<String, String> classes(WhatIfResult result) {
        return result.senders().stream().collect(Collectors.toMap(AffectedSender::sourceIp,
                s -> s.senderClass().word() + (s.names().inventory() == null ? "" : " [" + s.names().inventory() + "]")));
    }

    private static AffectedSender sender(WhatIfResult result, String ip) {
        return result.senders().stream().filter(s -> s.sourceIp().equals(ip)).findFirst().orElseThrow();
    }

    /** A forward-confirmed reverse DNS name, as a lookup would have left it. */
    private static void ptr(Store store, String ip, String name) throws Exception {
        try (PreparedStatement s = store.connection().prepareStatement(
                "INSERT INTO reverse_dns VALUES (?, ?, true, NULL, now()::TIMESTAMP)")) {
            s.setString(1, ip);
            s.setString(2, name);
            s.execute();
        }
        PublicSuffixList list = PublicSuffixList.bundled();
        store.refreshDomains(list);
    }

    private static final Set<Integer> FORGER_DAYS = Set.of(1, 4, 8, 11, 15, 19, 22, 27);
    private static final Set<Integer> INVOICE_DAYS = Set.of(1, 2, 15, 16);

    /** The scenario of issue 12: forgers on many days at low volume, a forger through an ESP, a monthly ERP, an ESP without custom DKIM. */
    private Store scenario() throws Exception {
        return month((day, r) -> {
            if (FORGER_DAYS.contains(day)) {
                for (int i = 1; i <= 3; i++) {
                    r.record("203.0.113." + i, 3, "example.com", null, "example.com:fail", "fail/fail");
                }
            }
            if (day == 5 || day == 6 || day == 20) {
                r.record("167.89.118.60", 25, "example.com", "sendgrid.net:pass", "sendgrid.net:pass", "fail/fail");
            }
            if (INVOICE_DAYS.contains(day)) {
                r.record("192.0.2.25", 350, "example.com", null, "example.com:softfail", "fail/fail");
            }
            for (int i = 10; i < 14; i++) {
                r.record("161.38.200." + i, 40, "example.com", "mailgun.org:pass", "bnc3.mailgun.org:pass", "fail/fail");
            }
        });
    }

    @Test
    void withoutAnInventoryNoForgerIsCalledYoursAndEveryRealSystemIsUnverified() throws Exception {
        try (Store store = scenario()) {
            WhatIfResult result = whatIf(store, Naming.defaults());
            assertThat(classes(result)).containsOnly(
                    Map.entry("203.0.113.1", "spoofing"), Map.entry("203.0.113.2", "spoofing"), Map.entry("203.0.113.3", "spoofing"),
                    Map.entry("167.89.118.60", "unverified"), Map.entry("192.0.2.25", "unverified"),
                    Map.entry("161.38.200.10", "unverified"), Map.entry("161.38.200.11", "unverified"),
                    Map.entry("161.38.200.12", "unverified"), Map.entry("161.38.200.13", "unverified"));
            assertThat(result.byClass()).containsEntry(SenderClass.MISCONFIGURED, 0.0);
            AffectedSender erp = sender(result, "192.0.2.25");
            assertThat(erp.evidence()).contains(new Evidence(Evidence.Kind.VOLUME,
                    "1,400 failing messages; sent on 4 of 30 days with reports, about 350 per sending day: it sends in batches"));
            assertThat(erp.fix()).startsWith("check whether it is yours").contains("add 192.0.2.25 to the SPF record");
            AffectedSender viaEsp = sender(result, "167.89.118.60");
            assertThat(viaEsp.names().service()).isEqualTo("SendGrid (Twilio)");
            assertThat(viaEsp.evidence()).anySatisfy(e -> assertThat(e.detail())
                    .contains("a service alone does not make it yours"));
            assertThat(result.systems()).filteredOn(s -> s.name().equals("Mailgun")).singleElement().satisfies(s -> {
                assertThat(s.senderClass()).isEqualTo(SenderClass.UNVERIFIED);
                assertThat(s.ips()).hasSize(4);
                assertThat(s.sendingDays()).isEqualTo(30);
            });
            assertThat(result.spoofing()).singleElement().satisfies(s -> {
                assertThat(s.sources()).isEqualTo(3);
                assertThat(s.failingMessages()).isEqualTo(3 * 3 * 8);
            });
        }
    }

    @Test
    void theInventoryDecidesOnWhatAForgerCannotFake() throws Exception {
        Naming naming = inventory("""
                systems:
                  - name: ERP invoices
                    cidr: [192.0.2.25/32]
                  - name: Newsletter
                    services: [Mailgun]
                  - name: Forgers we know
                    ours: false
                    note: a botnet that spoofs us
                    cidr: [203.0.113.0/24]
                """);
        try (Store store = scenario()) {
            WhatIfResult result = whatIf(store, naming);
            assertThat(classes(result)).containsOnly(
                    Map.entry("203.0.113.1", "spoofing [Forgers we know]"), Map.entry("203.0.113.2", "spoofing [Forgers we know]"),
                    Map.entry("203.0.113.3", "spoofing [Forgers we know]"), Map.entry("167.89.118.60", "unverified"),
                    Map.entry("192.0.2.25", "misconfigured [ERP invoices]"),
                    Map.entry("161.38.200.10", "misconfigured [Newsletter]"), Map.entry("161.38.200.11", "misconfigured [Newsletter]"),
                    Map.entry("161.38.200.12", "misconfigured [Newsletter]"), Map.entry("161.38.200.13", "misconfigured [Newsletter]"));
            assertThat(sender(result, "203.0.113.1").evidence()).contains(new Evidence(Evidence.Kind.INVENTORY,
                    "marked not yours in the inventory: Forgers we know (a botnet that spoofs us)"));
            assertThat(sender(result, "192.0.2.25").evidence()).contains(new Evidence(Evidence.Kind.INVENTORY,
                    "yours, by the inventory: ERP invoices"));
            assertThat(result.systems()).extracting(AffectedSystem::name).contains("ERP invoices", "Newsletter")
                    .doesNotContain("Forgers we know");
            assertThat(result.spoofing()).as("what the inventory marks not yours is spoofing, and says so").singleElement()
                    .satisfies(s -> {
                        assertThat(s.sources()).isEqualTo(3);
                        assertThat(s.markedNotOurs()).isEqualTo(3);
                    });
        }
    }

    @Test
    void forgedEnvelopesAndFailingSignaturesOfInventoriedDomainsDoNotMatch() throws Exception {
        Naming naming = inventory("""
                systems:
                  - name: Own mail
                    envelope: [example.com]
                  - name: Billing
                    dkim: [billing.example.com]
                """);
        try (Store store = month((day, r) -> r
                .record("198.51.100.77", 2, "example.com", null, "example.com:fail", "fail/fail")
                .record("198.51.100.78", 2, "example.com", "billing.example.com:fail", "example.com:fail", "fail/fail"))) {
            WhatIfResult result = whatIf(store, naming);
            assertThat(classes(result)).doesNotContainValue("misconfigured [Own mail]").doesNotContainValue("misconfigured [Billing]");
            assertThat(result.senders()).allSatisfy(s -> assertThat(s.names().inventory()).isNull());
            List<Sender> senders = Senders.list(store, Scope.all(), false, Classes.defaults(), naming, 0).rows();
            assertThat(senders).filteredOn(s -> s.sourceIp().equals("209.85.220.41")).singleElement()
                    .satisfies(s -> assertThat(s.inventoryName()).as("SPF passed for example.com").isEqualTo("Own mail"));
        }
    }

    @Test
    void anAddressIsNamedByTheServiceBehindMostOfItsMail() throws Exception {
        try (Store store = month((day, r) -> {
            if (day == 1) {
                r.record("209.85.220.99", 358, "example.com", "customer.example:pass", "customer.example:pass", "fail/fail")
                        .record("209.85.220.99", 2, "example.com", "zendesk.com:pass", "zendesk.com:pass", "fail/fail");
            }
        })) {
            AffectedSender google = sender(whatIf(store, Naming.defaults()), "209.85.220.99");
            assertThat(google.names().service()).isEqualTo("Google Workspace / Gmail");
            assertThat(google.evidence()).contains(new Evidence(Evidence.Kind.SERVICE,
                    "sends through Google Workspace / Gmail (address in 209.85.128.0/17, on 360 of its 360 messages): a service"
                            + " alone does not make it yours, anyone can send through it"));
        }
    }

    @Test
    void ownReverseDnsTiesARelayWithABrokenKeyToTheOwner() throws Exception {
        try (Store store = month((day, r) -> r.record("198.51.100.7", 80, "example.com", "example.com:fail", "example.com:fail",
                "fail/fail"))) {
            assertThat(sender(whatIf(store, Naming.defaults()), "198.51.100.7").senderClass())
                    .as("a failing signature can be forged: without more, unverified").isEqualTo(SenderClass.UNVERIFIED);
            ptr(store, "198.51.100.7", "mta.example.com");
            AffectedSender relay = sender(whatIf(store, Naming.defaults()), "198.51.100.7");
            assertThat(relay.senderClass()).isEqualTo(SenderClass.MISCONFIGURED);
            assertThat(relay.evidence()).contains(new Evidence(Evidence.Kind.PTR,
                    "its reverse DNS name mta.example.com (forward-confirmed) is under example.com"));
            assertThat(relay.fix()).contains("its DKIM signatures as example.com").contains("fail");
        }
    }

    @Test
    void anAddressThatAlsoSendsYourSignedMailIsNotYoursWhenItIsAPlatformsAddress() throws Exception {
        try (Store store = month((day, r) -> {
            // an ESP the service map does not know: the owner's mail, signed with the owner's key, bounces to the ESP
            r.record("185.189.236.10", 200, "example.com", "example.com:pass", "bnc.esp.example:pass", "pass/fail")
                    .record("185.189.236.11", 200, "example.com", "example.com:pass", "bnc.esp.example:pass", "pass/fail");
            // the owner's own server: signed mail bounces to the owner's domain; some of it goes out unsigned
            r.record("198.51.100.9", 50, "example.com", "example.com:pass", "example.com:pass", "pass/pass")
                    .record("198.51.100.9", 12, "example.com", null, "example.com:softfail", "fail/fail");
            if (day % 2 == 0) {
                // forgers with accounts at the same ESP, on the same addresses
                r.record("185.189.236.10", 6, "example.com", "forger-co.example:pass", "forger-co.example:pass", "fail/fail")
                        .record("185.189.236.11", 6, "example.com", null, "example.com:fail", "fail/fail");
            }
        })) {
            WhatIfResult result = whatIf(store, Naming.defaults());
            assertThat(sender(result, "185.189.236.10").senderClass()).isEqualTo(SenderClass.UNVERIFIED);
            assertThat(sender(result, "185.189.236.11").senderClass()).isEqualTo(SenderClass.SPOOFING);
            AffectedSender own = sender(result, "198.51.100.9");
            assertThat(own.senderClass()).isEqualTo(SenderClass.MISCONFIGURED);
            assertThat(own.evidence()).contains(new Evidence(Evidence.Kind.DKIM, "DKIM aligned with example.com passes on 1,500"
                    + " of its messages: the same address also sends your signed mail"));

            String draft = InventoryDraft.yaml(SendingSystems.list(store, Scope.all(), Classes.defaults(), Naming.defaults()),
                    Naming.defaults());
            assertThat(draft).as("the owner's key, and the forger's key flagged; never a domain another party signs with")
                    .contains("    - s1._domainkey.example.com\n", "    - s1._domainkey.forger-co.example\n", "UNVERIFIED")
                    .doesNotContain("    - forger-co.example\n", "    - bnc.esp.example\n", "    - example.com\n");
        }
    }

    @Test
    void theVolumeRulesJudgeTheFailingMailAlone() throws Exception {
        try (Store store = month((day, r) -> r
                .record("167.89.115.70", 100, "example.com", "news.example.com:pass", "sendgrid.net:pass", "pass/fail")
                .record("167.89.115.70", 2, "example.com", null, "example.com:fail", "fail/fail"))) {
            AffectedSender s = sender(whatIf(store, Naming.defaults()), "167.89.115.70");
            assertThat(s.senderClass()).as("2 forged messages a day beside 100 good ones").isEqualTo(SenderClass.SPOOFING);
            assertThat(s.evidence()).contains(new Evidence(Evidence.Kind.VOLUME, "60 failing messages; sent on 30 of 30 days with"
                    + " reports, about 2 per sending day; no SPF or DKIM pass for any domain, and not steady"));
        }
    }

    @Test
    void theNextStepRestsOnWhereYourMailGoesNotTheForgers() throws Exception {
        try (Store store = month((day, r) -> { }, (day, r) -> r
                .record("209.85.220.41", 500, "example.com", "example.com:pass", "example.com:pass", "pass/pass")
                .record("203.0.113." + day, 2000, "example.com", null, "example.com:fail", "fail/fail"))) {
            Readiness r = ReadinessCheck.run(store, Scope.all(), new Readiness.Thresholds(14, 2, 0.98, 0.01, 0.01)).get(0);
            assertThat(r.rfc7489Share()).isCloseTo(2 / 3.0, org.assertj.core.data.Offset.offset(0.001));
            assertThat(r.nextStep()).contains("pct=25 (67% of your mail goes to receivers that honour pct and ignore t=y)")
                    .doesNotContain("t=y (");
        }
    }

    @Test
    void receiverFailuresAreAFindingNotASenderToFix() throws Exception {
        try (Store store = month((day, r) -> r.record("192.0.2.40", 20, "example.com", "example.com:pass", "other.example:pass",
                "fail/fail"))) {
            AffectedSender s = sender(whatIf(store, Naming.defaults()), "192.0.2.40");
            assertThat(s.reason()).isEqualTo("receiver-fail");
            assertThat(s.evidence()).noneSatisfy(e -> assertThat(e.detail()).contains("DKIM passes for example.com"));
            Readiness r = ReadinessCheck.run(store, Scope.all(), new Readiness.Thresholds(14, 1, 0.98, 0.01, 0.01)).get(0);
            assertThat(r.systemsToFix()).isEmpty();
            assertThat(r.receiverFailures()).extracting(AffectedSystem::name).containsExactly("192.0.2.40");
        }
    }

    @Test
    void testingSaysHowMuchMailGoesToReceiversThatIgnoreIt() throws Exception {
        try (Store store = scenario()) {
            WhatIfResult testing = WhatIf.run(store, Scope.all(), new Proposal(Disposition.QUARANTINE, null, null, true, null, null),
                    Classes.defaults(), Naming.defaults(), false);
            assertThat(testing.rfc7489Share()).as("every report here is in the RFC 7489 format").isEqualTo(1.0);
            assertThat(testing.quarantined()).as("t=y changes nothing at RFC 7489 receivers").isEqualTo(testing.failingMessages());
        }
    }
}
