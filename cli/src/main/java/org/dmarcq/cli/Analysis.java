package org.dmarcq.cli;

import org.dmarcq.rules.PublicSuffixList;
import org.dmarcq.store.Store;

/**
 * Opening the database for a question: it must exist, its domains table must be current, and,
 * for the commands that name addresses, reverse DNS is looked up first. Then the connection is
 * locked down as for {@code dmarcq sql}: the questions need no files and no settings.
 */
final class Analysis {
    private Analysis() {}

    static Store open(DatabaseOptions database, SuffixOptions suffixes) {
        return open(database, suffixes, null);
    }

    /** @param dns where to look up reverse DNS, or null for a command that shows no names */
    static Store open(DatabaseOptions database, SuffixOptions suffixes, DnsOptions dns) {
        Store store = Store.open(database.existing());
        try {
            if (dns != null) {
                dns.refresh(store);
            }
            // after the lookups: the reverse DNS names are grouped by their organizational domains too
            PublicSuffixList list = suffixes.list();
            store.refreshDomains(list);
            // a view or macro planted with sql --write runs here too: it must not reach files either
            store.lockDown(false);
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }
}
