package org.dmarcq.report;

/**
 * A deviation that was tolerated or repaired while reading a report: never silent, always stored.
 * {@code message} is the same for every warning of its kind (so that warnings can be counted by
 * kind); {@code detail} holds the values of this one (names, numbers, what was read), or null;
 * {@code count} how many times it occurred in the report.
 */
public record ReportWarning(Location location, String message, String detail, long count) {
    public ReportWarning(Location location, String message) {
        this(location, message, null, 1);
    }

    public ReportWarning(Location location, String message, String detail) {
        this(location, message, detail, 1);
    }

    /** The message, its detail and how many times, in words. */
    public String text() {
        return message + (detail == null ? "" : ": " + detail) + (count == 1 ? "" : " (" + count + " times)");
    }

    @Override
    public String toString() {
        return location + ": " + text();
    }
}
