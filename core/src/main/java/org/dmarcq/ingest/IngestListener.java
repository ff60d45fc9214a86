package org.dmarcq.ingest;

/** Follows an ingest as it goes, e.g. to draw a progress bar. Called on the ingesting thread. */
public interface IngestListener {
    IngestListener NONE = new IngestListener() {};

    /** The inputs were listed: this many files will be read. */
    default void started(int files) {}

    /** One file is done. */
    default void fileDone(FileOutcome outcome) {}

    /**
     * A commit made what was read so far durable: {@code reports} DMARC and {@code tlsReports} TLS
     * reports are stored by this ingest in all, and stay whatever happens next.
     */
    default void committed(long reports, long tlsReports) {}
}
