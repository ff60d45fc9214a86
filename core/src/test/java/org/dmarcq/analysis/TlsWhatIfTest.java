package org.dmarcq.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dmarcq.ingest.Ingest;
import org.dmarcq.ingest.IngestSummary;
import org.dmarcq.store.Store;
import org.dmarcq.tlsrpt.StsPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MTA-STS enforce simulated on a week of TLS reports written for each case. */
class TlsWhatIfTest {
    @TempDir Path temp;

    /** A one-day report of example.com's STS policy (mx1, mx2) with the given failure details. */
    private static String report(int day, String mode, long successful, long failed, String... details) {
        return """
                {"organization-name":"Google Inc.","report-id":"r-%1$d","contact-info":"tls@google.com",
                 "date-range":{"start-datetime":"2025-11-%1$02dT00:00:00Z","end-datetime":"2025-11-%1$02dT23:59:59Z"},
                 "policies":[{"policy":{"policy-type":"sts","policy-domain":"example.com",
                   "policy-string":["version: STSv1","mode: %2$s","mx: mx1.example.com","mx: mx2.example.com","max_age: 86400"],
                   "mx-host":["mx1.example.com","mx2.example.com"]},
                  "summary":{"total-successful-session-count":%3$d,"total-failure-session-count":%4$d},
                  "failure-details":[%5$s]}]}
                """.formatted(day, mode, successful, failed, String.join(",", details));
    }

    private static String detail(String type, String mx, long sessions) {
        return "{\"result-type\":\"" + type + "\",\"sending-mta-ip\":\"209.85.220.41\",\"receiving-mx-hostname\":\"" + mx
                + "\",\"failed-session-count\":" + sessions + "}";
    }

    private Store week(List<String> reports) throws Exception {
        Store store = Store.open(temp.resolve("t.duckdb"));
        List<String> files = new ArrayList<>();
        for (String r : reports) {
            Path f = temp.resolve("r" + files.size() + ".json");
            Files.writeString(f, r);
            files.add(f.toString());
        }
        IngestSummary summary = Ingest.into(store).run(files);
        assertThat(summary.problems()).isEmpty();
        assertThat(summary.tlsReports()).isEqualTo(reports.size());
        return store;
    }

    private static TlsEnforcement only(List<TlsEnforcement> results) {
        assertThat(results).hasSize(1);
        return results.get(0);
    }

    @Test
    void aCauseThatStoppedWellBeforeTheEndIsResolvedAndDoesNotBlock() throws Exception {
        List<String> reports = new ArrayList<>();
        for (int day = 1; day <= 20; day++) {
            // an expired certificate on days 2 and 3, renewed since
            reports.add(day == 2 || day == 3 ? report(day, "testing", 990, 10, detail("certificate-expired", "mx2.example.com", 10))
                    : report(day, "testing", 1000, 0));
        }
        try (Store store = week(reports)) {
            TlsEnforcement r = only(TlsWhatIf.enforce(store, Scope.all(), null, 7));
            assertThat(r.verdict()).isEqualTo("safe");
            assertThat(r.sentence()).isEqualTo("switching MTA-STS to mode: enforce is safe");
            assertThat(r.wouldFail()).isZero();
            assertThat(r.causes()).singleElement().satisfies(c -> {
                assertThat(c.cause()).isEqualTo("certificate-expired");
                assertThat(c.resolved()).isTrue();
                assertThat(c.lastDay()).hasToString("2025-11-03");
            });
            assertThat(r.because()).anyMatch(b -> b.startsWith("resolved, not seen in the last 7 days of reports"));
            assertThat(only(TlsWhatIf.enforce(store, Scope.all(), null, 7, 30)).verdict()).as("with a longer memory")
                    .isEqualTo("not safe");
        }
    }

