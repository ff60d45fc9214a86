package org.dmarcq.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.dmarcq.report.Location;
import org.dmarcq.report.ReportFormatException;
import org.dmarcq.report.ReportHeader;
import org.dmarcq.report.ReportReader;
import org.dmarcq.report.ReportRecord;
import org.dmarcq.report.ReportWarning;
import org.dmarcq.rules.DomainNames;
import org.dmarcq.tlsrpt.TlsReport;
import org.dmarcq.tlsrpt.TlsReportReader;

/**
 * One input file being read on a worker thread: unpacked and parsed into a bounded queue of
 * {@link Item}s that the storing thread takes in order. The queue, bounded in items and in the
 * text they hold, is the back-pressure that keeps memory flat however large a report is.
 *
 * <p>Whatever goes wrong while a report, member or message is read (bad input, a parser's
 * deferred error, a bug, a stack or heap exhausted by it) becomes a {@link Problem} and reading
 * goes on with the next one. Should the worker die regardless, {@link #take()} notices.
 */
final class ParsedFile implements Runnable, Unpacker.ReportSink {
    private static final int BATCH = 256;
    /** Characters of record text one batch holds at most, and all batches queued for one file. */
    private static final int BATCH_CHARS = 256 << 10;
    private static final int QUEUED_CHARS = 1 << 20;
    /** An SMTP TLS report is read whole; real ones are a few kilobytes. */
    static final int TLS_MAX_BYTES = 4 << 20;
    /** Error lines one input gives at most; the rest are counted in one more line. */
    static final int MAX_PROBLEMS = 20;
    /** A message quoted from the input is cut to this many characters. */
    private static final int MAX_MESSAGE = 1000;

    /** What the worker found, in order. */
    sealed interface Item {}

    /** A report starts; {@code where} is its place in the input. */
    record Begin(ReportHeader header, Location where) implements Item {}

    record Records(List<ReportRecord> records, int chars) implements Item {}

    /** The report begun last is complete. */
    record End(List<ReportWarning> warnings, long skipped) implements Item {}

    /** The report begun last failed part-way: forget what it stored. A {@link Problem} follows. */
    record Abort() implements Item {}

    /** A report that is already stored, found before reading its records. */
    record Duplicate(boolean tls) implements Item {}

    /** A whole SMTP TLS report, read (they are small), not yet known to be stored. */
    record Tls(TlsReport report, Location where) implements Item {}

    /** Part of the input could not be stored; {@code cause} is the failure behind it when it was not plain bad input. */
    record Problem(Location where, String message, Throwable cause) implements Item {}

    /** The file is read; {@code emailsWithoutReport} e-mails in it carried no report. */
    record Done(int emailsWithoutReport) implements Item {}

    /** The worker ended without saying so: the storing side must not wait for it. */
    record Lost() implements Item {}

    private final Inputs.Input input;
    private final IngestOptions options;
    private final InputStream stdin;
    private final Predicate<ReportHeader> stored;
    private final Predicate<TlsReport> tlsStored;
    private final MemoryBudget budget;
    private final UnaryOperator<String> organizationalDomain;
    private final BlockingQueue<Item> items = new ArrayBlockingQueue<>(16);
    private final Semaphore queuedChars = new Semaphore(QUEUED_CHARS);
    private volatile boolean cancelled;
    private volatile boolean finished;
    private volatile boolean beingStored;
    private int problems;

    /** @param organizationalDomain of an ASCII domain name, by the Public Suffix List: for a report without a policy domain */
    ParsedFile(Inputs.Input input, IngestOptions options, InputStream stdin, Predicate<ReportHeader> stored,
               Predicate<TlsReport> tlsStored, MemoryBudget budget, UnaryOperator<String> organizationalDomain) {
        this.input = input;
        this.options = options;
        this.stdin = stdin;
        this.stored = stored;
        this.tlsStored = tlsStored;
        this.budget = budget;
        this.organizationalDomain = organizationalDomain;
    }

    Inputs.Input input() {
        return input;
    }

    /** The storing thread takes this file's items now: from here on what it needs must not wait for other files. */
    void storing() {
        beingStored = true;
    }

    private boolean beingStored() {
        return beingStored;
    }

    /** The next item, waiting for the worker as needed; {@link Lost} when the worker is gone. */
    Item take() throws InterruptedException {
        while (true) {
            boolean ended = finished;
            Item item = items.poll(100, TimeUnit.MILLISECONDS);
            if (item != null) {
                if (item instanceof Records r) {
                    queuedChars.release(r.chars());
                }
                return item;
            }
            if (ended && items.isEmpty()) {
                return new Lost();
            }
        }
    }

