package org.dmarcq.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dmarcq.identity.Inventory;
import org.dmarcq.identity.ServiceMap;
import org.dmarcq.ingest.Ingest;
import org.dmarcq.rules.PublicSuffixList;
import org.dmarcq.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness verdicts on a fortnight of reports from two receivers. */
class ReadinessCheckTest {
    @TempDir Path temp;

    private Store fortnight(int days, boolean esp, boolean list) throws Exception {
        return fortnight(days, esp, list, 0);
    }

    /** @param sendgridIps addresses of a SendGrid account that signs with sendgrid.net only */
    private Store fortnight(int days, boolean esp, boolean list, int sendgridIps) throws Exception {
        return fortnight(days, esp, list ? 30 : 0, sendgridIps);
    }

    /** @param listed messages a day through a mailing list that breaks the domain's signatures */
    private Store fortnight(int days, boolean esp, int listed, int sendgridIps) throws Exception {
        Store store = Store.open(temp.resolve("r.duckdb"));
        List<String> files = new ArrayList<>();
        for (int day = 1; day <= days; day++) {
            Reports google = Reports.day("g" + day, day)
                    .record("209.85.220.41", 1000, "example.com", "example.com:pass", "example.com:pass", "pass/pass")
                    .record("203.0.113." + day, 1, "example.com", null, "example.com:fail", "fail/fail");
            if (esp) {
                google.record("192.0.2.10", 15, "example.com", "esp.example:pass", "bounce.esp.example:pass", "fail/fail");
            }
            if (listed > 0) {
                google.record("198.51.100.5", listed, "example.com", "example.com:fail", "list.example:pass", "fail/fail",
                        "none", "<reason><type>mailing_list</type></reason>");
            }
            for (int i = 0; i < sendgridIps; i++) {
                google.record("167.89.0." + (i + 1), 20, "example.com", "sendgrid.net:pass", "sendgrid.net:pass", "fail/fail");
            }
            Reports bis = Reports.day("b" + day, day).rfc9990()
                    .record("209.85.220.42", 500, "example.com", "example.com:pass", "example.com:pass", "pass/pass");
            for (Reports r : List.of(google, bis)) {
                Path file = temp.resolve("r" + files.size() + ".xml");
                Files.writeString(file, r.xml());
                files.add(file.toString());
            }
        }
        Ingest.into(store).run(files);
        return store;
    }

    private static Readiness check(Store store) {
        return check(store, Naming.defaults());
    }

    private static Readiness check(Store store, Naming naming) {
        List<Readiness> results = ReadinessCheck.run(store, Scope.all(), Readiness.Thresholds.defaults(), Classes.defaults(), naming);
        assertThat(results).hasSize(1);
        return results.get(0);
    }

    private Naming inventory(String yaml) throws Exception {
        Path file = temp.resolve("inventory.yaml");
        Files.writeString(file, yaml);
        return new Naming(ServiceMap.bundled(), Inventory.load(file), PublicSuffixList.bundled());
    }

    @Test
    void cleanMailForAFortnightIsReady() throws Exception {
        try (Store store = fortnight(14, false, false)) {
            Readiness r = check(store);
            assertThat(r.quarantine().verdict()).isEqualTo("ready");
            assertThat(r.reject().verdict()).isEqualTo("ready");
            assertThat(r.days()).isEqualTo(14);
            assertThat(r.spoofedMessages()).isEqualTo(14);
            assertThat(r.passRate()).isEqualTo(1.0);
            assertThat(r.dailyPassRate()).hasSize(14).allSatisfy((day, rate) -> assertThat(rate).isEqualTo(1.0));
            assertThat(r.nextStep()).startsWith("move to p=quarantine");
        }
    }

    @Test
    void anInventoriedEspWithoutAlignedDkimMustBeFixedFirst() throws Exception {
        Naming naming = inventory("systems:\n  - name: Shop mailer\n    dkim: [esp.example]\n");
        try (Store store = fortnight(14, true, false)) {
            Readiness r = check(store, naming);
            assertThat(r.quarantine().verdict()).isEqualTo("ready with 1 sender to fix");
            assertThat(r.toFix()).extracting(AffectedSender::sourceIp).containsExactly("192.0.2.10");
            assertThat(r.systemsToVerify()).isEmpty();
            assertThat(r.nextStep()).startsWith("stay at p=none; fix this sender first: Shop mailer (dkim-third-party)");
        }
    }

