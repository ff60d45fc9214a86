package org.dmarcq.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dmarcq.ingest.IngestOptions;
import org.dmarcq.rules.PublicSuffixList;
import org.dmarcq.store.Wait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dmarcq's fetch against a real IMAP server (GreenMail) in the test JVM. */
class FetchTest {
    static final Path REPORTS = ImapServer.REPORTS;

    @TempDir Path temp;
    ImapServer server;
    Path db;

    @BeforeEach
    void start() {
        server = new ImapServer();
        db = temp.resolve("fetch.duckdb");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Fetch fetch(Fetch.After after, String archive) {
        return fetch(after, archive, false, ImapMailbox.Login.PASSWORD, ImapServer.PASSWORD);
    }

    Fetch fetch(Fetch.After after, String archive, boolean retryInvalid, ImapMailbox.Login login, String secret) {
        MailboxUrl url = MailboxUrl.parse(server.url("INBOX"));
        ImapMailbox.Settings settings = new ImapMailbox.Settings(url, login, () -> secret, ImapServer.CA, false, Duration.ofSeconds(10));
        return new Fetch(() -> ImapMailbox.connect(settings), db, Wait.NONE, PublicSuffixList.bundled(),
                new Fetch.Options(after, archive, 3, null, retryInvalid, IngestOptions.defaults()), FetchListener.NONE);
    }

    @Test
    void archivesEachMessageOnlyAfterItsReportsAreStoredAndASecondRunReadsNothing() throws Exception {
        server.fill("INBOX");
        FetchSummary first = fetch(Fetch.After.ARCHIVE, "DMARC").once(List.of("INBOX"));
        assertThat(first.read()).isEqualTo(7);
        assertThat(first.stored()).isEqualTo(6);
        assertThat(first.invalid()).isEqualTo(1);
        assertThat(first.reports()).isEqualTo(7);
        assertThat(first.tlsReports()).isEqualTo(1);
        assertThat(first.problems()).hasSize(1);
        assertThat(first.problems().get(0).toString()).startsWith("INBOX UID 7 \"broken\"");
        assertThat(server.subjects("INBOX")).isEmpty();
        assertThat(server.subjects("DMARC.Aggregate")).hasSize(5);
        assertThat(server.subjects("DMARC.TLS")).containsExactly("Report Domain: example.com TLS");
        assertThat(server.subjects("DMARC.Invalid")).containsExactly("broken");
        assertThat(rows("SELECT outcome, count(*) FROM fetch_messages GROUP BY 1 ORDER BY 1")).containsExactly("invalid 1", "stored 6");
        assertThat(rows("SELECT count(*) FROM fetch_messages WHERE NOT disposed")).containsExactly("0");
        assertThat(rows("SELECT error FROM fetch_messages WHERE outcome = 'invalid'")).singleElement().asString()
                .startsWith("INBOX UID 7 \"broken\"");
        assertThat(rows("SELECT folder, last_uid FROM fetch_checkpoints")).containsExactly("INBOX 7");

        FetchSummary second = fetch(Fetch.After.ARCHIVE, "DMARC").once(List.of("INBOX"));
        assertThat(second.read()).isZero();
    }

    @Test
    void leaveReadsEachMessageOnceAndChangesNothingOnTheServer() throws Exception {
        server.fill("INBOX");
        assertThat(fetch(Fetch.After.LEAVE, null).once(List.of("INBOX")).read()).isEqualTo(7);
        assertThat(server.subjects("INBOX")).hasSize(7);
        assertThat(server.seen("INBOX")).isZero();
        server.deliverAttachments("INBOX", "new one", REPORTS.resolve("element-order.xml"));
        FetchSummary second = fetch(Fetch.After.LEAVE, null).once(List.of("INBOX"));
        assertThat(second.read()).isEqualTo(1);
        assertThat(second.reports()).isEqualTo(1);
    }

    @Test
    void markSeenFlagsTheMessagesRead() throws Exception {
        server.fill("INBOX");
        fetch(Fetch.After.MARK_SEEN, null).once(List.of("INBOX"));
        assertThat(server.seen("INBOX")).isEqualTo(7);
    }

    @Test
    void aChangedUidValidityReadsTheFolderAgainAndDedupeKeepsEachReportOnce() throws Exception {
        server.fill("Reports");
        fetch(Fetch.After.LEAVE, null).once(List.of("Reports"));
        long reports = Long.parseLong(rows("SELECT count(*) FROM reports").get(0));
        server.recreate("Reports");
        List<String> notes = new ArrayList<>();
        MailboxUrl url = MailboxUrl.parse(server.url("Reports"));
        ImapMailbox.Settings settings = new ImapMailbox.Settings(url, ImapMailbox.Login.PASSWORD, () -> ImapServer.PASSWORD,
                ImapServer.CA, false, Duration.ofSeconds(10));
        FetchSummary again = new Fetch(() -> ImapMailbox.connect(settings), db, Wait.NONE, PublicSuffixList.bundled(),
                new Fetch.Options(Fetch.After.LEAVE, null, 3, null, false, IngestOptions.defaults()), new FetchListener() {
                    @Override
                    public void note(String line) {
                        notes.add(line);
                    }
                }).once(List.of("Reports"));
        assertThat(notes).anySatisfy(n -> assertThat(n).contains("UIDVALIDITY changed"));
        assertThat(again.read()).isEqualTo(7);
        assertThat(again.reports()).isZero();
        assertThat(again.duplicate()).isEqualTo(6);
        assertThat(rows("SELECT count(*) FROM reports")).containsExactly(String.valueOf(reports));
    }

    @Test
    void xoauth2LogsInWithTheTokenAndAWrongOneIsRefused() throws Exception {
        server.fill("INBOX");
        assertThat(fetch(Fetch.After.LEAVE, null, false, ImapMailbox.Login.XOAUTH2, ImapServer.PASSWORD).once(List.of("INBOX"))
                .read()).isEqualTo(7);
        assertThatThrownBy(() -> fetch(Fetch.After.LEAVE, null, false, ImapMailbox.Login.XOAUTH2, "expired").once(List.of("INBOX")))
                .isInstanceOf(FetchException.class).hasMessageContaining("refused").hasMessageContaining("token");
    }

    @Test
    void oneFetchAtATimePerDatabase() throws Exception {
        server.fill("INBOX");
        Fetch watching = fetch(Fetch.After.LEAVE, null);
        java.util.concurrent.BlockingQueue<FetchSummary> passes = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread t = new Thread(() -> watching.watch(List.of("INBOX"), Duration.ofSeconds(30), passes::add));
        t.start();
        try {
            assertThat(passes.poll(30, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
            assertThatThrownBy(() -> fetch(Fetch.After.ARCHIVE, "DMARC").once(List.of("INBOX"))).isInstanceOf(FetchException.class)
                    .hasMessageContaining("another dmarcq fetch is reading into");
            assertThat(server.subjects("INBOX")).as("the second did nothing").hasSize(7);
        } finally {
            watching.stop();
            t.join(30_000);
        }
        assertThat(fetch(Fetch.After.ARCHIVE, "DMARC").once(List.of("INBOX")).read()).as("after the first ended").isZero();
    }

    @Test
    void aSubjectCannotCloseItsQuotesInAnErrorLine() throws Exception {
        server.deliverAttachments("INBOX", "x\" INBOX UID 99 \"fake", ImapServer.BROKEN.resolve("cut-off.xml"));
        FetchSummary s = fetch(Fetch.After.LEAVE, null).once(List.of("INBOX"));
        assertThat(s.problems().get(0).toString()).startsWith("INBOX UID 1 \"x\\\" INBOX UID 99 \\\"fake\"!cut-off.xml");
    }

    List<String> rows(String sql) throws SQLException {
        return FetchFailureTest.rows(db, sql);
    }
}
