package org.dmarcq.analysis;

import java.util.List;
import java.util.Map;

/**
 * The first rows of a question that can have tens of thousands (most of them forgers'): {@code shown}
 * is how many of them were given, at most the limit asked for, {@code total} how many there are,
 * {@code notShown} the classes of those left out, so that a reader knows whether anything but
 * spoofing is among them. {@code rows} holds the rows given, or nothing when they went to a
 * consumer one by one.
 */
public record Page<T>(List<T> rows, long shown, long total, Map<SenderClass, Long> notShown) {
    public Page {
        rows = List.copyOf(rows);
        notShown = Map.copyOf(notShown);
    }

    public Page(List<T> rows, long total, Map<SenderClass, Long> notShown) {
        this(rows, rows.size(), total, notShown);
    }

    /** The counts of rows that went to a consumer. */
    static <T> Page<T> streamed(long shown, long total, Map<SenderClass, Long> notShown) {
        return new Page<>(List.of(), shown, total, notShown);
    }
}
