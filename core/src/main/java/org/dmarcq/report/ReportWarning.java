package org.dmarcq.report;

/** A deviation that was tolerated or repaired while reading a report: never silent, always stored. */
public record ReportWarning(Location location, String message) {
    @Override
    public String toString() {
        return location + ": " + message;
    }
}