    @Test
    void aCleanWeekIsSafe() throws Exception {
        List<String> reports = new ArrayList<>();
        for (int day = 1; day <= 7; day++) {
            reports.add(report(day, "testing", 1000, 0));
        }
        try (Store store = week(reports)) {
            TlsEnforcement r = only(TlsWhatIf.enforce(store, Scope.all(), null, 7));
            assertThat(r.verdict()).isEqualTo("safe");
            assertThat(r.testingSessions()).isEqualTo(7000);
            assertThat(r.wouldFail()).isZero();
            assertThat(r.causes()).isEmpty();
        }
    }

    @Test
    void failuresAreGroupedByCauseAndAnMxOutsideThePolicyIsNamed() throws Exception {
        List<String> reports = new ArrayList<>();
        for (int day = 1; day <= 7; day++) {
            reports.add(report(day, "testing", 1000, 6, detail("certificate-host-mismatch", "mx3.example.com", 4),
                    detail("certificate-expired", "mx2.example.com", 1), detail("sts-policy-fetch-error", "mx1.example.com", 1)));
        }
        try (Store store = week(reports)) {
            TlsEnforcement r = only(TlsWhatIf.enforce(store, Scope.all(), null, 7));
            assertThat(r.verdict()).isEqualTo("not safe");
            assertThat(r.failedInTesting()).isEqualTo(42);
            assertThat(r.wouldFail()).as("policy fetch errors do not block delivery").isEqualTo(35);
            assertThat(r.causes()).extracting(TlsEnforcement.Cause::cause, TlsEnforcement.Cause::sessions, TlsEnforcement.Cause::blocksDelivery)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("mx-not-in-policy", 28L, true),
                            org.assertj.core.groups.Tuple.tuple("certificate-expired", 7L, true),
                            org.assertj.core.groups.Tuple.tuple("policy-fetch-error", 7L, false));
            assertThat(r.causes().get(0).fix()).startsWith("add an mx: line matching mx3.example.com");

            StsPolicy proposed = StsPolicy.parse("version: STSv1\nmode: enforce\nmx: *.example.com\nmax_age: 604800\n");
            TlsEnforcement withPolicy = only(TlsWhatIf.enforce(store, Scope.all(), proposed, 7));
            assertThat(withPolicy.policyCheck().unmatched()).isEmpty();
            assertThat(withPolicy.policyCheck().mxSeen()).containsExactly("mx1.example.com", "mx2.example.com", "mx3.example.com");
            assertThat(withPolicy.causes()).extracting(TlsEnforcement.Cause::cause)
                    .as("mx3 is in the new policy; its certificate still does not name it")
                    .containsExactly("certificate-host-mismatch", "certificate-expired", "policy-fetch-error");

            StsPolicy narrow = StsPolicy.parse("version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 604800\n");
            TlsEnforcement narrowed = only(TlsWhatIf.enforce(store, Scope.all(), narrow, 7));
            assertThat(narrowed.policyCheck().unmatched()).containsExactly("mx2.example.com", "mx3.example.com");
            assertThat(narrowed.because()).anyMatch(b -> b.contains("do not match mx2.example.com, mx3.example.com"));
        }
    }

    @Test
    void failuresWithoutDetailsCountAsBlockingAndTooFewDaysAreNotEnough() throws Exception {
        try (Store store = week(List.of(report(1, "testing", 100, 5), report(2, "testing", 100, 0)))) {
            TlsEnforcement r = only(TlsWhatIf.enforce(store, Scope.all(), null, 7));
            assertThat(r.verdict()).isEqualTo("not enough data");
            assertThat(r.wouldFail()).isEqualTo(5);
            assertThat(r.causes()).extracting(TlsEnforcement.Cause::cause).containsExactly("no-details");
            assertThat(r.because()).contains("only 2 days of reports; 7 needed");
        }
    }

    @Test
    void sessionsUnderEnforceAreNotTheTestingPeriod() throws Exception {
        try (Store store = week(List.of(report(1, "enforce", 100, 2, detail("starttls-not-supported", "mx1.example.com", 2))))) {
            TlsEnforcement r = only(TlsWhatIf.enforce(store, Scope.all(), null, 1));
            assertThat(r.verdict()).isEqualTo("already enforced");
            assertThat(r.testingSessions()).isZero();
        }
    }
}
