package org.dmarcq.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.dmarcq.analysis.Scope;
import org.dmarcq.rules.PublicSuffixList;
import org.dmarcq.store.Store;
import org.dmarcq.store.Wait;

/**
 * Opening the database for a question. It must exist. What is derived from the reports must be
 * current (an ingest keeps it so; a database from an older dmarcq, or a different suffix list,
 * needs a write first), and for the commands that name addresses, reverse DNS is looked up and
 * kept first: both hold the file only for that write. The question itself runs on the file opened
 * read-only, locked down as for {@code dmarcq sql}, so that an ingest can store beside it.
 */
final class Analysis {
    private Analysis() {}

    /** For a question about the reports in {@code scope}: when it holds none, a {@link UserException} says why (exit 1). */
    static Store open(DatabaseOptions database, SuffixOptions suffixes, Scope scope, PrintWriter err) {
        return open(database, suffixes, null, scope, err);
    }

    /**
     * @param dns where to look up reverse DNS, or null for a command that shows no names
     * @param scope the reports asked about (and the addresses to look up): when it holds none, a
     *     {@link UserException} says why (exit 1); null to ask nothing of them
     */
    static Store open(DatabaseOptions database, SuffixOptions suffixes, DnsOptions dns, Scope scope, PrintWriter err) {
        return open(database, suffixes, dns, scope, false, err);
    }

    /** The same; with {@code tlsEnough}, a store that holds SMTP TLS reports and no DMARC report at all will do. */
    static Store open(DatabaseOptions database, SuffixOptions suffixes, DnsOptions dns, Scope scope, boolean tlsEnough,
                      PrintWriter err) {
        Path file = database.existing();
        Wait wait = database.waiting(err);
        PublicSuffixList list = suffixes.list();
        // most often nothing needs writing: then the file is opened once, read-only
        Store store = Store.openReadOnlyIfCurrent(file, list, wait);
        if (store == null) {
            try (Store writer = Store.open(file, wait)) {
                writer.refreshDomains(list);
            }
        }
        if (dns != null && dns.looksUp()) {
            if (store != null) {
                store.close(); // the lookups keep their names in a short write of their own
            }
            dns.refresh(file, wait, list, scope, err);
            store = null;
        }
        if (store == null) {
            store = Store.openReadOnly(file, wait);
        }
        try {
            store.restrictForQuestions();
            String empty = scope == null ? null : scope.whyEmpty(store);
            if (empty != null && !(tlsEnough && onlyTlsReports(store))) {
                throw new UserException(empty);
            }
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private static boolean onlyTlsReports(Store store) {
        try (java.sql.Statement s = store.connection().createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM reports) = 0 AND (SELECT count(*) FROM tls_reports) > 0")) {
            return rs.next() && rs.getBoolean(1);
        } catch (java.sql.SQLException e) {
            throw new org.dmarcq.store.StoreException(store.file() + ": cannot count the TLS reports: " + Store.problem(e), e);
        }
    }
}
