package org.dmarcq.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dmarcq.cli.output.HumanWriter;
import org.dmarcq.ingest.FileOutcome;
import org.dmarcq.ingest.IngestProblem;

/** What {@code ingest} and {@code fetch} print alike: error lines, count lines, the JSON errors. */
final class SummaryLines {
    private SummaryLines() {}

    /** An input's error lines on standard error, each one line; with {@code debug}, the trace behind one that was not bad input. */
    static void problems(FileOutcome outcome, PrintWriter err, boolean debug) {
        for (IngestProblem p : outcome.problems()) {
            err.println(HumanWriter.oneLine(p.toString()));
            if (debug && p.cause() != null) {
                p.cause().printStackTrace(err);
            }
        }
    }

    /** Lines of {label, count}, aligned. */
    static void counts(PrintWriter out, Object[][] lines) {
        for (Object[] line : lines) {
            out.printf(Locale.ROOT, "%-18s %,12d%n", line[0], ((Number) line[1]).longValue());
        }
    }

    /** The TLS reports line, when there are any. */
    static void tls(PrintWriter out, long reports, long sessions) {
        if (reports > 0) {
            out.printf(Locale.ROOT, "%-18s %,12d   (%,d sessions)%n", "TLS reports new", reports, sessions);
        }
    }

    /** The {@code errors} array of a JSON summary: {@code file}, {@code location}, {@code message} each. */
    static List<Object> errors(List<IngestProblem> problems) {
        List<Object> errors = new ArrayList<>();
        for (IngestProblem p : problems) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("file", p.file());
            error.put("location", p.location());
            error.put("message", p.message());
            errors.add(error);
        }
        return errors;
    }
}
