package org.dmarcq.fetch;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

/**
 * A mailbox seen as {@link Fetch} needs it: one folder selected at a time, messages named by UID.
 * {@link ImapMailbox} is the IMAP one. Every method throws {@link FetchException} when the server
 * cannot be used.
 */
public interface Mailbox extends AutoCloseable {

    /** A message's envelope: what names it in error lines and in the database. */
    record Envelope(long uid, long size, String subject, String messageId) {}

    /** A message's UID and its whole content, as the server keeps it. */
    record Content(long uid, byte[] bytes) {}

    /** What a mailbox can say of where it is, for lines and checkpoints: {@code user@host:port}. */
    String account();

    /** Selects the folder (read-write when {@code write}); returns its UIDVALIDITY. */
    long select(String folder, boolean write);

    /** Whether the folder exists. */
    boolean exists(String folder);

    /** Creates the folder, and those above it, unless they exist. */
    void create(String folder);

    /** The separator of folder levels ({@code /} or {@code .}). */
    char separator();

    /** UIDs in the selected folder above {@code after}, ascending; only messages received on or after {@code since} when given. */
    List<Long> uidsAfter(long after, LocalDate since);

    /** The envelopes of these messages of the selected folder, in the order given; a UID gone is left out. */
    List<Envelope> envelopes(List<Long> uids);

    /** The whole messages (one pipelined FETCH), without setting \Seen; a UID gone is left out. */
    List<Content> contents(List<Long> uids);

    /** Moves the messages into the folder (MOVE, or COPY, \Deleted and UID EXPUNGE). */
    void move(List<Long> uids, String folder);

    /** Flags the messages \Seen. */
    void markSeen(List<Long> uids);

    /**
     * Waits for a change in the selected folder: IDLE where the server has it, otherwise sleeps;
     * returns after at most {@code most} (or less, as the mailbox needs), or at once after {@link #wake()}.
     */
    void await(Duration most);

    /** Ends an {@link #await} early, from another thread. */
    void wake();

    @Override
    void close();
}
