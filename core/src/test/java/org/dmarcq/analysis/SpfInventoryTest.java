package org.dmarcq.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.dmarcq.spf.SpfAudit;
import org.dmarcq.spf.SpfDns;
import org.dmarcq.spf.SpfSnapshots;
import org.dmarcq.spf.ZoneFileDns;
import org.dmarcq.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attribution of reported mail to SPF terms, over ingested reports and a zone file. */
class SpfInventoryTest {
    @TempDir Path temp;

    private static final String ZONE = """
            $TTL 300
            example.com.        IN TXT "v=spf1 include:_spf.google.com ip4:192.0.2.25 include:servers.mcsv.net ~all"
            bounce.example.com. IN TXT "v=spf1 include:sendgrid.net include:i1.test include:i2.test include:i3.test include:i4.test include:i5.test include:i6.test include:i7.test include:i8.test include:i9.test include:i10.test -all"
            _spf.google.com.    IN TXT "v=spf1 ip4:209.85.128.0/17 ~all"
            servers.mcsv.net.   IN TXT "v=spf1 ip4:205.201.128.0/20 -all"
            sendgrid.net.       IN TXT "v=spf1 ip4:167.89.0.0/17 ~all"
            i1.test. IN TXT "v=spf1 -all"
            i2.test. IN TXT "v=spf1 -all"
            i3.test. IN TXT "v=spf1 -all"
            i4.test. IN TXT "v=spf1 -all"
            i5.test. IN TXT "v=spf1 -all"
            i6.test. IN TXT "v=spf1 -all"
            i7.test. IN TXT "v=spf1 -all"
            i8.test. IN TXT "v=spf1 -all"
            i9.test. IN TXT "v=spf1 -all"
            i10.test. IN TXT "v=spf1 ip4:10.9.9.9 -all"
            """;

    private Store load(Reports... reports) throws Exception {
        return Reports.load(temp, reports);
    }

    private SpfDns zone() throws Exception {
        Path file = temp.resolve("spf.zone");
        Files.writeString(file, ZONE);
        return ZoneFileDns.read(List.of(file));
    }

    private static Reports month() {
        return Reports.day("a", 1).days(30)
                .record("209.85.220.41", 500, "example.com", "example.com:pass", "example.com:pass", "pass/pass")
                .record("192.0.2.25", 40, "example.com", null, "example.com:softfail", "fail/fail")
                .record("203.0.113.9", 3, "example.com", null, "example.com:fail", "fail/fail")
                .record("167.89.1.2", 200, "example.com", "example.com:pass", "bounce.example.com:pass", "pass/pass")
                .record("198.51.100.77", 5, "example.com", null, "bounce.example.com:fail", "fail/fail");
    }

    private static List<SpfInventory.Domain> inventory(Store store, SpfDns dns) {
        List<String> domains = SpfInventory.domains(store, Scope.all());
        List<SpfAudit.Result> audits = SpfInventory.audit(domains, dns);
        return SpfInventory.run(store, Scope.all(), audits, dns, Classes.defaults(), Naming.defaults());
    }

    private static Map<String, SpfInventory.Term> terms(SpfInventory.Domain d) {
        return d.terms().stream().collect(Collectors.toMap(SpfInventory.Term::term, Function.identity()));
    }

    @Test
    void theDomainsAreThePolicyDomainsAndTheirBounceDomains() throws Exception {
        try (Store store = load(month())) {
            assertThat(SpfInventory.domains(store, Scope.all())).containsExactly("bounce.example.com", "example.com");
        }
    }

