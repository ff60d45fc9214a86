package org.dmarcq.fetch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.dmarcq.ingest.FileOutcome;
import org.dmarcq.ingest.Ingest;
import org.dmarcq.ingest.IngestListener;
import org.dmarcq.ingest.IngestOptions;
import org.dmarcq.ingest.IngestProblem;
import org.dmarcq.rules.PublicSuffixList;
import org.dmarcq.store.Store;
import org.dmarcq.store.StoreException;
import org.dmarcq.store.Wait;

/**
 * Reads new messages from mailbox folders into the database, safe to interrupt at any point.
 *
 * <p>Per folder: the checkpoint (UIDVALIDITY and the highest UID done) says where the last run
 * stopped; a changed UIDVALIDITY means the UIDs were renumbered, and the folder is read from the
 * start (dedupe makes that harmless). Messages are read in batches, each downloaded with one
 * pipelined FETCH while the previous batch is parsed and stored. The reports of a batch, a row per
 * message ({@code fetch_messages}) and the checkpoint are committed in one transaction; only then
 * are the messages archived or flagged, and a row says whether that happened, so that a run that
 * died in between files them next time. A message is never filed away before its reports are stored.
 */
public final class Fetch {
    /** What happens to a message once its reports are committed. */
    public enum After { ARCHIVE, MARK_SEEN, LEAVE }

    /**
     * @param after what to do with messages read
     * @param archive the archive folder (for {@link After#ARCHIVE}): messages go to its subfolders
     *     {@code Aggregate}, {@code TLS} and {@code Invalid}
     * @param batch messages per batch, at most
     * @param since only messages received on or after this day (null: all)
     * @param retryInvalid read the archive's {@code Invalid} folder again instead of the folders
     * @param ingest limits of parsing, as for files
     */
    public record Options(After after, String archive, int batch, LocalDate since, boolean retryInvalid, IngestOptions ingest) {
        public Options {
            Objects.requireNonNull(after);
            Objects.requireNonNull(ingest);
            if (after == After.ARCHIVE && (archive == null || archive.isBlank())) {
                throw new IllegalArgumentException("archiving needs an archive folder");
            }
            if (retryInvalid && after != After.ARCHIVE) {
                throw new IllegalArgumentException("reading the invalid folder again needs the archive folder it lies in");
            }
            if (batch < 1) {
                throw new IllegalArgumentException("a batch holds at least one message");
            }
        }
    }

    /** Bytes of messages per batch, at most (a larger message makes a batch of its own). */
    static final long BATCH_BYTES = 32L << 20;
    /** Characters kept of a subject or Message-ID: they come from whoever sent the message. */
    static final int MAX_HEADER = 300;
    private static final int ROWS_PER_INSERT = 100;
    /** With {@code -Ddmarcq.timing}, each batch's times on standard error: for the benchmark notes. */
    private static final boolean TIMING = System.getProperty("dmarcq.timing") != null;

    private final Supplier<Mailbox> connect;
    private final Path file;
    private final Wait wait;
    private final PublicSuffixList suffixes;
    private final Options options;
    private final FetchListener listener;
    private volatile boolean stopping;
    private volatile Mailbox current;
    /** The highest UID read per folder in this run, under the UIDVALIDITY it was read with. */
    private final Map<String, Long> lastUid = new java.util.concurrent.ConcurrentHashMap<>();

    public Fetch(Supplier<Mailbox> connect, Path file, Wait wait, PublicSuffixList suffixes, Options options, FetchListener listener) {
        this.connect = Objects.requireNonNull(connect);
        this.file = Objects.requireNonNull(file);
        this.wait = Objects.requireNonNull(wait);
        this.suffixes = Objects.requireNonNull(suffixes);
        this.options = Objects.requireNonNull(options);
        this.listener = Objects.requireNonNull(listener);
    }

    /** Asks a running fetch to stop after the batch in progress is committed and filed; callable from any thread. */
    public void stop() {
        stopping = true;
        Mailbox m = current;
        if (m != null) {
            m.wake();
        }
    }

    public boolean stopping() {
        return stopping;
    }