    /** Stops the worker at its next item; what it had found is dropped. */
    void cancel() {
        cancelled = true;
        items.clear();
    }

    @Override
    public void run() {
        try {
            int emails = read();
            put(new Done(emails));
        } catch (Cancelled e) {
            // the storing thread gave up on this file
        } catch (Throwable e) {
            // read() contains every failure; only putting the last items can land here
            try {
                put(new Problem(where(), Unpacker.failure(e), e));
                put(new Done(0));
            } catch (Throwable ignored) {
                // the storing side sees the worker finished and goes on
            }
        } finally {
            finished = true;
        }
    }

    private Location where() {
        return Location.of(input.name(), null);
    }

    /** Reads the file; returns how many e-mails in it had no report. */
    private int read() {
        Location where = where();
        if (input.problem() != null) {
            problem(where, input.problem(), null);
            return 0;
        }
        Unpacker unpacker = new Unpacker(options, this, this::problem, input.named(), budget.wholeBytes());
        Problem end = null; // what stopped the input: shown even past the cap, since it says what was not read
        try (InputStream in = input.content() != null ? new java.io.ByteArrayInputStream(input.content())
                : input.path() == null ? new Unpacker.NonClosing(stdin) : Files.newInputStream(input.path())) {
            unpacker.unpack(in, where);
        } catch (ReportFormatException e) {
            end = new Problem(e.location(), e.problem(), null);
        } catch (CorruptInputException e) {
            end = new Problem(e.location(), e.getMessage(), null);
        } catch (InputRefusedException e) {
            end = new Problem(e.location() == null ? where : e.location(), e.getMessage(), null);
        } catch (IOException e) {
            end = new Problem(where, "cannot read: " + Unpacker.describe(e), null);
        } catch (Cancelled e) {
            throw e;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            end = new Problem(where, Unpacker.failure(e), e);
        }
        if (problems > MAX_PROBLEMS) {
            // limits are named even past the cap: each breach of one is to be seen
            put(new Problem(where, String.format("%,d more problems in this input, not shown", problems - MAX_PROBLEMS)
                    + (hiddenRefusals.isEmpty() ? "" : "; among them " + String.join("; ", hiddenRefusals)), null));
        }
        if (end != null) {
            problems++;
            show(end.where(), end.message(), end.cause());
        }
        return unpacker.emailsWithoutReport();
    }

    private void problem(Location where, String message, Throwable cause) {
        if (++problems <= MAX_PROBLEMS) {
            show(where, message, cause);
        } else if (message.startsWith("refused: ") && hiddenRefusals.size() < 3) {
            int end = message.indexOf(" (");
            hiddenRefusals.add(end < 0 || end > 120 ? message.substring(0, Math.min(message.length(), 120)) : message.substring(0, end));
        }
    }

    /** Which limits problems past the cap breached, to name them in the count. */
    private final java.util.Set<String> hiddenRefusals = new java.util.LinkedHashSet<>();

