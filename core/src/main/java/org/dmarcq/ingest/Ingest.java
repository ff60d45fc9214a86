package org.dmarcq.ingest;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.dmarcq.report.ReportRecord;
import org.dmarcq.report.ReportWarning;
import org.dmarcq.rules.PublicSuffixList;
import org.dmarcq.store.ReportLoader;
import org.dmarcq.store.Store;
import org.dmarcq.store.Wait;

/**
 * Reads files, folders, archives, e-mails and mailboxes into a {@link Store}.
 *
 * <pre>{@code
 * try (Store store = Store.open(Path.of("dmarcq.duckdb"))) {
 *     IngestSummary summary = Ingest.into(store).run(List.of("rua/"));
 * }
 * }</pre>
 *
 * <p>Files are unpacked and parsed on worker threads, one per core, and stored on the calling
 * thread in the order given, so keys and results do not depend on timing.
 *
 * <p>One bad file never stops the batch: its problems are collected and the next file is read.
 * Each report is stored whole or not at all; work is committed every few seconds and at the end,
 * so an interrupted ingest loses only uncommitted reports, and running it again completes it.
 *
 * <p>{@link #into(Path, Wait)} names the database file instead of an open store: reports are staged
 * in memory and moved into the file at each commit, so that the file is held only then and other
 * processes can read it (a shell, a question) while the ingest runs.
 */
public final class Ingest {
    /** Files read ahead of the one being stored: each holds at most a few batches of records. */
    private static final int READ_AHEAD = 8;

    /** The open store to write to, or null when {@link #file} is staged into. */
    private final Store store;
    private final Path file;
    private final Wait wait;
    private IngestOptions options = IngestOptions.defaults();
    private IngestListener listener = IngestListener.NONE;
    private InputStream stdin = System.in;
    private PublicSuffixList suffixes;
    private ReportLoader.AlsoCommitted alsoAtLastCommit;

    private Ingest(Store store, Path file, Wait wait) {
        this.store = store;
        this.file = file;
        this.wait = wait;
    }

    public static Ingest into(Store store) {
        return new Ingest(Objects.requireNonNull(store), null, null);
    }

    /**
     * Ingests into the database file, creating it as needed, holding it only while each batch
     * moves in; while another process holds it, waits as {@code wait} says.
     */
    public static Ingest into(Path file, Wait wait) {
        return new Ingest(null, Objects.requireNonNull(file), Objects.requireNonNull(wait));
    }

    public Ingest options(IngestOptions options) {
        this.options = Objects.requireNonNull(options);
        return this;
    }

    public Ingest listener(IngestListener listener) {
        this.listener = Objects.requireNonNull(listener);
        return this;
    }

    /** The Public Suffix List for organizational domains; the bundled one unless set. */
    public Ingest suffixes(PublicSuffixList suffixes) {
        this.suffixes = Objects.requireNonNull(suffixes);
        return this;
    }

    /** Where the input named {@code -} comes from; {@code System.in} unless set. */
    public Ingest stdin(InputStream stdin) {
        this.stdin = Objects.requireNonNull(stdin);
        return this;
    }

    /**
     * Input held in memory, such as a message fetched from a mailbox, named as its error lines and
     * outcome should name it. Unlike a file named on the command line, one without a report is not
     * an error: it counts as an e-mail without report.
     */
    public record Held(String name, byte[] content) {
        public Held {
            Objects.requireNonNull(name);
            Objects.requireNonNull(content);
        }
    }

    /** Written in the transaction of the last commit of a run: see {@link ReportLoader#commit(ReportLoader.AlsoCommitted)}. */
    public Ingest alsoAtLastCommit(ReportLoader.AlsoCommitted also) {
        this.alsoAtLastCommit = Objects.requireNonNull(also);
        return this;
    }

    /** Ingests the named files and folders ({@code -} for standard input). */
    public IngestSummary run(List<String> names) {
        return runInputs(Inputs.expand(names));
    }

    /** Ingests inputs held in memory, in the order given. */
    public IngestSummary runHeld(List<Held> held) {
        return runInputs(held.stream().map(h -> new Inputs.Input(h.name(), null, null, false, h.content())).toList());
    }

    private IngestSummary runInputs(List<Inputs.Input> inputs) {
        listener.started(inputs.size());
        Totals totals = new Totals();
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(workers, runnable -> {
            Thread t = new Thread(runnable, "dmarcq-read");
            t.setDaemon(true);
            return t;
        });
        Deque<ParsedFile> reading = new ArrayDeque<>();
        try (ReportLoader loader = loader()) {
            try {
                storeAll(inputs, loader, pool, reading, totals);
                totals.late(loader.lateDuplicates());
            } catch (OutOfMemoryError | StackOverflowError e) {
                // On the storing thread no input can be blamed and the JVM may not recover: keep
                // what is stored (the report in progress was forgotten), then stop.
                commitQuietly(loader);
                throw e;
            }
        } finally {
            reading.forEach(ParsedFile::cancel);
            pool.shutdownNow();
        }
        // a path that does not exist, or cannot be read, is an error, not a file read
        return totals.summary((int) inputs.stream().filter(i -> i.problem() == null).count());
    }

    private ReportLoader loader() {
        if (store != null) {
            return store.loader(suffixList());
        }
        Store.open(file, wait).close(); // creates the file, or brings its schema up to date, before the stage moves in
        return ReportLoader.staging(file, wait, suffixList());
    }

    private PublicSuffixList suffixList() {
        return suffixes != null ? suffixes : PublicSuffixList.bundled();
    }

