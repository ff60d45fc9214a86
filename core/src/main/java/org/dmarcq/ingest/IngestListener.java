package org.dmarcq.ingest;

/** Follows an ingest as it goes, e.g. to draw a progress bar. Called on the ingesting thread. */
public interface IngestListener {
    IngestListener NONE = new IngestListener() {};

    /** The inputs were listed: this many files will be read. */
    default void started(int files) {}

    /** One file is done. */
    default void fileDone(FileOutcome outcome) {}
}
