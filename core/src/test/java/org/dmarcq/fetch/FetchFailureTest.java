package org.dmarcq.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dmarcq.ingest.IngestOptions;
import org.dmarcq.rules.PublicSuffixList;
import org.dmarcq.store.Store;
import org.dmarcq.store.Wait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What dies in between: a fetch killed with SIGKILL mid-batch, a connection cut mid-batch, a
 * server gone while watching. Afterwards the database holds every report once, and no message
 * was archived whose reports are not stored.
 */
class FetchFailureTest {
    static final int MESSAGES = 120;

    @TempDir Path temp;
    ImapServer server;

    @BeforeEach
    void start() {
        server = new ImapServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Fetch fetch(Path db, int port, Fetch.After after, String archive, int batch, FetchListener listener) {
        MailboxUrl url = MailboxUrl.parse("imaps://rua%40example.com@localhost:" + port + "/INBOX");
        ImapMailbox.Settings settings = new ImapMailbox.Settings(url, ImapMailbox.Login.PASSWORD, () -> ImapServer.PASSWORD,
                ImapServer.CA, false, Duration.ofSeconds(10));
        return new Fetch(() -> ImapMailbox.connect(settings), db, Wait.NONE, PublicSuffixList.bundled(),
                new Fetch.Options(after, archive, batch, null, false, IngestOptions.defaults()), listener);
    }

    @Test
    void killedMidBatchThenRunAgainEqualsACleanRun() throws Exception {
        server.deliverReports("INBOX", "kill", MESSAGES);
        Path db = temp.resolve("killed.duckdb");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Child.class.getName(), db.toString(),
                String.valueOf(server.imapsPort()), ImapServer.CA.toString()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            int batches = 0;
            for (String line; batches < 4 && (line = out.readLine()) != null; ) {
                if (line.startsWith("batch ")) {
                    batches++;
                }
            }
            assertThat(batches).as("batches the child finished before the kill").isEqualTo(4);
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertArchivedAreStored(db);
        assertThat(server.subjects("Archive.Aggregate")).as("filed before the kill").isNotEmpty();
        assertThat(server.subjects("INBOX")).as("left for the next run").isNotEmpty();

        fetch(db, server.imapsPort(), Fetch.After.ARCHIVE, "Archive", 10, FetchListener.NONE).once(List.of("INBOX"));
        assertThat(server.subjects("INBOX")).isEmpty();
        assertThat(server.subjects("Archive.Aggregate")).hasSize(MESSAGES);
        assertArchivedAreStored(db);
        assertThat(rows(db, "SELECT count(*), count(DISTINCT report_id), sum(record_count) FROM reports"))
                .containsExactly(MESSAGES + " " + MESSAGES + " " + (MESSAGES * 5));
        assertThat(rows(db, "SELECT count(*) FROM records")).containsExactly(String.valueOf(MESSAGES * 5));
        assertThat(rows(db, "SELECT count(*), count(DISTINCT uid) FROM fetch_messages WHERE outcome IN ('stored', 'duplicate')"))
                .as("every message accounted for once").containsExactly(MESSAGES + " " + MESSAGES);
        assertThat(rows(db, "SELECT count(*) FROM fetch_messages WHERE NOT disposed")).containsExactly("0");

        // a clean run over the same messages (now in the archive) stores the same
        Path clean = temp.resolve("clean.duckdb");
        fetch(clean, server.imapsPort(), Fetch.After.LEAVE, null, 10, FetchListener.NONE).once(List.of("Archive.Aggregate"));
        for (String fingerprint : List.of("SELECT report_id, org_name, begin_time, end_time, record_count, message_count FROM reports ORDER BY 1",
                "SELECT p.report_id, r.record_index, r.source_ip, r.count, r.disposition, r.policy_dkim, r.policy_spf, r.header_from FROM records r JOIN reports p USING (report_key)"
                        + " ORDER BY ALL",
                "SELECT p.report_id, s.domain, s.result FROM spf_results s JOIN records r USING (record_key) JOIN reports p"
                        + " USING (report_key) ORDER BY ALL")) {
            assertThat(rows(db, fingerprint)).as(fingerprint).isEqualTo(rows(clean, fingerprint));
        }
    }

    /** Every message in the archive has its report in the database. */
    private void assertArchivedAreStored(Path db) throws SQLException {
        List<String> stored = rows(db, "SELECT report_id FROM reports");
        for (String subject : server.subjects("Archive.Aggregate")) {
            assertThat(stored).as("archived: " + subject).contains(subject.substring(subject.indexOf("Report-ID: ") + 11));
        }
    }

    @Test
    void aConnectionCutMidBatchStoresWholeBatchesOnlyAndTheNextRunCompletes() throws Exception {
        server.deliverReports("INBOX", "cut", MESSAGES);
        Path db = temp.resolve("cut.duckdb");
        try (TcpProxy proxy = new TcpProxy(server.imapsPort())) {
            List<Long> batches = new ArrayList<>();
            Fetch fetch = fetch(db, proxy.port(), Fetch.After.ARCHIVE, "Archive", 10, new FetchListener() {
                @Override
                public void batchDone(String folder, FetchSummary batch) {
                    batches.add(batch.read());
                    if (batches.size() == 3) {
                        proxy.cutAfter(20_000); // inside the next batches' download
                    }
                }
            });
            assertThatThrownBy(() -> fetch.once(List.of("INBOX"))).isInstanceOf(FetchException.class)
                    .hasMessageContaining("connection").satisfies(e -> assertThat(((FetchException) e).retryable()).isTrue());
            assertThat(batches).hasSizeGreaterThanOrEqualTo(3);
        }
        assertArchivedAreStored(db);
        assertThat(rows(db, "SELECT count(*) FROM reports r WHERE record_count <> (SELECT count(*) FROM records c"
                + " WHERE c.report_key = r.report_key)")).as("partial reports").containsExactly("0");
        fetch(db, server.imapsPort(), Fetch.After.ARCHIVE, "Archive", 10, FetchListener.NONE).once(List.of("INBOX"));
        assertThat(rows(db, "SELECT count(*), count(DISTINCT report_id) FROM reports")).containsExactly(MESSAGES + " " + MESSAGES);
        assertThat(server.subjects("Archive.Aggregate")).hasSize(MESSAGES);
        assertThat(server.subjects("INBOX")).isEmpty();
    }

    @Test
    void watchPicksUpMailDeliveredWhileItWaitsAndReconnectsAfterADrop() throws Exception {
        server.deliverReports("INBOX", "watch-a", 2);
        Path db = temp.resolve("watch.duckdb");
        BlockingQueue<FetchSummary> passes = new LinkedBlockingQueue<>();
        List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (TcpProxy proxy = new TcpProxy(server.imapsPort())) {
            Fetch fetch = fetch(db, proxy.port(), Fetch.After.ARCHIVE, "Archive", 10, new FetchListener() {
                @Override
                public void note(String line) {
                    notes.add(line);
                }
            });
            List<Throwable> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread watching = new Thread(() -> {
                try {
                    fetch.watch(List.of("INBOX"), Duration.ofSeconds(60), passes::add);
                } catch (Throwable t) {
                    failed.add(t);
                }
            });
            watching.start();
            FetchSummary first = passes.poll(30, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(first.reports()).isEqualTo(2);

            // IDLE wakes it: far sooner than the 60 s interval
            server.deliverReports("INBOX", "watch-b", 1);
            FetchSummary second = next(passes);
            assertThat(second).as("a pass after delivery, within 20 s").isNotNull();
            assertThat(second.reports()).isEqualTo(1);

            proxy.cutAll(); // the server "restarts"
            Thread.sleep(500);
            server.deliverReports("INBOX", "watch-c", 1);
            FetchSummary third = next(passes);
            assertThat(third).as("a pass after reconnecting").isNotNull();
            assertThat(third.reports()).isEqualTo(1);
            assertThat(notes).anySatisfy(n -> assertThat(n).contains("connecting again"));

            fetch.stop();
            watching.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(watching.isAlive()).isFalse();
            assertThat(failed).isEmpty();
        }
        assertThat(rows(db, "SELECT count(*) FROM reports")).containsExactly("4");
    }

    /** The next pass that read something, within 20 s (an IDLE may end with nothing new). */
    private static FetchSummary next(BlockingQueue<FetchSummary> passes) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            FetchSummary s = passes.poll(Math.max(1, (end - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (s != null && s.read() > 0) {
                return s;
            }
        }
        return null;
    }

    static List<String> rows(Path db, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Store store = Store.openReadOnly(db); Statement s = store.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i > 1 ? " " : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    /** A fetch in its own JVM, to be killed: prints a line per batch done. */
    public static final class Child {
        public static void main(String[] args) {
            MailboxUrl url = MailboxUrl.parse("imaps://rua%40example.com@localhost:" + args[1] + "/INBOX");
            ImapMailbox.Settings settings = new ImapMailbox.Settings(url, ImapMailbox.Login.PASSWORD, () -> ImapServer.PASSWORD,
                    Path.of(args[2]), false, Duration.ofSeconds(10));
            new Fetch(() -> ImapMailbox.connect(settings), Path.of(args[0]), Wait.NONE, PublicSuffixList.bundled(),
                    new Fetch.Options(Fetch.After.ARCHIVE, "Archive", 5, null, false, IngestOptions.defaults()), new FetchListener() {
                        @Override
                        public void batchDone(String folder, FetchSummary batch) {
                            System.out.println("batch " + batch.read());
                            System.out.flush();
                        }
                    }).once(List.of("INBOX"));
        }
    }
}
