package org.dmarcq.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.dmarcq.report.Location;
import org.dmarcq.report.ReportFormatException;
import org.dmarcq.report.ReportHeader;
import org.dmarcq.report.ReportReader;
import org.dmarcq.report.ReportRecord;
import org.dmarcq.report.ReportWarning;
import org.dmarcq.tlsrpt.TlsReport;
import org.dmarcq.tlsrpt.TlsReportReader;

/**
 * One input file being read on a worker thread: unpacked and parsed into a bounded queue of
 * {@link Item}s that the storing thread takes in order. The queue is the back-pressure that keeps
 * memory flat however large a report is.
 */
final class ParsedFile implements Runnable, Unpacker.ReportSink {
    /** Reports up to this size are held in memory, so a malformed one can be repaired and re-read. */
    private static final int REPAIRABLE_BYTES = 16 << 20;
    private static final int BATCH = 256;

    /** What the worker found, in order. */
    sealed interface Item {}

    /** A report starts; {@code where} is its place in the input. */
    record Begin(ReportHeader header, Location where) implements Item {}

    record Records(List<ReportRecord> records) implements Item {}

    /** The report begun last is complete. */
    record End(List<ReportWarning> warnings, long skipped) implements Item {}

    /** The report begun last failed part-way: forget what it stored. A {@link Problem} follows. */
    record Abort() implements Item {}

    /** A report that is already stored, found before reading its records. */
    record Duplicate() implements Item {}

    /** A whole SMTP TLS report, read (they are small), not yet known to be stored. */
    record Tls(TlsReport report, Location where) implements Item {}

    record Problem(Location where, String message) implements Item {}

    /** A bug, not bad input: rethrown on the storing thread. */
    record Crash(RuntimeException error) implements Item {}

    /** The file is read; {@code emailsWithoutReport} e-mails in it carried no report. */
    record Done(int emailsWithoutReport) implements Item {}

    private final Inputs.Input input;
    private final IngestOptions options;
    private final InputStream stdin;
    private final Predicate<ReportHeader> stored;
    private final Predicate<TlsReport> tlsStored;
    private final BlockingQueue<Item> items = new ArrayBlockingQueue<>(16);
    private volatile boolean cancelled;

    ParsedFile(Inputs.Input input, IngestOptions options, InputStream stdin, Predicate<ReportHeader> stored,
               Predicate<TlsReport> tlsStored) {
        this.input = input;
        this.options = options;
        this.stdin = stdin;
        this.stored = stored;
        this.tlsStored = tlsStored;
    }

    Inputs.Input input() {
        return input;
    }

    /** The next item, waiting for the worker as needed. */
    Item take() throws InterruptedException {
        return items.take();
    }

    /** Stops the worker at its next item; what it had found is dropped. */
    void cancel() {
        cancelled = true;
        items.clear();
    }

    @Override
    public void run() {
        try {
            put(new Done(read()));
        } catch (Cancelled e) {
            // the storing thread gave up on this file
        } catch (RuntimeException e) {
            try {
                put(new Crash(e));
            } catch (Cancelled ignored) {
                // nobody is listening any more
            }
        }
    }

    /** Reads the file; returns how many e-mails in it had no report. */
    private int read() {
        Location where = Location.of(input.name(), null);
        if (input.problem() != null) {
            put(new Problem(where, input.problem()));
            return 0;
        }
        Unpacker unpacker = new Unpacker(options, this, (at, message) -> put(new Problem(at, message)), input.named());
        try (InputStream in = input.path() == null ? new Unpacker.NonClosing(stdin) : Files.newInputStream(input.path())) {
            unpacker.unpack(in, where);
        } catch (ReportFormatException e) {
            put(new Problem(e.location(), e.problem()));
        } catch (CorruptInputException e) {
            put(new Problem(e.location(), e.getMessage()));
        } catch (InputRefusedException e) {
            put(new Problem(e.location() == null ? where : e.location(), e.getMessage()));
        } catch (IOException e) {
            put(new Problem(where, "cannot read: " + Unpacker.describe(e)));
        }
        return unpacker.emailsWithoutReport();
    }

    /** One XML document found in the input. */
    @Override
    public void report(InputStream xml, Location where) throws IOException {
        byte[] head = xml.readNBytes(REPAIRABLE_BYTES + 1);
        boolean whole = head.length <= REPAIRABLE_BYTES;
        InputStream content = whole ? new ByteArrayInputStream(head)
                : new SequenceInputStream(new ByteArrayInputStream(head), xml);
        try {
            parse(ReportReader.open(content, where), where);
        } catch (ReportFormatException e) {
            if (!whole || !repair(head, where, e)) {
                put(new Problem(e.location(), e.problem()));
            }
        } catch (CorruptInputException e) {
            put(new Problem(e.location(), e.getMessage()));
        }
    }

    /** One JSON document found in the input: read whole, as TLS reports are small. */
    @Override
    public void tlsReport(InputStream json, Location where, String reportDomain) throws IOException {
        byte[] content = json.readNBytes(REPAIRABLE_BYTES + 1);
        if (content.length > REPAIRABLE_BYTES) {
            put(new Problem(where, "refused: over " + (REPAIRABLE_BYTES >> 20) + " MiB of JSON, more than an SMTP TLS report holds"));
            return;
        }
        try {
            TlsReport report = TlsReportReader.read(content, where, reportDomain);
            put(tlsStored.test(report) ? new Duplicate() : new Tls(report, where));
        } catch (ReportFormatException e) {
            put(new Problem(e.location(), e.problem()));
        }
    }

    private boolean repair(byte[] content, Location where, ReportFormatException original) throws IOException {
        if (!original.problem().startsWith("not well-formed XML")) {
            return false;
        }
        try {
            ReportReader reader = ReportReader.openRepaired(content, where, original);
            if (reader == null) {
                return false;
            }
            parse(reader, where);
            return true;
        } catch (ReportFormatException e) {
            return false; // the original error is the one to show
        }
    }

    private void parse(ReportReader reader, Location where) throws ReportFormatException, IOException {
        boolean begun = false;
        try (reader) {
            if (stored.test(reader.header())) {
                put(new Duplicate());
                return;
            }
            put(new Begin(reader.header(), where));
            begun = true;
            List<ReportRecord> batch = new ArrayList<>(BATCH);
            for (ReportRecord r; (r = reader.next()) != null; ) {
                batch.add(r);
                if (batch.size() == BATCH) {
                    put(new Records(batch));
                    batch = new ArrayList<>(BATCH);
                }
            }
            if (!batch.isEmpty()) {
                put(new Records(batch));
            }
            put(new End(reader.warnings(), reader.skippedRecords()));
        } catch (ReportFormatException | IOException | RuntimeException e) {
            if (begun && !(e instanceof Cancelled)) {
                put(new Abort());
            }
            throw e;
        }
    }

    private void put(Item item) {
        try {
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

    private static final class Cancelled extends RuntimeException {
        Cancelled() {
            super(null, null, false, false);
        }
    }
}
