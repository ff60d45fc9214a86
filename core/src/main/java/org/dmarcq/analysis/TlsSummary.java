package org.dmarcq.analysis;

import java.time.LocalDate;
import java.util.List;

/**
 * SMTP TLS sessions of one policy domain under one policy type ({@code sts}, {@code tlsa},
 * {@code no-policy-found}) in a scope: the reports' own totals, per day, and the failures broken
 * down by result type, receiving MX and reporter.
 *
 * @param stsModes the MTA-STS modes the reports show ({@code testing}, {@code enforce}, ...)
 * @param mismatchedPolicies policy blocks whose failure details do not add up to their failure total
 */
public record TlsSummary(String policyDomain, String policyType, List<String> stsModes, long successfulSessions,
                         long failedSessions, int reports, List<String> reporters, List<Day> perDay,
                         List<Count> byResultType, List<Count> byMx, List<Reporter> byReporter, long mismatchedPolicies) {

    /** Sessions of the reports whose period begins on a UTC day (TLS reports cover one day each). */
    public record Day(LocalDate day, long successfulSessions, long failedSessions) {
        public Double successRate() {
            return TlsSummary.rate(successfulSessions, failedSessions);
        }
    }

    /** Failed sessions counted under one name: a result type or a receiving MX host. */
    public record Count(String name, long sessions) {}

    public record Reporter(String name, int reports, long successfulSessions, long failedSessions) {}

    public long sessions() {
        return successfulSessions + failedSessions;
    }

    /** Successful sessions over all sessions, or null without sessions. */
    public Double successRate() {
        return rate(successfulSessions, failedSessions);
    }

    static Double rate(long successful, long failed) {
        return successful + failed == 0 ? null : (double) successful / (successful + failed);
    }
}
