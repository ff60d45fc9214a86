package org.dmarcq.fetch;

import org.dmarcq.ingest.FileOutcome;

/** Follows a fetch as it goes: for progress bars and log lines. Called on the fetching thread. */
public interface FetchListener {
    FetchListener NONE = new FetchListener() {};

    /** A folder is selected: {@code messages} new messages will be read from it. */
    default void folderStarted(String folder, int messages) {}

    /** One message is stored, found a duplicate, or found invalid; {@code outcome} as in the database. */
    default void messageDone(String folder, long uid, String outcome, FileOutcome ingested) {}

    /** A batch is committed and its messages filed away. */
    default void batchDone(String folder, FetchSummary batch) {}

    /** Something the user should know that is not a problem of one message (a UIDVALIDITY change, a reconnect). */
    default void note(String line) {}
}