    @Test
    void eachTermCarriesTheMailItDecided() throws Exception {
        try (Store store = load(month())) {
            SpfInventory.Domain d = inventory(store, zone()).stream().filter(x -> x.audit().domain().equals("example.com"))
                    .findFirst().orElseThrow();
            Map<String, SpfInventory.Term> terms = terms(d);
            assertThat(terms.get("include:_spf.google.com")).extracting(SpfInventory.Term::status, SpfInventory.Term::messages,
                    SpfInventory.Term::sources, SpfInventory.Term::service).containsExactly("used", 500L, 1L, "Google Workspace / Gmail");
            assertThat(terms.get("include:_spf.google.com").spfAlignedMessages()).isEqualTo(500);
            // the on-premises relay still sends through its ip4: term
            assertThat(terms.get("ip4:192.0.2.25")).extracting(SpfInventory.Term::status, SpfInventory.Term::messages)
                    .containsExactly("used", 40L);
            // a dead include: no mail over the 30 days
            assertThat(terms.get("include:servers.mcsv.net")).extracting(SpfInventory.Term::status, SpfInventory.Term::messages,
                    SpfInventory.Term::service).containsExactly("unused", 0L, "Mailchimp");
            assertThat(d.days()).isEqualTo(30);
            assertThat(d.unmatched()).extracting(SpfInventory.SourceResult::sourceIp, SpfInventory.SourceResult::result)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("203.0.113.9", "softfail"));
            // the relay's receivers said softfail; these records pass it: the cross-check says so
            assertThat(d.disagreements()).isEqualTo(1);
        }
    }

    @Test
    void aRecordPastTheLookupLimitNamesTheMailThatGetsPermerror() throws Exception {
        try (Store store = load(month())) {
            SpfInventory.Domain d = inventory(store, zone()).stream().filter(x -> x.audit().domain().equals("bounce.example.com"))
                    .findFirst().orElseThrow();
            assertThat(d.audit().verdict()).isEqualTo(SpfAudit.Verdict.PERMERROR);
            assertThat(d.audit().lookups()).isEqualTo(11);
            Map<String, SpfInventory.Term> terms = terms(d);
            // SendGrid's address matches at the first lookup and passes
            assertThat(terms.get("include:sendgrid.net")).extracting(SpfInventory.Term::status, SpfInventory.Term::messages)
                    .containsExactly("used", 200L);
            // everything else reaches the eleventh lookup: the silently broken record
            assertThat(terms.get("include:i10.test").status()).isEqualTo("permerror");
            assertThat(terms.get("include:i10.test").messages()).isEqualTo(5);
            assertThat(d.unmatched()).extracting(SpfInventory.SourceResult::sourceIp, SpfInventory.SourceResult::result)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("198.51.100.77", "permerror"));
        }
    }

    @Test
    void aSnapshotAnswersLaterRunsAsTheLookupsDid() throws Exception {
        try (Store store = load(month())) {
            SpfSnapshots.Recording recording = new SpfSnapshots.Recording(zone());
            List<SpfAudit.Result> audits = SpfInventory.audit(SpfInventory.domains(store, Scope.all()), recording);
            List<SpfInventory.Domain> live = SpfInventory.run(store, Scope.all(), audits, recording, Classes.defaults(),
                    Naming.defaults());
            SpfSnapshots.save(store, recording, "zone", java.time.LocalDateTime.of(2026, 12, 1, 12, 0), audits,
                    org.dmarcq.rules.PublicSuffixList.bundled());
            SpfSnapshots.Snapshot snapshot = SpfSnapshots.latest(store).orElseThrow();
            assertThat(snapshot.takenAt()).isEqualTo(java.time.LocalDateTime.of(2026, 12, 1, 12, 0));
            List<SpfInventory.Domain> offline = inventory(store, snapshot.dns());
            assertThat(offline).usingRecursiveComparison().isEqualTo(live);
        }
    }

    @Test
    void removingATermIsHarmlessWhereTheMailAlsoHasAlignedDkimAndBreaksWhereItHasNot() throws Exception {
        try (Store store = load(month())) {
            SpfDns dns = zone();
            // Google's mail is DKIM-signed as example.com: without its include SPF fails, DMARC still passes
            SpfInventory.WhatIf google = SpfInventory.whatIf(store, Scope.all(), "example.com",
                    "v=spf1 ip4:192.0.2.25 include:servers.mcsv.net ~all", dns, Classes.defaults(), Naming.defaults());
            assertThat(google.spfFailMessages()).isEqualTo(500);
            assertThat(google.dmarcFailMessages()).isZero();
            assertThat(google.lost()).extracting(SpfInventory.Affected::sourceIp).containsExactly("209.85.220.41");
            assertThat(google.proposed().lookups()).isEqualTo(1);
            // the relay signs nothing: without its ip4 term, what passes by SPF alone fails DMARC
            SpfInventory.WhatIf relay = SpfInventory.whatIf(store, Scope.all(), "example.com",
                    "v=spf1 include:_spf.google.com include:servers.mcsv.net ~all", dns, Classes.defaults(), Naming.defaults());
            assertThat(relay.lost()).extracting(SpfInventory.Affected::sourceIp, SpfInventory.Affected::messages)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("192.0.2.25", 40L));
            // its receivers said softfail, so none of its mail passed DMARC by SPF: nothing more fails
            assertThat(relay.dmarcFailMessages()).isZero();
            // a dead include goes without a trace
            SpfInventory.WhatIf dead = SpfInventory.whatIf(store, Scope.all(), "example.com",
                    "v=spf1 include:_spf.google.com ip4:192.0.2.25 ~all", dns, Classes.defaults(), Naming.defaults());
            assertThat(dead.lost()).isEmpty();
            assertThat(dead.spfFailMessages()).isZero();
        }
    }

    @Test
    void mailThatPassesDmarcBySpfAloneFailsWhenItsTermGoes() throws Exception {
        Reports r = Reports.day("b", 1).days(10)
                .record("192.0.2.25", 70, "example.com", null, "example.com:pass", "fail/pass");
        try (Store store = load(r)) {
            SpfInventory.WhatIf relay = SpfInventory.whatIf(store, Scope.all(), "example.com",
                    "v=spf1 include:_spf.google.com ~all", zone(), Classes.defaults(), Naming.defaults());
            assertThat(relay.spfFailMessages()).isEqualTo(70);
            assertThat(relay.dmarcFailMessages()).isEqualTo(70);
            assertThat(relay.lost().get(0).messagesPerDay()).isEqualTo(7.0);
        }
    }

    @Test
    void theOwnersOwnTermIsEvidenceAndASharedServicesIncludeIsNot() throws Exception {
        Reports r = Reports.day("c", 1).days(20)
                .record("192.0.2.25", 400, "example.com", null, "example.com:softfail", "fail/fail")
                .record("205.201.130.9", 400, "example.com", "mcsv.net:pass", "mail20.mcsv.net:pass", "fail/fail");
        try (Store store = load(r)) {
            SpfSnapshots.Recording recording = new SpfSnapshots.Recording(zone());
            List<SpfAudit.Result> audits = SpfInventory.audit(List.of("example.com"), recording);
            SpfSnapshots.save(store, recording, "zone", java.time.LocalDateTime.of(2026, 12, 1, 12, 0), audits,
                    org.dmarcq.rules.PublicSuffixList.bundled());
            WhatIfResult result = WhatIf.run(store, Scope.all(), Proposal.of(Disposition.QUARANTINE), Classes.defaults(),
                    Naming.defaults(), true);
            Map<String, AffectedSender> senders = result.senders().stream()
                    .collect(Collectors.toMap(AffectedSender::sourceIp, Function.identity()));
            AffectedSender relay = senders.get("192.0.2.25");
            assertThat(relay.senderClass()).isEqualTo(SenderClass.MISCONFIGURED);
            assertThat(relay.evidence()).anySatisfy(e -> assertThat(e.detail()).contains("'ip4:192.0.2.25' of example.com's SPF record")
                    .contains("a term of your own"));
            assertThat(relay.fix()).contains("authorised in your SPF record");
            AffectedSender mailchimp = senders.get("205.201.130.9");
            assertThat(mailchimp.senderClass()).isEqualTo(SenderClass.UNVERIFIED);
            assertThat(mailchimp.evidence()).anySatisfy(e -> assertThat(e.detail()).contains("include:servers.mcsv.net")
                    .contains("no evidence that the mail is yours"));
        }
    }

    @Test
    void anUnusedTermSaysWhatItPassedUnderAnEarlierSnapshotAndAChangedRecordSaysSo() throws Exception {
        try (Store store = load(month())) {
            // a month ago Mailchimp's record held the forger's block, and bounce.example.com had a short record
            Path then = temp.resolve("then.zone");
            Files.writeString(then, ZONE.replace("v=spf1 ip4:205.201.128.0/20 -all", "v=spf1 ip4:203.0.113.0/24 -all")
                    .replaceFirst("bounce.example.com. IN TXT \"[^\"]*\"", "bounce.example.com. IN TXT \"v=spf1 include:sendgrid.net -all\""));
            SpfSnapshots.Recording recording = new SpfSnapshots.Recording(ZoneFileDns.read(List.of(then)));
            List<SpfAudit.Result> old = SpfInventory.audit(SpfInventory.domains(store, Scope.all()), recording);
            SpfSnapshots.save(store, recording, "zone", java.time.LocalDateTime.of(2026, 11, 1, 12, 0), old,
                    org.dmarcq.rules.PublicSuffixList.bundled());
            SpfDns now = zone();
            List<SpfInventory.Domain> domains = SpfInventory.run(store, Scope.all(), SpfInventory.audit(SpfInventory.domains(store,
                    Scope.all()), now), now, SpfSnapshots.newest(store, 3), Classes.defaults(), Naming.defaults());
            SpfInventory.Domain example = domains.stream().filter(d -> d.audit().domain().equals("example.com")).findFirst().orElseThrow();
            SpfInventory.Term mailchimp = terms(example).get("include:servers.mcsv.net");
            assertThat(mailchimp.status()).isEqualTo("unused");
            assertThat(mailchimp.earlier()).isNotNull();
            assertThat(mailchimp.earlier().sources()).isEqualTo(1);
            assertThat(mailchimp.earlier().names()).containsExactly("203.0.113.9");
            assertThat(example.previous().changed()).isFalse();
            SpfInventory.Domain bounce = domains.stream().filter(d -> d.audit().domain().equals("bounce.example.com")).findFirst()
                    .orElseThrow();
            assertThat(bounce.previous().changed()).isTrue();
            assertThat(bounce.previous().record()).isEqualTo("v=spf1 include:sendgrid.net -all");
        }
    }
}
