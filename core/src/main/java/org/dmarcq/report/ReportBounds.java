package org.dmarcq.report;

import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * What a report may plausibly say: message and session counts, and reporting periods, beyond which
 * a report is broken or hostile rather than real. The bounds lie far beyond any real reporter and
 * far below what would overflow a sum, so totals over any store stay exact.
 */
public final class ReportBounds {
    /** Most messages one record (or one TLS count) may stand for: a billion. */
    public static final long MAX_COUNT = 1_000_000_000L;

    /** Longest reporting period accepted, in days: reporters send daily, some weekly or multi-week. */
    public static final int MAX_PERIOD_DAYS = 62;

    /** Earliest start of a period: DMARC is younger than this. */
    public static final LocalDate EARLIEST = LocalDate.of(2000, 1, 1);

    private ReportBounds() {}

    /** Why a count is not believable, or null when it is. */
    public static String countProblem(long count) {
        return countProblem(BigInteger.valueOf(count));
    }

    /** The same for a count that may not fit a {@code long}. */
    public static String countProblem(BigInteger count) {
        if (count.compareTo(BigInteger.valueOf(MAX_COUNT)) > 0) {
            return String.format(Locale.ROOT, "%s is more than %,d, beyond any real reporter", count, MAX_COUNT);
        }
        return null;
    }

    /** What is stored of a report whose period lies outside {@link #periodOutside}: the kind of its warning. */
    public static final String OUTSIDE_WARNING = "report period outside 2000 to the end of next year: stored, left out of"
            + " per-day counts and charts";

    /**
     * The period in words ({@code 1999-12-31 to 2000-01-01}) when it starts before 2000 or ends after
     * next year (by the UTC clock), else null. Such a report is stored with a warning, and the
     * {@code report_days} view ({@code plausible_day}) leaves its days out.
     */
    public static String periodOutside(Instant begin, Instant end) {
        Instant earliest = EARLIEST.atStartOfDay(ZoneOffset.UTC).toInstant();
        int nextYear = LocalDate.now(ZoneOffset.UTC).getYear() + 1;
        Instant latest = LocalDate.of(nextYear + 1, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return begin.isBefore(earliest) || end.isAfter(latest) ? day(begin) + " to " + day(end) : null;
    }

    /** Why a reporting period is not believable, or null when it is: it lasts longer than {@link #MAX_PERIOD_DAYS}. */
    public static String periodProblem(Instant begin, Instant end) {
        long days = ChronoUnit.SECONDS.between(begin, end) / 86_400;
        if (days > MAX_PERIOD_DAYS) {
            return "the period " + day(begin) + " to " + day(end) + " lasts " + days + " days, more than the "
                    + MAX_PERIOD_DAYS + " a report may cover";
        }
        return null;
    }

    private static String day(Instant t) {
        return t.atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }
}
