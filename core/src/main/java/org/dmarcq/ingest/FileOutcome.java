package org.dmarcq.ingest;

import java.util.List;
import org.dmarcq.report.ReportWarning;

/**
 * What one input file gave: reports newly stored, duplicates of stored ones, their records and
 * messages (the sum of the records' counts), records skipped as unreadable, e-mails in it that
 * carried no report (a mailbox's replies and bounces), the problems that kept parts of it out, and
 * the warnings of the reports stored; and the SMTP TLS reports newly stored, with their sessions;
 * {@code tlsDuplicates} counts the duplicates that were TLS reports.
 */
public record FileOutcome(String file, int reports, int duplicates, long records, long messages, long skippedRecords,
                          int emailsWithoutReport, List<IngestProblem> problems, List<ReportWarning> warnings,
                          int tlsReports, long tlsSessions, int tlsDuplicates) {
    public boolean failed() {
        return !problems.isEmpty();
    }
}
