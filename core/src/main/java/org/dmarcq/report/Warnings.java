package org.dmarcq.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A report's warnings: the same message from many records is kept once with its count and first
 * location, and distinct messages are capped so that a broken generator cannot flood the store.
 */
final class Warnings {
    static final int MAX_DISTINCT = 100;

    private final Map<List<String>, Entry> entries = new LinkedHashMap<>();
    private long dropped;

    private static final class Entry {
        final Location first;
        long count = 1;

        Entry(Location first) {
            this.first = first;
        }
    }

    void add(Location where, String message) {
        add(where, message, null, 1);
    }

    /** A warning of the kind {@code message}, with the values of this one in {@code detail} (or null). */
    void add(Location where, String message, String detail) {
        add(where, message, detail, 1);
    }

    private void add(Location where, String message, String detail, long times) {
        List<String> key = java.util.Arrays.asList(message, detail);
        Entry e = entries.get(key);
        if (e != null) {
            e.count += times;
        } else if (entries.size() < MAX_DISTINCT) {
            Entry added = new Entry(where);
            added.count = times;
            entries.put(key, added);
        } else {
            dropped += times;
        }
    }

    void addAll(Warnings other) {
        for (Map.Entry<List<String>, Entry> e : other.entries.entrySet()) {
            add(e.getValue().first, e.getKey().get(0), e.getKey().get(1), e.getValue().count);
        }
        dropped += other.dropped;
    }

    List<ReportWarning> toList() {
        List<ReportWarning> list = new ArrayList<>(entries.size() + 1);
        Location last = null;
        for (Map.Entry<List<String>, Entry> e : entries.entrySet()) {
            list.add(new ReportWarning(e.getValue().first, e.getKey().get(0), e.getKey().get(1), e.getValue().count));
            last = e.getValue().first;
        }
        if (dropped > 0) {
            list.add(new ReportWarning(last, "more warnings not kept", null, dropped));
        }
        return list;
    }
}
