package org.dmarcq.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dmarcq.cli.output.HumanWriter;
import org.dmarcq.cli.output.ResultPrinter;
import org.dmarcq.ingest.FileOutcome;
import org.dmarcq.ingest.Ingest;
import org.dmarcq.ingest.IngestListener;
import org.dmarcq.ingest.IngestOptions;
import org.dmarcq.ingest.IngestSummary;
import org.dmarcq.report.ReportWarning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "ingest",
        description = {"Read DMARC aggregate reports and SMTP TLS reports into the database.",
                "Reads XML and JSON, gzip and zip files, e-mails (.eml) with reports attached, mbox files and Maildir"
                        + " folders, told apart by their content. Folders are read recursively; - reads standard input.",
                "A report already stored (same reporter, report ID, domain and period) is counted as a duplicate"
                        + " and not stored again."},
        mixinStandardHelpOptions = true,
        footer = {"",
                "Each input that cannot be read gives one line on standard error, 'FILE: what is wrong',",
                "and the rest of the batch goes on.",
                "",
                "Exit status: 0 every file was read; 1 some could not be (see the lines on standard error);",
                "2 wrong usage.",
                "",
                "Examples:",
                "  dmarcq ingest ~/Maildir/.DMARC/            a Maildir folder of rua mail",
                "  dmarcq ingest rua-export.mbox reports/*.zip",
                "  gunzip -c report.xml.gz | dmarcq ingest -",
                "  dmarcq ingest --format json reports/ > summary.json"})
final class IngestCommand implements Callable<Integer> {
    enum SummaryFormat { TEXT, JSON }

    @Mixin DatabaseOptions database;
    @Mixin SuffixOptions suffixes;

    @Parameters(paramLabel = "PATH", arity = "0..*", description = "Files or folders to read; - for standard input.")
    List<String> paths = List.of();

    @Option(names = "--parquet", paramLabel = "DIR",
            description = "Read a Parquet lake written by dmarcq export (repeatable): the shards of several machines merge"
                    + " here, each report once.")
    List<java.nio.file.Path> lakes = List.of();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Summary as text (default) or json: one JSON object on standard output.")
    SummaryFormat format;

    @Option(names = "--max-size", paramLabel = "SIZE", defaultValue = "1g", converter = Sizes.class,
            description = "Most bytes one file may decompress to (default: ${DEFAULT-VALUE}); larger input is refused"
                    + " as a likely decompression bomb. Suffixes k, m, g.")
    long maxSize;

