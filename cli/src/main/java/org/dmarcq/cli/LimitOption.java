package org.dmarcq.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dmarcq.analysis.Page;
import org.dmarcq.analysis.SenderClass;
import org.dmarcq.cli.output.Format;
import org.dmarcq.cli.output.Lines;
import picocli.CommandLine.Option;

/**
 * {@code --limit N}: how many rows a command that can list tens of thousands shows. A table shows
 * the first 50 unless told otherwise; csv and json list every row unless given a limit. What was
 * left out is said in one line, by class, so that nothing but spoofing hides below the cut unseen.
 */
final class LimitOption {
    static final int TABLE_ROWS = 50;

    @Option(names = "--limit", paramLabel = "N",
            description = "At most N rows, 0 for all (default: 50 in a table, all in csv and json).")
    Integer limit;

    int rows(Format format) {
        if (limit != null && limit < 0) {
            throw UserException.usage("--limit " + limit + ": expected 0 or more");
        }
        return limit != null ? limit : format == Format.TABLE ? TABLE_ROWS : 0;
    }

    /**
     * Says what the page left out, if anything: under a table on {@code out}, else on {@code err}
     * (csv and json stay data alone). {@code what} names the rows, plural ("addresses").
     */
    static void footer(Page<?> page, String what, Format format, PrintWriter out, PrintWriter err) {
        long left = page.total() - page.shown();
        if (left <= 0) {
            return;
        }
        List<String> classes = new ArrayList<>();
        for (SenderClass c : SenderClass.values()) {
            Long n = page.notShown().get(c);
            if (n != null && n > 0) {
                classes.add(String.format(Locale.ROOT, "%,d %s", n, c.word()));
            }
        }
        String line = String.format(Locale.ROOT, "%,d of %,d %s shown; not shown: %s. --limit 0 shows all.",
                page.shown(), page.total(), what, String.join(", ", classes));
        if (format == Format.TABLE) {
            Lines.println(out, line);
        } else {
            err.println("note: " + line);
        }
    }
}
