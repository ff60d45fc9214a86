package org.dmarcq.ingest;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The heap that in-memory copies of reports may take, shared by every ingest worker of the JVM, so
 * that more cores never mean more memory than {@code -Xmx} allows. Two parts, sized from the
 * maximum heap:
 * <ul>
 *   <li>copies: a report up to {@link #wholeBytes} is read into memory whole, so that it can be
 *       repaired when it is not well-formed; four such copies fit at once, and a worker waits for
 *       room rather than take more;</li>
 *   <li>whole-document work: a repair, or the JSON tree of a large TLS report, needs several times
 *       the report's size; one runs at a time, with a reserve of six copies.</li>
 * </ul>
 * A worker whose file is not yet being stored may block, holding a copy, until the storing thread
 * takes what it parsed; so one copy is kept for the file being stored, and whole-document work
 * waits until its file is being stored. The file being stored always gets what it needs, and
 * waiting can never deadlock. What a report gets does not depend on timing, only on its size and
 * the heap.
 */
final class MemoryBudget {
    static final MemoryBudget SHARED = new MemoryBudget(Runtime.getRuntime().maxMemory());

    private static final long MOST_WHOLE = 16L << 20;
    /** Copies that fit at once, and the copies whole-document work may need: see the class comment. */
    private static final int COPIES = 4;
    private static final int WHOLE_DOCUMENT_COPIES = 6;
    private static final long POLL_MILLIS = 20;

    private final int wholeBytes;
    private final Semaphore copies = new Semaphore(COPIES - 1, true);
    private final Semaphore storingFileCopy = new Semaphore(1, true);
    private final ReentrantLock wholeDocument = new ReentrantLock(true);

    MemoryBudget(long maxHeap) {
        // Copies and whole-document work together take at most two thirds of the heap.
        long perCopy = maxHeap * 2 / 3 / (COPIES + WHOLE_DOCUMENT_COPIES);
        this.wholeBytes = (int) (Math.max(1 << 20, Math.min(MOST_WHOLE, perCopy)) >> 20 << 20); // whole MiB, as messages say
    }

    /** The largest report held in memory whole (16 MiB, less on a heap under 240 MiB). */
    int wholeBytes() {
        return wholeBytes;
    }

    /**
     * Room for one copy of up to {@link #wholeBytes}; waits until there is room.
     *
     * @param beingStored whether the caller's file is the one the storing thread is taking now
     */
    Lease copy(BooleanSupplier beingStored) throws InterruptedException {
        while (true) {
            if (copies.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                return copies::release;
            }
            if (beingStored.getAsBoolean() && storingFileCopy.tryAcquire()) {
                return storingFileCopy::release;
            }
        }
    }

    /** The right to do whole-document work: once the caller's file is being stored, one at a time. */
    Lease wholeDocument(BooleanSupplier beingStored) throws InterruptedException {
        while (!beingStored.getAsBoolean()) {
            Thread.sleep(POLL_MILLIS);
        }
        wholeDocument.lockInterruptibly();
        return wholeDocument::unlock;
    }

    /** Room held; closing gives it back. */
    interface Lease extends AutoCloseable {
        @Override
        void close();
    }
}