    @Option(names = {"-v", "--verbose"}, description = "Also print each warning: deviations that were tolerated or repaired.")
    boolean verbose;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (paths.isEmpty() && lakes.isEmpty()) {
            throw UserException.usage("give the files or folders to read (PATH...), or a lake with --parquet DIR");
        }
        for (java.nio.file.Path lake : lakes) {
            readLake(lake, out, err);
        }
        if (paths.isEmpty()) {
            return 0;
        }
        boolean terminal = HumanWriter.stderrIsTerminal() && format == SummaryFormat.TEXT;
        IngestSummary summary;
        long[] kept = {0, 0};
        // Ctrl-C or SIGTERM: what was committed stays; say how much, and that a re-run goes on from there
        Thread interrupted = new Thread(() -> {
            err.println();
            err.printf(java.util.Locale.ROOT, "dmarcq: interrupted: %s stored before it %s kept; run the same ingest"
                    + " again to store the rest (what is stored is skipped as a duplicate)%n",
                    org.dmarcq.analysis.Wording.count(kept[0], "report") + (kept[1] == 0 ? ""
                            : " and " + org.dmarcq.analysis.Wording.count(kept[1], "TLS report")),
                    kept[0] + kept[1] == 1 ? "is" : "are");
            err.flush();
        }, "dmarcq-interrupted");
        Runtime.getRuntime().addShutdownHook(interrupted);
        try (Progress progress = terminal ? new Progress() : null) {
            IngestListener listener = new IngestListener() {
                @Override
                public void committed(long reports, long tlsReports) {
                    kept[0] = reports;
                    kept[1] = tlsReports;
                }

                @Override
                public void started(int files) {
                    if (progress != null) {
                        progress.start(files);
                    }
                }

                @Override
                public void fileDone(FileOutcome outcome) {
                    if (progress != null) {
                        progress.fileDone(outcome);
                    } else {
                        report(outcome, err);
                    }
                }
            };
            // staged in memory: the file is held only while each batch moves in, so questions can read it meanwhile
            summary = Ingest.into(database.path(), database.waiting(err))
                    .options(IngestOptions.defaults().withMaxBytes(maxSize))
                    .listener(listener)
                    .suffixes(suffixes.list())
                    .run(paths);
            if (progress != null) {
                progress.close();
                for (FileOutcome outcome : progress.outcomes()) {
                    report(outcome, err);
                }
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs: it says what was kept
            }
        }
        if (format == SummaryFormat.JSON) {
            json(summary, out);
        } else {
            text(summary, out);
        }
        return summary.problems().isEmpty() ? 0 : Main.FAILED;
    }

    private void report(FileOutcome outcome, PrintWriter err) {
        SummaryLines.problems(outcome, err, Main.debug(spec));
        if (verbose) {
            for (ReportWarning w : outcome.warnings()) {
                err.println(HumanWriter.oneLine(w.location() + ": warning: " + w.text()));
            }
        }
        err.flush();
    }

    private static void text(IngestSummary s, PrintWriter out) {
        Object[][] lines = {
                {"files read", s.files()},
                {"reports new", s.reports()},
                {"duplicates", s.duplicates()},
                {"records", s.records()},
                {"messages", s.messages()},
                {"files with errors", s.failedFiles()},
        };
        SummaryLines.counts(out, lines);
        SummaryLines.tls(out, s.tlsReports(), s.tlsSessions());
        if (s.emailsWithoutReport() > 0) {
            out.printf(Locale.ROOT, "%-18s %,12d   (replies and other mail in the folders and mailboxes read)%n",
                    "e-mails skipped", s.emailsWithoutReport());
        }
        if (s.skippedRecords() > 0) {
            out.printf(Locale.ROOT, "%-18s %,12d%n", "records skipped", s.skippedRecords());
        }
        if (s.warnings() > 0) {
            out.printf(Locale.ROOT, "%-18s %,12d   (list them: ingest with -v, or query the warnings and tls_warnings tables)%n",
                    "warnings", s.warnings());
        }
        out.flush();
    }

    /** The contract of {@code ingest --format json}: see docs/cli.md. */
    private static void json(IngestSummary s, PrintWriter out) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("files", s.files());
        summary.put("reports", s.reports());
        summary.put("duplicates", s.duplicates());
        summary.put("records", s.records());
        summary.put("messages", s.messages());
        summary.put("skipped_records", s.skippedRecords());
        summary.put("warnings", s.warnings());
        summary.put("emails_without_report", s.emailsWithoutReport());
        summary.put("tls_reports", s.tlsReports());
        summary.put("tls_sessions", s.tlsSessions());
        summary.put("errors", SummaryLines.errors(s.problems()));
        ResultPrinter.printJson(out, summary);
    }

    /** Reads one lake into the database, then says what it stored, in words or as one JSON object. */
    private void readLake(java.nio.file.Path lake, PrintWriter out, PrintWriter err) {
        org.dmarcq.lake.LakeImport.Summary read;
        try {
            read = org.dmarcq.lake.LakeImport.run(database.path(), database.waiting(err), suffixes.list(), lake);
        } catch (java.io.IOException e) {
            throw new UserException("--parquet " + lake + ": " + e.getMessage(), e);
        }
        if (format == SummaryFormat.JSON) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("lake", lake.toString());
            m.put("days", read.days());
            m.put("reports", read.reports());
            m.put("records", read.records());
            m.put("messages", read.messages());
            m.put("tls_reports", read.tlsReports());
            m.put("duplicates", read.duplicates());
            m.put("tls_duplicates", read.tlsDuplicates());
            org.dmarcq.cli.output.ResultPrinter.printJson(out, m);
        } else {
            org.dmarcq.cli.output.Lines.printf(out, "Read %s: %s of reports; stored %s (%s, %s) and %s; %s and %s were stored"
                    + " already.%n", lake, org.dmarcq.analysis.Wording.count(read.days(), "day"),
                    org.dmarcq.analysis.Wording.count(read.reports(), "report"),
                    org.dmarcq.analysis.Wording.count(read.records(), "record"),
                    org.dmarcq.analysis.Wording.count(read.messages(), "message"),
                    org.dmarcq.analysis.Wording.count(read.tlsReports(), "TLS report"),
                    org.dmarcq.analysis.Wording.count(read.duplicates(), "report"),
                    org.dmarcq.analysis.Wording.count(read.tlsDuplicates(), "TLS report"));
        }
        out.flush();
    }
}
