package org.dmarcq.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dmarcq.report.Location;
import org.dmarcq.report.ReportFormatException;
import org.dmarcq.report.ReportHeader;
import org.dmarcq.report.ReportReader;
import org.dmarcq.report.ReportRecord;
import org.dmarcq.report.ReportWarning;
import org.dmarcq.store.ReportLoader;
import org.dmarcq.store.Store;

/**
 * Reads files, folders, archives, e-mails and mailboxes into a {@link Store}.
 *
 * <pre>{@code
 * try (Store store = Store.open(Path.of("dmarcq.duckdb"))) {
 *     IngestSummary summary = Ingest.into(store).run(List.of("rua/"));
 * }
 * }</pre>
 *
 * <p>One bad file never stops the batch: its problems are collected and the next file is read.
 * Each report is stored whole or not at all; work is committed every few seconds and at the end,
 * so an interrupted ingest loses only uncommitted reports, and running it again completes it.
 */
public final class Ingest {
    /** Reports up to this size are held in memory, so a malformed one can be repaired and re-read. */
    private static final int REPAIRABLE_BYTES = 16 << 20;

    private final Store store;
    private IngestOptions options = IngestOptions.defaults();
    private IngestListener listener = IngestListener.NONE;
    private InputStream stdin = System.in;

    private Ingest(Store store) {
        this.store = Objects.requireNonNull(store);
    }

    public static Ingest into(Store store) {
        return new Ingest(store);
    }

    public Ingest options(IngestOptions options) {
        this.options = Objects.requireNonNull(options);
        return this;
    }

    public Ingest listener(IngestListener listener) {
        this.listener = Objects.requireNonNull(listener);
        return this;
    }

    /** Where the input named {@code -} comes from; {@code System.in} unless set. */
    public Ingest stdin(InputStream stdin) {
        this.stdin = Objects.requireNonNull(stdin);
        return this;
    }

    /** Ingests the named files and folders ({@code -} for standard input). */
    public IngestSummary run(List<String> names) {
        List<Inputs.Input> inputs = Inputs.expand(names);
        listener.started(inputs.size());
        Totals totals = new Totals();
        try (ReportLoader loader = store.loader()) {
            long lastCommit = System.nanoTime();
            for (Inputs.Input input : inputs) {
                FileOutcome outcome = new FileRun(input, loader).run();
                totals.add(outcome);
                if (System.nanoTime() - lastCommit >= options.commitInterval().toNanos()) {
                    loader.commit();
                    lastCommit = System.nanoTime();
                }
                listener.fileDone(outcome);
            }
            loader.commit();
        }
        return totals.summary(inputs.size());
    }

    private static final class Totals {
        int reports;
        int duplicates;
        long records;
        long messages;
        long skipped;
        long warnings;
        final List<IngestProblem> problems = new ArrayList<>();

        void add(FileOutcome o) {
            reports += o.reports();
            duplicates += o.duplicates();
            records += o.records();
            messages += o.messages();
            skipped += o.skippedRecords();
            warnings += o.warnings().size();
            problems.addAll(o.problems());
        }

        IngestSummary summary(int files) {
            return new IngestSummary(files, reports, duplicates, records, messages, skipped, warnings, List.copyOf(problems));
        }
    }

    /** Reading one input file. */
    private final class FileRun {
        private final Inputs.Input input;
        private final ReportLoader loader;
        private final List<IngestProblem> problems = new ArrayList<>();
        private final List<ReportWarning> warnings = new ArrayList<>();
        private int reports;
        private int duplicates;
        private long records;
        private long messages;
        private long skipped;

        FileRun(Inputs.Input input, ReportLoader loader) {
            this.input = input;
            this.loader = loader;
        }

        FileOutcome run() {
            Location where = Location.of(input.name(), null);
            if (input.problem() != null) {
                problem(where, input.problem());
            } else {
                Unpacker unpacker = new Unpacker(options, this::report, this::problem);
                try (InputStream in = input.path() == null ? nonClosing(stdin) : Files.newInputStream(input.path())) {
                    unpacker.unpack(in, where);
                } catch (ReportFormatException e) {
                    problem(e.location(), e.problem());
                } catch (CorruptInputException e) {
                    problem(e.location(), e.getMessage());
                } catch (InputRefusedException e) {
                    problem(e.location() == null ? where : e.location(), e.getMessage());
                } catch (IOException e) {
                    problem(where, "cannot read: " + Unpacker.describe(e));
                }
            }
            return new FileOutcome(input.name(), reports, duplicates, records, messages, skipped, List.copyOf(problems),
                    List.copyOf(warnings));
        }

        private void problem(Location where, String message) {
            problems.add(new IngestProblem(input.name(), where.toString(), message));
        }

        /** One XML document found in the input: stored, counted as a duplicate, or reported as a problem. */
        private void report(InputStream xml, Location where) throws IOException {
            byte[] head = xml.readNBytes(REPAIRABLE_BYTES + 1);
            boolean whole = head.length <= REPAIRABLE_BYTES;
            InputStream content = whole ? new ByteArrayInputStream(head)
                    : new SequenceInputStream(new ByteArrayInputStream(head), xml);
            try {
                load(ReportReader.open(content, where), where);
            } catch (ReportFormatException e) {
                if (!whole || !repair(head, where, e)) {
                    problem(e.location(), e.problem());
                }
            } catch (CorruptInputException e) {
                problem(e.location(), e.getMessage());
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
                load(reader, where);
                return true;
            } catch (ReportFormatException e) {
                return false; // the original error is the one to show
            }
        }

        private void load(ReportReader reader, Location where) throws ReportFormatException, IOException {
            try (reader) {
                ReportHeader header = reader.header();
                if (!loader.beginReport(header, where.source())) {
                    duplicates++;
                    return;
                }
                long reportRecords = 0;
                long reportMessages = 0;
                try {
                    for (ReportRecord r; (r = reader.next()) != null; ) {
                        loader.record(r);
                        reportRecords++;
                        reportMessages += r.count();
                    }
                    List<ReportWarning> reportWarnings = reader.warnings();
                    loader.endReport(reportWarnings, reader.skippedRecords());
                    warnings.addAll(reportWarnings);
                    skipped += reader.skippedRecords();
                } catch (ReportFormatException | IOException | RuntimeException e) {
                    loader.abortReport();
                    throw e;
                }
                reports++;
                records += reportRecords;
                messages += reportMessages;
            }
        }
    }

    private static InputStream nonClosing(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() {
                // standard input belongs to the caller
            }
        };
    }
}
