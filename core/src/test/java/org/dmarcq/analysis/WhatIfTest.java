package org.dmarcq.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.dmarcq.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scenarios for {@link WhatIf}: each class of sender, sp, pct, testing, strict alignment, pro-rata days, replay. */
class WhatIfTest {
    @TempDir Path temp;

    private Store load(Reports... reports) throws Exception {
        return Reports.load(temp, reports);
    }

    /** Runs the proposal with every affected source listed. */
    private static WhatIfResult run(Store store, Proposal proposal) {
        return WhatIf.run(store, Scope.all(), proposal, Classes.defaults(), Naming.defaults(), true);
    }

    private static Map<String, String> classes(WhatIfResult result) {
        return result.senders().stream().collect(Collectors.toMap(AffectedSender::sourceIp,
                s -> s.senderClass().word() + " " + s.reason() + " " + s.failingMessages()));
    }

    /** Three days of a domain's mail: its own platform, an ESP, a list, a forwarder that keeps DKIM, an office server, a spoofer. */
    private Reports day(int day) {
        Reports r = Reports.day("day-" + day, day)
                .record("209.85.220.41", 100, "example.com", "example.com:pass", "example.com:pass", "pass/pass")
                .record("192.0.2.10", 10, "example.com", "esp.example:pass", "bounce.esp.example:pass", "fail/fail")
                .record("198.51.100.5", 5, "example.com", "example.com:fail;list.example:pass", "list.example:pass", "fail/fail",
                        "none", day == 1 ? "<reason><type>mailing_list</type></reason>" : null)
                .record("198.51.100.6", 4, "example.com", "example.com:pass", "example.com:fail", "pass/fail")
                .record("192.0.2.50", 20, "example.com", null, "example.com:softfail", "fail/fail");
        return day == 2 ? r.record("203.0.113.7", 1, "example.com", null, "example.com:fail", "fail/fail") : r;
    }

    @Test
    void everyFailingSourceIsClassedWithItsEvidence() throws Exception {
        try (Store store = load(day(1), day(2), day(3))) {
            WhatIfResult result = run(store, Proposal.of(Disposition.QUARANTINE));
            // Nothing ties the ESP account or the office server to the domain's owner: unverified, not "yours".
            assertThat(classes(result)).containsOnly(
                    Map.entry("192.0.2.10", "unverified dkim-third-party 30"),
                    Map.entry("192.0.2.50", "unverified spf-fail 60"),
                    Map.entry("198.51.100.5", "forwarder dkim-third-party 15"),
                    Map.entry("203.0.113.7", "spoofing spf-fail 1"));
            assertThat(result.messages()).isEqualTo(3 * 139 + 1);
            assertThat(result.failingMessages()).isEqualTo(106);
            assertThat(result.quarantined()).isEqualTo(106.0);
            assertThat(result.rejected()).isZero();
            assertThat(result.byClass()).containsEntry(SenderClass.UNVERIFIED, 90.0).containsEntry(SenderClass.MISCONFIGURED, 0.0)
                    .containsEntry(SenderClass.FORWARDER, 15.0).containsEntry(SenderClass.SPOOFING, 1.0);
            AffectedSender esp = result.senders().stream().filter(s -> s.sourceIp().equals("192.0.2.10")).findFirst().orElseThrow();
            assertThat(esp.fix()).startsWith("check whether it is yours").contains("esp.example")
                    .contains("sign with DKIM as example.com").contains("If it is not: mark it ours: false");
            assertThat(esp.evidence()).contains(
                    new Evidence(Evidence.Kind.VOLUME, "30 failing messages; sent on 3 of 3 days with reports, about 10 per sending day"),
                    new Evidence(Evidence.Kind.DKIM, "DKIM passes for esp.example, not aligned with example.com"));
            assertThat(esp.perDay()).containsExactly(Map.entry(LocalDate.of(2025, 11, 1), 10.0),
                    Map.entry(LocalDate.of(2025, 11, 2), 10.0), Map.entry(LocalDate.of(2025, 11, 3), 10.0));
        }
    }

    @Test
    void subdomainsFollowSpAndSpInheritsP() throws Exception {
        try (Store store = load(Reports.day("sub", 1).record("192.0.2.10", 8, "news.example.com", null, "x.example:pass", "fail/fail")
                .record("192.0.2.11", 2, "example.com", null, "x.example:pass", "fail/fail"))) {
            WhatIfResult none = run(store, new Proposal(Disposition.REJECT, Disposition.NONE, null, false, null, null));
            assertThat(none.rejected()).isEqualTo(2.0);
            assertThat(none.quarantined()).isZero();
            WhatIfResult inherited = run(store, Proposal.of(Disposition.QUARANTINE));
            assertThat(inherited.quarantined()).isEqualTo(10.0);
        }
    }