    private void show(Location where, String message, Throwable cause) {
        String text = message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 1) + "…";
        put(new Problem(where, text, cause));
    }

    /**
     * One XML document found in the input. A failure that is not bad input (a bug, the heap or stack
     * exhausted) is contained where the document was found: by the container member, or the file.
     */
    @Override
    public void report(InputStream xml, Location where) throws IOException {
        try (ReportBytes bytes = ReportBytes.read(xml, budget.wholeBytes(), budget, this::beingStored)) {
            int[] done = {0};
            try {
                parse(ReportReader.open(bytes.content(), where), where, 0, done);
            } catch (ReportFormatException e) {
                if (!bytes.whole() || !(repair(bytes, where, e, done[0]) || withPolicyDomain(bytes, where, e, done[0]))) {
                    problem(e.location(), e.problem(), null);
                }
            } catch (CorruptInputException e) {
                problem(e.location(), e.getMessage(), null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cancelled();
        }
    }

    /** One JSON document found in the input: read whole, as TLS reports are small. */
    @Override
    public void tlsReport(InputStream json, Location where, String reportDomain) throws IOException {
        int limit = Math.min(TLS_MAX_BYTES, budget.wholeBytes());
        try (ReportBytes bytes = ReportBytes.read(json, limit, budget, this::beingStored)) {
            if (!bytes.whole()) {
                problem(where, "refused: over " + (limit >> 20) + " MiB of JSON, more than an SMTP TLS report holds", null);
                return;
            }
            try (MemoryBudget.Lease tree = bytes.length() > ReportBytes.FIRST_CHUNK ? budget.wholeDocument(this::beingStored) : null) {
                TlsReport report = TlsReportReader.read(bytes.toByteArray(), where, reportDomain);
                put(tlsStored.test(report) ? new Duplicate(true) : new Tls(report, where));
            } catch (ReportFormatException e) {
                problem(e.location(), e.problem(), null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cancelled();
        }
    }

    /**
     * Parses the repaired text of a report that was not well-formed XML; the first {@code done}
     * reports of the document were already handled. Returns false when no repair applies or the
     * repaired text fails too: then the original error is the one to show.
     */
    private boolean repair(ReportBytes bytes, Location where, ReportFormatException original, int done)
            throws IOException, InterruptedException {
        if (!original.problem().startsWith("not well-formed XML")) {
            return false;
        }
        try (MemoryBudget.Lease work = budget.wholeDocument(this::beingStored)) {
            ReportReader reader = ReportReader.openRepaired(bytes.content(), bytes.length(), where, original);
            if (reader == null) {
                return false;
            }
            parse(reader, where, done, new int[1]);
            return true;
        } catch (ReportFormatException e) {
            return false;
        }
    }

    /**
     * Parses a report that names no policy domain with the one its records' {@code header_from}
     * domains share, when they share one organizational domain; false when they do not.
     */
    private boolean withPolicyDomain(ReportBytes bytes, Location where, ReportFormatException original, int done)
            throws IOException {
        if (!original.problem().equals(ReportReader.NO_POLICY_DOMAIN)) {
            return false;
        }
        java.util.Set<String> organizations = new java.util.TreeSet<>();
        try (ReportReader reader = ReportReader.open(bytes.content(), where, "invalid")) {
            for (ReportRecord r; (r = reader.next()) != null; ) {
                String org = r.headerFrom() == null ? null : organizationalDomain.apply(DomainNames.toAscii(r.headerFrom()));
                organizations.add(org == null ? "" : org);
            }
        } catch (ReportFormatException e) {
            return false;
        }
        if (organizations.size() != 1 || organizations.contains("")) {
            return false;
        }
        try {
            parse(ReportReader.open(bytes.content(), where, organizations.iterator().next()), where, done, new int[1]);
            return true;
        } catch (ReportFormatException e) {
            return false;
        }
    }

    /**
     * Parses every report of one document, skipping the first {@code skip}; {@code done[0]} counts
     * those handled (stored or found to be duplicates).
     */
    private void parse(ReportReader first, Location where, int skip, int[] done) throws ReportFormatException, IOException {
        try (first) {
            int index = 0;
            for (ReportReader reader = first; reader != null; reader = reader.nextReport()) {
                if (index++ < skip) {
                    reader.skip();
                } else {
                    parseOne(reader, where);
                }
                done[0]++;
            }
        }
    }

    private void parseOne(ReportReader reader, Location where) throws ReportFormatException, IOException {
        if (stored.test(reader.header())) {
            reader.skip(); // for what may follow it in the document
            put(new Duplicate(false));
            return;
        }
        put(new Begin(reader.header(), where));
        try {
            List<ReportRecord> batch = new ArrayList<>(BATCH);
            int chars = 0;
            for (ReportRecord r; (r = reader.next()) != null; ) {
                batch.add(r);
                chars += r.textLength();
                if (batch.size() == BATCH || chars >= BATCH_CHARS) {
                    put(new Records(batch, chars));
                    batch = new ArrayList<>(BATCH);
                    chars = 0;
                }
            }
            if (!batch.isEmpty()) {
                put(new Records(batch, chars));
            }
            put(new End(reader.warnings(), reader.skippedRecords()));
        } catch (Throwable e) {
            if (!(e instanceof Cancelled)) {
                put(new Abort());
            }
            throw e;
        }
    }

    private void put(Item item) {
        try {
            if (item instanceof Records r) {
                // An item larger than the bound waits for an empty queue, then takes it all.
                Records bounded = r.chars() > QUEUED_CHARS ? new Records(r.records(), QUEUED_CHARS) : r;
                while (!queuedChars.tryAcquire(bounded.chars(), 100, TimeUnit.MILLISECONDS)) {
                    if (cancelled) {
                        throw new Cancelled();
                    }
                }
                item = bounded;
            }
            while (!items.offer(item, 100, TimeUnit.MILLISECONDS)) {
                if (cancelled) {
                    throw new Cancelled();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cancelled();
        }
        if (cancelled) {
            throw new Cancelled();
        }
    }

    /** Thrown on the worker when the storing thread gave up on the file; never a problem of the input. */
    static final class Cancelled extends RuntimeException {
        Cancelled() {
            super(null, null, false, false);
        }
    }
}
