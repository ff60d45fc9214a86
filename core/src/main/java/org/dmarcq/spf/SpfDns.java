package org.dmarcq.spf;

import java.util.List;

/**
 * The DNS lookups an SPF evaluation makes: TXT, A, AAAA, MX and PTR, each answered with its
 * records' data as text (TXT: the character-strings joined; MX: the exchange names, most preferred
 * first; PTR: the names; names without the trailing dot).
 */
public interface SpfDns {
    Answer lookup(String name, Type type);

    /** Whether lookups wait on the network: then they are worth making many at once. */
    default boolean remote() {
        return false;
    }

    enum Type { TXT, A, AAAA, MX, PTR }

    /** What a lookup gave: records, none (NOERROR with no answers, or NXDOMAIN: a void lookup), or an error. */
    record Answer(Status status, List<String> values, String error) {
        public Answer {
            values = List.copyOf(values);
        }

        public static Answer of(List<String> values) {
            return new Answer(values.isEmpty() ? Status.EMPTY : Status.OK, values, null);
        }

        public static final Answer NXDOMAIN = new Answer(Status.NXDOMAIN, List.of(), null);

        public static Answer failed(String error) {
            return new Answer(Status.ERROR, List.of(), error);
        }

        /** No records: an SPF void lookup. */
        public boolean isVoid() {
            return status == Status.EMPTY || status == Status.NXDOMAIN;
        }
    }

    enum Status { OK, EMPTY, NXDOMAIN, ERROR }
}