    @Test
    void anEspThatNothingTiesToTheOwnerIsToVerifyNotToFix() throws Exception {
        try (Store store = fortnight(14, true, false)) {
            Readiness r = check(store);
            assertThat(r.toFix()).isEmpty();
            assertThat(r.systemsToVerify()).singleElement().satisfies(s -> {
                assertThat(s.name()).isEqualTo("192.0.2.10");
                assertThat(s.senderClass()).isEqualTo(SenderClass.UNVERIFIED);
            });
        }
    }

    @Test
    void anUnverifiedSystemCarryingMuchMailBlocksReadiness() throws Exception {
        try (Store store = fortnight(14, false, false, 3)) {
            Readiness r = check(store);
            assertThat(r.quarantine().verdict()).isEqualTo("not ready");
            assertThat(r.quarantine().because()).anyMatch(why -> why.contains("fails from 1 unverified system"));
            assertThat(r.unverifiedShare()).isGreaterThan(0.01);
            assertThat(r.nextStep()).startsWith("stay at p=none; verify this system (mark each in the inventory, ours: true or"
                    + " ours: false): SendGrid (Twilio) (dkim-third-party)");
        }
    }

    @Test
    void forwardedMailAloneDoesNotBlockQuarantine() throws Exception {
        try (Store store = fortnight(14, false, 100, 0)) {
            Readiness r = check(store);
            assertThat(r.passRate()).isLessThan(0.98);
            assertThat(r.passRateWithoutForwarded()).isEqualTo(1.0);
            assertThat(r.forwardedMessages()).isEqualTo(14 * 100);
            assertThat(r.quarantine().verdict()).isEqualTo("ready");
            assertThat(r.reject().verdict()).isEqualTo("not ready");
        }
    }

    @Test
    void theNextStepUsesWhatMostReceiversHonour() throws Exception {
        try (Store store = fortnight(14, false, false)) {
            Readiness r = check(store);
            // google.com reports in the RFC 7489 format (1,000 a day), the other in RFC 9990's (500 a day)
            assertThat(r.rfc7489Share()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(0.001));
            assertThat(r.nextStep()).contains("pct=25 (67% of your mail goes to receivers that honour pct and ignore t=y)")
                    .doesNotContain("or t=y");
        }
    }

    @Test
    void forwardedMailKeepsRejectOutOfReach() throws Exception {
        try (Store store = fortnight(14, false, true)) {
            Readiness r = check(store);
            assertThat(r.quarantine().verdict()).isEqualTo("ready");
            assertThat(r.reject().verdict()).isEqualTo("not ready");
            assertThat(r.reject().because()).anyMatch(why -> why.contains("forwarders and mailing lists"));
        }
    }

    @Test
    void aWeekIsNotEnough() throws Exception {
        try (Store store = fortnight(7, false, false)) {
            Readiness r = check(store);
            assertThat(r.quarantine().verdict()).isEqualTo("not ready");
            assertThat(r.quarantine().because()).contains("only 7 days of reports; 14 needed");
            assertThat(r.nextStep()).isEqualTo("stay at p=none; keep collecting reports (7 more days)");
        }
    }

    @Test
    void oneServiceOnSeveralAddressesIsOneSenderToFix() throws Exception {
        Naming naming = inventory("systems:\n  - name: Newsletter\n    owner: marketing\n    services: [SendGrid (Twilio)]\n");
        try (Store store = fortnight(14, false, false, 3)) {
            Readiness r = check(store, naming);
            assertThat(r.toFix()).hasSize(3);
            assertThat(r.systemsToFix()).singleElement().satisfies(system -> {
                assertThat(system.name()).isEqualTo("Newsletter");
                assertThat(system.inventory()).isEqualTo("Newsletter");
                assertThat(system.ips()).containsExactly("167.89.0.1", "167.89.0.2", "167.89.0.3");
                assertThat(system.failingMessages()).isEqualTo(3 * 14 * 20);
                assertThat(system.reasons()).containsExactly("dkim-third-party");
            });
            assertThat(r.quarantine().verdict()).isEqualTo("ready with 1 sender to fix");
            assertThat(r.nextStep()).startsWith("stay at p=none; fix this sender first: Newsletter (dkim-third-party)");
            assertThat(r.toFix()).allSatisfy(s -> assertThat(s.names().inventory()).isEqualTo("Newsletter"));
        }
    }
}
