package org.dmarcq.analysis;

import java.util.List;
import java.util.Map;

/**
 * The first rows of a question that can have tens of thousands (most of them forgers'): {@code rows}
 * is at most the limit asked for, {@code total} how many there are, {@code notShown} the classes of
 * those left out, so that a reader knows whether anything but spoofing is among them.
 */
public record Page<T>(List<T> rows, long total, Map<SenderClass, Long> notShown) {
    public Page {
        rows = List.copyOf(rows);
        notShown = Map.copyOf(notShown);
    }

    /** Every row, none left out. */
    static <T> Page<T> all(List<T> rows) {
        return new Page<>(rows, rows.size(), Map.of());
    }
}
