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

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private long dropped;

    private static final class Entry {
        final Location first;
        long count = 1;

        Entry(Location first) {
            this.first = first;
        }
    }

    void add(Location where, String message) {
        Entry e = entries.get(message);
        if (e != null) {
            e.count++;
        } else if (entries.size() < MAX_DISTINCT) {
            entries.put(message, new Entry(where));
        } else {
            dropped++;
        }
    }

    void addAll(Warnings other) {
        for (Map.Entry<String, Entry> e : other.entries.entrySet()) {
            for (long i = 0; i < e.getValue().count; i++) {
                add(e.getValue().first, e.getKey());
            }
        }
    }

    List<ReportWarning> toList() {
        List<ReportWarning> list = new ArrayList<>(entries.size() + 1);
        Location last = null;
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            String message = e.getValue().count == 1 ? e.getKey() : e.getKey() + " (" + e.getValue().count + " times)";
            list.add(new ReportWarning(e.getValue().first, message));
            last = e.getValue().first;
        }
        if (dropped > 0) {
            list.add(new ReportWarning(last, dropped + " more warnings not kept"));
        }
        return list;
    }
}
