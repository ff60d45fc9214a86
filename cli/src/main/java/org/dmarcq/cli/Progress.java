package org.dmarcq.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.dmarcq.cli.output.ResultPrinter;
import org.dmarcq.ingest.FileOutcome;

/**
 * The ingest progress bar on standard error: files done of total, reports per second, elapsed
 * time. Problems found meanwhile are kept and printed after the bar, not through it.
 */
final class Progress implements AutoCloseable {
    private ProgressBar bar;
    private final List<FileOutcome> outcomes = new ArrayList<>();
    private long reports;
    private long started;

    void start(int files) {
        start("Ingesting", files, " files");
    }

    /** A bar for {@code total} things of {@code unit} (" files", " messages"). */
    void start(String task, int total, String unit) {
        close();
        started = System.nanoTime();
        bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(unit, 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(System.err, ResultPrinter.terminalWidth() - 1))
                .build();
    }

    void fileDone(FileOutcome outcome) {
        reports += outcome.reports() + outcome.duplicates();
        if (outcome.failed() || !outcome.warnings().isEmpty()) {
            outcomes.add(outcome);
        }
        double seconds = Math.max((System.nanoTime() - started) / 1e9, 1e-3);
        bar.step();
        bar.setExtraMessage(String.format(Locale.ROOT, "%,d reports, %,.0f reports/s", reports, reports / seconds));
    }

    /** Files that had problems or warnings, to print once the bar is gone. */
    List<FileOutcome> outcomes() {
        return outcomes;
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