    /** Reads the inputs ahead on the workers and stores them here, in order, committing as it goes. */
    private void storeAll(List<Inputs.Input> inputs, ReportLoader loader, ExecutorService pool, Deque<ParsedFile> reading,
                          Totals totals) {
        long lastCommit = System.nanoTime();
        int next = 0;
        for (int i = 0; i < inputs.size(); i++) {
            while (next < inputs.size() && next < i + READ_AHEAD) {
                ParsedFile file = new ParsedFile(inputs.get(next++), options, stdin, loader::isStored, loader::isStored,
                        MemoryBudget.SHARED, suffixList()::organizationalDomain);
                reading.add(file);
                pool.execute(file);
            }
            FileOutcome outcome = store(reading.poll(), loader);
            totals.add(outcome);
            if (System.nanoTime() - lastCommit >= options.commitInterval().toNanos()) {
                loader.commit();
                committed(loader, totals);
                lastCommit = System.nanoTime();
            }
            listener.fileDone(outcome);
        }
        loader.commit(alsoAtLastCommit);
        committed(loader, totals);
    }

    private void committed(ReportLoader loader, Totals totals) {
        ReportLoader.LateDuplicates late = loader.lateDuplicates();
        listener.committed(totals.reports - late.reports(), totals.tlsReports - late.tlsReports());
    }

    private static void commitQuietly(ReportLoader loader) {
        try {
            loader.commit();
        } catch (RuntimeException | Error ignored) {
            // what was committed before stays; the failure that stopped us is the one to report
        }
    }

    /** Stores what a worker read from one file, as it comes. */
    private static FileOutcome store(ParsedFile file, ReportLoader loader) {
        file.storing();
        String name = file.input().name();
        List<IngestProblem> problems = new ArrayList<>();
        List<ReportWarning> warnings = new ArrayList<>();
        int reports = 0;
        int tlsReports = 0;
        long tlsSessions = 0;
        int duplicates = 0;
        int tlsDuplicates = 0;
        long records = 0;
        long messages = 0;
        long skipped = 0;
        boolean storing = false;
        long reportRecords = 0;
        long reportMessages = 0;
        int emailsWithoutReport;
        try {
            while (true) {
                ParsedFile.Item item = file.take();
                if (item instanceof ParsedFile.Begin begin) {
                    storing = loader.beginReport(begin.header(), begin.where().source());
                    if (!storing) {
                        duplicates++;
                    }
                    reportRecords = 0;
                    reportMessages = 0;
                } else if (item instanceof ParsedFile.Records batch) {
                    if (storing) {
                        for (ReportRecord r : batch.records()) {
                            loader.record(r);
                            reportMessages += r.count();
                        }
                        reportRecords += batch.records().size();
                    }
                } else if (item instanceof ParsedFile.End end) {
                    if (storing) {
                        loader.endReport(end.warnings(), end.skipped());
                        reports++;
                        records += reportRecords;
                        messages += reportMessages;
                        skipped += end.skipped();
                        warnings.addAll(end.warnings());
                        storing = false;
                    }
                } else if (item instanceof ParsedFile.Abort) {
                    if (storing) {
                        loader.abortReport();
                        storing = false;
                    }
                } else if (item instanceof ParsedFile.Tls tls) {
                    if (loader.storeTlsReport(tls.report(), tls.where().source())) {
                        tlsReports++;
                        tlsSessions += tls.report().successfulSessions() + tls.report().failedSessions();
                        warnings.addAll(tls.report().warnings());
                    } else {
                        duplicates++;
                        tlsDuplicates++;
                    }
                } else if (item instanceof ParsedFile.Duplicate d) {
                    duplicates++;
                    tlsDuplicates += d.tls() ? 1 : 0;
                } else if (item instanceof ParsedFile.Problem p) {
                    problems.add(new IngestProblem(name, p.where().toString(), p.message(), p.cause()));
                } else if (item instanceof ParsedFile.Done done) {
                    emailsWithoutReport = done.emailsWithoutReport();
                    break;
                } else if (item instanceof ParsedFile.Lost) {
                    if (storing) {
                        loader.abortReport();
                        storing = false;
                    }
                    problems.add(new IngestProblem(name, name, "reading it stopped unexpectedly (out of memory?); the rest of it"
                            + " was not read", null));
                    emailsWithoutReport = 0;
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + name, e);
        } catch (RuntimeException | Error e) {
            if (storing) {
                loader.abortReport();
            }
            throw e;
        }
        return new FileOutcome(name, reports, duplicates, records, messages, skipped, emailsWithoutReport,
                List.copyOf(problems), List.copyOf(warnings), tlsReports, tlsSessions, tlsDuplicates);
    }

    private static final class Totals {
        int reports;
        int tlsReports;
        long tlsSessions;
        int duplicates;
        long records;
        long messages;
        long skipped;
        long warnings;
        long emailsWithoutReport;
        final List<IngestProblem> problems = new ArrayList<>();

        void add(FileOutcome o) {
            reports += o.reports();
            tlsReports += o.tlsReports();
            tlsSessions += o.tlsSessions();
            duplicates += o.duplicates();
            records += o.records();
            messages += o.messages();
            skipped += o.skippedRecords();
            warnings += o.warnings().size();
            emailsWithoutReport += o.emailsWithoutReport();
            problems.addAll(o.problems());
        }

        /** Reports counted as new that another ingest stored first: duplicates after all. */
        void late(ReportLoader.LateDuplicates late) {
            reports -= late.reports();
            records -= late.records();
            messages -= late.messages();
            tlsReports -= late.tlsReports();
            tlsSessions -= late.tlsSessions();
            duplicates += late.reports() + late.tlsReports();
        }

        IngestSummary summary(int files) {
            return new IngestSummary(files, reports, duplicates, records, messages, skipped, warnings, emailsWithoutReport,
                    List.copyOf(problems), tlsReports, tlsSessions);
        }
    }
}
