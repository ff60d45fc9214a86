package org.dmarcq.report;

/** Input that is not a readable DMARC aggregate report; the message names the place. */
public final class ReportFormatException extends Exception {
    private final Location location;
    private final String problem;

    public ReportFormatException(Location location, String problem) {
        this(location, problem, null);
    }

    public ReportFormatException(Location location, String problem, Throwable cause) {
        super(location + ": " + problem, cause);
        this.location = location;
        this.problem = problem;
    }

    public Location location() {
        return location;
    }

    /** The message without the location prefix. */
    public String problem() {
        return problem;
    }
}
