package org.dmarcq.analysis;

/**
 * The digits an answer's numbers are given with, in JSON and on the report's page alike: shares to
 * four decimals, expected message counts (fractional under pct or t=y) to one; more would be false
 * precision.
 */
public final class Precision {
    private Precision() {}

    /** A share of 0 to 1 to four decimals; null stays null. */
    public static Double rate(Double share) {
        return share == null ? null : Math.round(share * 10000) / 10000.0;
    }

    /** An expected count of messages to one decimal. */
    public static double tenths(double n) {
        return Math.round(n * 10) / 10.0;
    }
}
