package org.dmarcq.ingest;

import java.util.List;

/**
 * The totals of one ingest.
 *
 * @param files input files read (an archive, an e-mail or an mbox is one file)
 * @param reports DMARC aggregate reports newly stored
 * @param duplicates reports (DMARC or TLS) already stored, not stored again
 * @param records records of the newly stored reports
 * @param messages messages of the newly stored reports: the sum of their records' counts
 * @param skippedRecords records left out of stored reports because they could not be read
 * @param warnings warnings recorded for the newly stored reports
 * @param emailsWithoutReport e-mails found in folders, mailboxes and Maildirs that carried no
 *     report: skipped, not problems
 * @param problems everything that could not be stored, one entry per problem
 * @param tlsReports SMTP TLS reports newly stored
 * @param tlsSessions sessions (successful and failed) in the newly stored TLS reports
 */
public record IngestSummary(int files, int reports, int duplicates, long records, long messages,
                            long skippedRecords, long warnings, long emailsWithoutReport, List<IngestProblem> problems,
                            int tlsReports, long tlsSessions) {
    /** Files with at least one problem. */
    public long failedFiles() {
        return problems.stream().map(IngestProblem::file).distinct().count();
    }
}
