package org.dmarcq.fetch;

import java.util.List;
import org.dmarcq.ingest.IngestProblem;

/**
 * The totals of one fetch (of one pass, in watch mode).
 *
 * @param folders folders read
 * @param read messages read from them
 * @param stored messages whose reports are now stored, at least one of them newly
 * @param duplicate messages whose reports were all stored already
 * @param invalid messages that held no report or one that could not be stored (see {@code problems})
 * @param reports DMARC aggregate reports newly stored
 * @param tlsReports SMTP TLS reports newly stored
 * @param duplicateReports reports (DMARC or TLS) already stored, not stored again
 * @param records records of the newly stored reports
 * @param messages messages of the newly stored reports: the sum of their records' counts
 * @param tlsSessions sessions in the newly stored TLS reports
 * @param warnings warnings recorded for the newly stored reports
 * @param problems what could not be stored, one entry per problem, naming the message
 */
public record FetchSummary(int folders, long read, long stored, long duplicate, long invalid, long reports, long tlsReports,
                           long duplicateReports, long records, long messages, long tlsSessions, long warnings,
                           List<IngestProblem> problems) {
    static final FetchSummary EMPTY = new FetchSummary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of());

    /** Both totals together (of two passes, or two accounts). */
    public FetchSummary plus(FetchSummary o) {
        List<IngestProblem> all = new java.util.ArrayList<>(problems);
        all.addAll(o.problems);
        return new FetchSummary(folders + o.folders, read + o.read, stored + o.stored, duplicate + o.duplicate, invalid + o.invalid,
                reports + o.reports, tlsReports + o.tlsReports, duplicateReports + o.duplicateReports, records + o.records,
                messages + o.messages, tlsSessions + o.tlsSessions, warnings + o.warnings, List.copyOf(all));
    }
}