    /** Reads the folders once. */
    public FetchSummary once(List<String> folders) {
        try (Mailbox mailbox = connect.get()) {
            current = mailbox;
            check(mailbox, folders);
            try (Locked locked = lock()) {
                Store.open(file, wait).close(); // logged in: creates the file, or brings its schema up to date
                return pass(mailbox, folders);
            }
        } catch (IOException e) {
            throw new FetchException(lockFile() + ": " + e.getMessage(), e);
        } finally {
            current = null;
        }
    }

    /** The file beside the database that one fetch at a time holds locked. */
    private Path lockFile() {
        return file.resolveSibling(file.getFileName() + ".fetch-lock");
    }

    /**
     * One fetch at a time per database: two would read the same messages and file them from under
     * each other. Waits as {@link #wait} says for the other to finish.
     */
    private interface Locked extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    private Locked lock() throws IOException {
        FileChannel channel = FileChannel.open(lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        long end = System.nanoTime() + wait.most().toNanos();
        boolean said = false;
        while (true) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null; // held in this JVM
            }
            if (lock != null) {
                FileLock held = lock;
                return () -> {
                    held.release();
                    channel.close();
                };
            }
            if (System.nanoTime() >= end || stopping) {
                channel.close();
                throw new FetchException("another dmarcq fetch is reading into " + file + " (it holds " + lockFile()
                        + "); nothing done" + wait.hint(), null);
            }
            if (!said) {
                wait.waiting().accept("another dmarcq fetch is reading into " + file + "; waiting for it to finish");
                said = true;
            }
            sleep(Duration.ofMillis(500));
        }
    }

    /**
     * Reads the folders, then waits for new mail (IDLE on the folder when there is one and the
     * server has it, otherwise every {@code interval}) and reads again, until {@link #stop()};
     * reconnects after a lost connection, waiting longer each time (up to five minutes).
     * {@code passDone} gets each pass's totals.
     */
    public void watch(List<String> folders, Duration interval, java.util.function.Consumer<FetchSummary> passDone) {
        try (Locked locked = lock()) {
            watchLocked(folders, interval, passDone);
        } catch (IOException e) {
            throw new FetchException(lockFile() + ": " + e.getMessage(), e);
        }
    }

    private void watchLocked(List<String> folders, Duration interval, java.util.function.Consumer<FetchSummary> passDone) {
        Duration backoff = Duration.ofSeconds(1);
        while (!stopping) {
            try (Mailbox mailbox = connect.get()) {
                current = mailbox;
                check(mailbox, folders);
                Store.open(file, wait).close();
                backoff = Duration.ofSeconds(1);
                while (!stopping) {
                    passDone.accept(pass(mailbox, folders));
                    if (stopping) {
                        break;
                    }
                    awaitMail(mailbox, folders, interval);
                }
            } catch (FetchException e) {
                if (!e.retryable() || stopping) {
                    throw e;
                }
                listener.note(e.getMessage() + "; connecting again in " + backoff.toSeconds() + " s");
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofMinutes(5)) > 0 ? Duration.ofMinutes(5) : backoff.multipliedBy(2);
            } finally {
                current = null;
            }
        }
    }

    /**
     * Waits up to {@code interval} for new mail. With one folder, IDLE on it (where the server has
     * it) in stretches the mailbox chooses, checking for new UIDs before each: a message delivered
     * just before an IDLE began is not announced by it. Messages that change or go away do not end
     * the wait; new ones do.
     */
    private void awaitMail(Mailbox mailbox, List<String> folders, Duration interval) {
        long deadline = System.nanoTime() + interval.toNanos();
        boolean one = folders.size() == 1 && !options.retryInvalid();
        if (one) {
            mailbox.select(folders.get(0), false);
        }
        while (!stopping) {
            if (one && !mailbox.uidsAfter(lastUid.getOrDefault(folders.get(0), 0L), options.since()).isEmpty()) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            mailbox.await(Duration.ofNanos(left));
            if (!one) {
                return;
            }
        }
    }

    /**
     * Once per connection: fails on a folder that does not exist before anything is written, and
     * creates the archive's folders that are missing.
     */
    private void check(Mailbox mailbox, List<String> folders) {
        if (!options.retryInvalid()) {
            for (String f : folders) {
                mailbox.select(f, false);
            }
        }
        if (options.after() == After.ARCHIVE) {
            char sep = mailbox.separator();
            for (String sub : List.of("Aggregate", "TLS", "Invalid")) {
                mailbox.create(options.archive() + sep + sub);
            }
        }
    }

    private void sleep(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (!stopping && System.nanoTime() < end) {
            try {
                Thread.sleep(Math.min(200, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private FetchSummary pass(Mailbox mailbox, List<String> folders) {
        FetchSummary total = FetchSummary.EMPTY;
        List<String> read = options.retryInvalid() ? List.of(options.archive() + mailbox.separator() + "Invalid") : folders;
        for (String folder : read) {
            if (stopping) {
                break;
            }
            total = total.plus(folder(mailbox, folder));
        }
        return total;
    }

    /** One message read: its envelope, and what became of it once stored. */
    private record Done(Mailbox.Envelope envelope, String outcome, FileOutcome ingested, String error, String disposition) {}

    private FetchSummary folder(Mailbox mailbox, String folder) {
        boolean write = options.after() != After.LEAVE;
        long validity = mailbox.select(folder, write);
        String account = mailbox.account();
        long after = 0;
        FolderState state = state(account, folder, validity);
        if (!options.retryInvalid()) {
            long[] checkpoint = state.checkpoint();
            if (checkpoint != null && checkpoint[0] == validity) {
                after = checkpoint[1];
            } else if (checkpoint != null) {
                listener.note(folder + ": UIDVALIDITY changed (" + checkpoint[0] + " to " + validity + "): the server renumbered"
                        + " the folder; reading all of it again (reports already stored are skipped as duplicates)");
            }
        }
        filePending(mailbox, account, folder, validity, state.pending());
        List<Long> uids = mailbox.uidsAfter(after, options.since());
        lastUid.put(folder, uids.isEmpty() ? after : uids.get(uids.size() - 1));
        listener.folderStarted(folder, uids.size());
        FetchSummary total = new FetchSummary(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of());
        if (uids.isEmpty()) {
            return total;
        }
        List<List<Mailbox.Envelope>> batches = batches(mailbox.envelopes(uids));
        ExecutorService download = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dmarcq-download");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<List<Mailbox.Content>> next = download.submit(() -> mailbox.contents(uidsOf(batches.get(0))));
            List<Long> undisposed = List.of();
            for (int i = 0; i < batches.size() && !stopping; i++) {
                long t0 = System.nanoTime();
                List<Mailbox.Content> contents = get(next);
                if (i + 1 < batches.size()) {
                    List<Long> following = uidsOf(batches.get(i + 1));
                    next = download.submit(() -> mailbox.contents(following));
                }
                long t1 = System.nanoTime();
                List<Done> done = store(mailbox, folder, validity, batches.get(i), contents, undisposed);
                long t2 = System.nanoTime();
                undisposed = file(mailbox, done);
                if (TIMING) {
                    System.err.printf(java.util.Locale.ROOT, "dmarcq timing: batch %d: waited %.3f s for the download, stored in %.3f s,"
                            + " filed in %.3f s%n", i, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (System.nanoTime() - t2) / 1e9);
                }
                FetchSummary batch = summary(done);
                listener.batchDone(folder, batch);
                total = total.plus(batch);
            }
            markDisposed(account, folder, validity, undisposed);
        } finally {
            download.shutdownNow();
        }
        return total;
    }

    /** The UIDs to download: not those larger than a file may be, which are invalid unread. */
    private List<Long> uidsOf(List<Mailbox.Envelope> envelopes) {
        return envelopes.stream().filter(e -> !tooLarge(e)).map(Mailbox.Envelope::uid).toList();
    }

    private boolean tooLarge(Mailbox.Envelope e) {
        return e.size() > options.ingest().maxBytes();
    }

    private static <T> T get(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException("interrupted while downloading", false, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Batches of at most {@code batch} messages and {@link #BATCH_BYTES}. */
    private List<List<Mailbox.Envelope>> batches(List<Mailbox.Envelope> envelopes) {
        List<List<Mailbox.Envelope>> batches = new ArrayList<>();
        List<Mailbox.Envelope> batch = new ArrayList<>();
        long bytes = 0;
        for (Mailbox.Envelope e : envelopes) {
            long size = Math.max(0, e.size());
            if (!batch.isEmpty() && (batch.size() >= options.batch() || bytes + size > BATCH_BYTES)) {
                batches.add(batch);
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(e);
            bytes += size;
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    /** How a message is named in error lines: folder, UID and subject. */
    private static String name(String folder, Mailbox.Envelope e) {
        // quotes and backslashes escaped: a subject must not close its quotes and forge a location after them
        String subject = e.subject() == null ? ""
                : " \"" + bounded(e.subject(), 80).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        return folder + " UID " + e.uid() + subject;
    }

    static String bounded(String s, int most) {
        if (s == null) {
            return null;
        }
        String one = s.replaceAll("[\\p{Cntrl}]+", " ");
        return one.length() <= most ? one : one.substring(0, most - 3) + "...";
    }

    /**
     * Stores the reports of a batch and, in the same transaction, a row per message and the
     * checkpoint, marking the previous batch filed.
     */
    private List<Done> store(Mailbox mailbox, String folder, long validity, List<Mailbox.Envelope> envelopes,
                             List<Mailbox.Content> contents, List<Long> previousFiled) {
        Map<Long, byte[]> bytes = new LinkedHashMap<>();
        contents.forEach(c -> bytes.put(c.uid(), c.bytes()));
        List<Mailbox.Envelope> present = envelopes.stream().filter(e -> bytes.containsKey(e.uid())).toList();
        List<Ingest.Held> held = new ArrayList<>();
        for (Mailbox.Envelope e : present) {
            held.add(new Ingest.Held(name(folder, e), bytes.get(e.uid())));
        }
        List<FileOutcome> outcomes = new ArrayList<>();
        List<Done> done = new ArrayList<>();
        String account = mailbox.account();
        long lastUid = envelopes.get(envelopes.size() - 1).uid();
        char separator = options.after() == After.ARCHIVE ? mailbox.separator() : '/';
        Ingest.into(file, wait)
                .options(options.ingest().withCommitInterval(Duration.ofDays(1)))
                .suffixes(suffixes)
                .listener(new IngestListener() {
                    @Override
                    public void fileDone(FileOutcome outcome) {
                        outcomes.add(outcome);
                    }
                })
                .alsoAtLastCommit(c -> {
                    done.clear();
                    int read = 0;
                    for (Mailbox.Envelope e : envelopes) {
                        if (bytes.containsKey(e.uid())) {
                            done.add(done(folder, separator, e, outcomes.get(read++)));
                        } else if (tooLarge(e)) {
                            FileOutcome unread = new FileOutcome(name(folder, e), 0, 0, 0, 0, 0, 0, List.of(), List.of(), 0, 0, 0);
                            done.add(done(folder, separator, e, withProblem(unread, "refused: the message is " + e.size()
                                    + " bytes, more than the limit of " + options.ingest().maxBytes() + " (--max-size); not read")));
                        } // else: gone from the folder since it was listed
                    }
                    record(c, account, folder, validity, done, lastUid, previousFiled);
                })
                .runHeld(held);
        for (Done d : done) {
            listener.messageDone(folder, d.envelope().uid(), d.outcome(), d.ingested());
        }
        return done;
    }

    private Done done(String folder, char separator, Mailbox.Envelope e, FileOutcome read) {
        FileOutcome o = read.failed() || read.reports() + read.tlsReports() + read.duplicates() > 0 ? read
                : withProblem(read, "no DMARC aggregate report or SMTP TLS report in it");
        String outcome;
        String error = null;
        if (o.failed()) {
            outcome = "invalid";
            IngestProblem first = o.problems().get(0);
            error = first.toString() + (o.problems().size() > 1 ? " (and " + (o.problems().size() - 1) + " more error lines)" : "");
        } else if (o.reports() + o.tlsReports() > 0) {
            outcome = "stored";
        } else {
            outcome = "duplicate";
        }
        String disposition = switch (options.after()) {
            case LEAVE -> "left";
            case MARK_SEEN -> "seen";
            case ARCHIVE -> {
                if (outcome.equals("invalid")) {
                    yield options.retryInvalid() ? "left" : "archive:" + options.archive() + separator + "Invalid";
                }
                boolean tlsOnly = o.reports() == 0 && o.duplicates() == o.tlsDuplicates() && o.tlsReports() + o.tlsDuplicates() > 0;
                yield "archive:" + options.archive() + separator + (tlsOnly ? "TLS" : "Aggregate");
            }
        };
        return new Done(e, outcome, o, error, disposition);
    }

    /** What a message gave, with one more problem: one of its own, not of a report in it. */
    private static FileOutcome withProblem(FileOutcome o, String message) {
        List<IngestProblem> problems = new ArrayList<>(o.problems());
        problems.add(new IngestProblem(o.file(), o.file(), message));
        return new FileOutcome(o.file(), o.reports(), o.duplicates(), o.records(), o.messages(), o.skippedRecords(),
                o.emailsWithoutReport(), List.copyOf(problems), o.warnings(), o.tlsReports(), o.tlsSessions(), o.tlsDuplicates());
    }

    private static void record(Connection c, String account, String folder, long validity, List<Done> done, long lastUid,
                               List<Long> previousFiled) throws SQLException {
        Timestamp now = Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC));
        // one statement of many rows: DuckDB runs a JDBC batch row by row, which at 200 rows takes seconds
        for (int from = 0; from < done.size(); from += ROWS_PER_INSERT) {
            List<Done> part = done.subList(from, Math.min(done.size(), from + ROWS_PER_INSERT));
            String row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO fetch_messages VALUES "
                    + String.join(", ", java.util.Collections.nCopies(part.size(), row)))) {
                int i = 0;
                for (Done d : part) {
                    Mailbox.Envelope e = d.envelope();
                    FileOutcome o = d.ingested();
                    ps.setString(++i, account);
                    ps.setString(++i, folder);
                    ps.setLong(++i, validity);
                    ps.setLong(++i, e.uid());
                    ps.setString(++i, bounded(e.messageId(), MAX_HEADER));
                    ps.setString(++i, bounded(e.subject(), MAX_HEADER));
                    ps.setLong(++i, e.size());
                    ps.setString(++i, d.outcome());
                    ps.setInt(++i, o.reports());
                    ps.setInt(++i, o.tlsReports());
                    ps.setInt(++i, o.duplicates());
                    ps.setString(++i, bounded(d.error(), 2000));
                    ps.setTimestamp(++i, now);
                    ps.setString(++i, d.disposition());
                    ps.setBoolean(++i, d.disposition().equals("left"));
                }
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO fetch_checkpoints VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, account);
            ps.setString(2, folder);
            ps.setLong(3, validity);
            ps.setLong(4, lastUid);
            ps.setTimestamp(5, now);
            ps.executeUpdate();
        }
        disposed(c, account, folder, validity, previousFiled);
    }

    private static void disposed(Connection c, String account, String folder, long validity, List<Long> uids) throws SQLException {
        if (uids.isEmpty()) {
            return;
        }
        StringBuilder in = new StringBuilder();
        for (long uid : uids) {
            in.append(in.length() == 0 ? "" : ",").append(uid);
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE fetch_messages SET disposed = true WHERE mailbox = ? AND folder = ?"
                + " AND uid_validity = ? AND uid IN (" + in + ")")) {
            ps.setString(1, account);
            ps.setString(2, folder);
            ps.setLong(3, validity);
            ps.executeUpdate();
        }
    }

    /** Archives or flags the messages of a batch; returns the UIDs filed, to be marked so in the database. */
    private List<Long> file(Mailbox mailbox, List<Done> done) {
        Map<String, List<Long>> byTarget = new LinkedHashMap<>();
        for (Done d : done) {
            if (!d.disposition().equals("left")) {
                byTarget.computeIfAbsent(d.disposition(), k -> new ArrayList<>()).add(d.envelope().uid());
            }
        }
        return file(mailbox, byTarget);
    }

    private static List<Long> file(Mailbox mailbox, Map<String, List<Long>> byTarget) {
        List<Long> filed = new ArrayList<>();
        for (Map.Entry<String, List<Long>> e : byTarget.entrySet()) {
            if (e.getKey().equals("seen")) {
                mailbox.markSeen(e.getValue());
            } else {
                mailbox.move(e.getValue(), e.getKey().substring("archive:".length()));
            }
            filed.addAll(e.getValue());
        }
        return filed;
    }

    /**
     * What the database says of a folder, read at once: its checkpoint ({UIDVALIDITY, last UID}, or
     * null) and the messages under this UIDVALIDITY that a run committed and then died before filing,
     * by where they were to go.
     */
    private record FolderState(long[] checkpoint, Map<String, List<Long>> pending) {}

    private FolderState state(String account, String folder, long validity) {
        try (Store store = Store.openReadOnly(file, wait);
             PreparedStatement checkpoint = store.connection().prepareStatement("SELECT uid_validity, last_uid FROM fetch_checkpoints"
                     + " WHERE mailbox = ? AND folder = ?");
             PreparedStatement pending = store.connection().prepareStatement("SELECT uid, disposition FROM fetch_messages"
                     + " WHERE mailbox = ? AND folder = ? AND uid_validity = ? AND NOT disposed ORDER BY uid")) {
            checkpoint.setString(1, account);
            checkpoint.setString(2, folder);
            long[] last;
            try (ResultSet rs = checkpoint.executeQuery()) {
                last = rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : null;
            }
            pending.setString(1, account);
            pending.setString(2, folder);
            pending.setLong(3, validity);
            Map<String, List<Long>> byTarget = new LinkedHashMap<>();
            try (ResultSet rs = pending.executeQuery()) {
                while (rs.next()) {
                    byTarget.computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(rs.getLong(1));
                }
            }
            return new FolderState(last, byTarget);
        } catch (SQLException e) {
            throw new StoreException(file + ": cannot read the fetch checkpoint of " + folder + ": " + Store.problem(e), e);
        }
    }

    /** Files the messages a run committed and then died before filing. */
    private void filePending(Mailbox mailbox, String account, String folder, long validity, Map<String, List<Long>> byTarget) {
        if (byTarget.isEmpty()) {
            return;
        }
        List<Long> filed = file(mailbox, byTarget);
        listener.note(folder + ": filed " + filed.size() + " message(s) whose reports an earlier run stored before it stopped");
        markDisposed(account, folder, validity, filed);
    }

    private void markDisposed(String account, String folder, long validity, List<Long> uids) {
        if (uids.isEmpty()) {
            return;
        }
        try (Store store = Store.open(file, wait)) {
            disposed(store.connection(), account, folder, validity, uids);
        } catch (SQLException e) {
            throw new StoreException(file + ": cannot mark messages filed: " + Store.problem(e), e);
        }
    }

    private static FetchSummary summary(List<Done> done) {
        long stored = 0;
        long duplicate = 0;
        long invalid = 0;
        long reports = 0;
        long tls = 0;
        long dups = 0;
        long records = 0;
        long messages = 0;
        long sessions = 0;
        long warnings = 0;
        List<IngestProblem> problems = new ArrayList<>();
        for (Done d : done) {
            FileOutcome o = d.ingested();
            switch (d.outcome()) {
                case "stored" -> stored++;
                case "duplicate" -> duplicate++;
                default -> invalid++;
            }
            reports += o.reports();
            tls += o.tlsReports();
            dups += o.duplicates();
            records += o.records();
            messages += o.messages();
            sessions += o.tlsSessions();
            warnings += o.warnings().size();
            problems.addAll(o.problems());
        }
        return new FetchSummary(0, done.size(), stored, duplicate, invalid, reports, tls, dups, records, messages, sessions, warnings,
                List.copyOf(problems));
    }
}