    @Test
    void pctAppliesAtRfc7489ReceiversOnly() throws Exception {
        try (Store store = load(
                Reports.day("old", 1).record("192.0.2.10", 100, "example.com", null, "x.example:pass", "fail/fail"),
                Reports.day("bis", 1).rfc9990().record("192.0.2.10", 40, "example.com", null, "x.example:pass", "fail/fail"))) {
            WhatIfResult result = run(store, new Proposal(Disposition.REJECT, null, 25, false, null, null));
            assertThat(result.rejected()).as("25 of 100, and all 40").isEqualTo(65.0);
            assertThat(result.quarantined()).as("the other 75 of 100").isEqualTo(75.0);
        }
    }

    @Test
    void testingTakesRfc9989ReceiversOneLevelDown() throws Exception {
        try (Store store = load(
                Reports.day("old", 1).record("192.0.2.10", 100, "example.com", null, "x.example:pass", "fail/fail"),
                Reports.day("bis", 1).rfc9990().record("192.0.2.10", 40, "example.com", null, "x.example:pass", "fail/fail"))) {
            WhatIfResult reject = run(store, new Proposal(Disposition.REJECT, null, null, true, null, null));
            assertThat(reject.rejected()).isEqualTo(100.0);
            assertThat(reject.quarantined()).isEqualTo(40.0);
            WhatIfResult quarantine = run(store, new Proposal(Disposition.QUARANTINE, null, null, true, null, null));
            assertThat(quarantine.quarantined()).isEqualTo(100.0);
        }
    }

    @Test
    void strictAlignmentBreaksSubdomainSigners() throws Exception {
        try (Store store = load(Reports.day("strict", 1)
                .record("192.0.2.20", 12, "example.com", "mail.example.com:pass", "bounce.example.com:pass", "pass/pass"))) {
            assertThat(run(store, Proposal.of(Disposition.REJECT)).senders()).isEmpty();
            WhatIfResult strict = run(store, new Proposal(Disposition.REJECT, null, null, false, "s", "s"));
            assertThat(classes(strict)).containsOnly(Map.entry("192.0.2.20", "misconfigured strict-alignment 12"));
            assertThat(strict.senders().get(0).fix()).startsWith("keep relaxed alignment");
            WhatIfResult dkimOnly = run(store, new Proposal(Disposition.REJECT, null, null, false, "s", null));
            assertThat(dkimOnly.senders()).as("SPF still aligns under relaxed aspf").isEmpty();
        }
    }

    @Test
    void aForwarderThatKeepsDkimIsNotAffected() throws Exception {
        try (Store store = load(Reports.day("fwd", 1)
                .record("198.51.100.6", 9, "example.com", "example.com:pass", "example.com:fail", "pass/fail",
                        "none", "<reason><type>forwarded</type></reason>"))) {
            assertThat(run(store, Proposal.of(Disposition.REJECT)).senders()).isEmpty();
        }
    }

    @Test
    void multiDayReportsAreSpreadProRataAndTotalsStayExact() throws Exception {
        try (Store store = load(Reports.day("week", 1).days(4).record("192.0.2.10", 10, "example.com", null, "x.example:pass", "fail/fail"))) {
            AffectedSender sender = run(store, Proposal.of(Disposition.QUARANTINE)).senders().get(0);
            assertThat(sender.failingMessages()).isEqualTo(10);
            assertThat(sender.perDay()).hasSize(4).allSatisfy((day, n) -> assertThat(n).isEqualTo(2.5));
        }
    }

    @Test
    void replayListsWhatReceiversActuallyQuarantined() throws Exception {
        try (Store store = load(
                Reports.day("before", 1).record("192.0.2.10", 10, "example.com", null, "x.example:pass", "fail/fail"),
                Reports.day("rollout", 2).policy("quarantine")
                        .record("192.0.2.10", 7, "example.com", null, "x.example:pass", "fail/fail", "quarantine", null)
                        .record("192.0.2.11", 3, "example.com", null, "x.example:pass", "fail/fail", "none",
                                "<reason><type>local_policy</type></reason>"))) {
            List<WhatIfResult.Replay> replay = run(store, Proposal.of(Disposition.QUARANTINE)).replay();
            assertThat(replay).singleElement().satisfies(r -> {
                assertThat(r.sourceIp()).isEqualTo("192.0.2.10");
                assertThat(r.publishedPolicy()).isEqualTo("quarantine");
                assertThat(r.quarantined()).isEqualTo(7);
                assertThat(r.perDay()).containsExactly(Map.entry(LocalDate.of(2025, 11, 2), 7.0));
            });
        }
    }
}
