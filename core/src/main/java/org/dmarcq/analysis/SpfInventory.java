package org.dmarcq.analysis;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.dmarcq.identity.Service;
import org.dmarcq.spf.CheckHost;
import org.dmarcq.spf.SpfAudit;
import org.dmarcq.spf.SpfDns;
import org.dmarcq.spf.SpfSnapshots;
import org.dmarcq.store.Store;
import org.dmarcq.store.StoreException;

/**
 * Which terms of each domain's SPF record still carry mail, and whose: every source address the
 * reports show with the domain as its SPF (MAIL FROM) domain is evaluated with {@link CheckHost}
 * over the given DNS answers, and its mail is counted under the top-level term that decided it.
 * The domains are the policy domains of the scope and the other SPF domains of the reports under
 * the same organizational domains (bounce subdomains).
 */
public final class SpfInventory {
    private SpfInventory() {}

    /** At most this many of the sources no term authorises are listed per domain, most messages first. */
    static final int UNMATCHED_SHOWN = 20;

    /**
     * A top-level term: {@code status} {@code used} (it decided some address), {@code unused},
     * {@code permerror} (it lies past the tenth DNS lookup), or {@code unreached} (it comes after a
     * term where evaluations stopped with an error, so whether it would carry mail is unknown); its mail in the scope, and the systems
     * behind it, most messages first; {@code service} the service an {@code include:} belongs to.
     */
    public record Term(int position, String term, String status, long messages, long sources, Instant firstSeen, Instant lastSeen,
                       long spfAlignedMessages, List<String> names, String service, int lookups, Earlier earlier) {

        Term withEarlier(Earlier e) {
            return new Term(position, term, status, messages, sources, firstSeen, lastSeen, spfAlignedMessages, names, service, lookups, e);
        }
    }

    /**
     * What an unused term decided under the answers of an earlier snapshot: the sources of the
     * scope whose mail it would then have passed (a vendor that changed its addresses, a record
     * that changed), their messages and their systems, most messages first.
     */
    public record Earlier(Instant takenAt, long sources, long messages, List<String> names) {}

    /** The record of the domain in the newest earlier snapshot that looked it up, and whether it differs from the one used now. */
    public record Previous(Instant takenAt, String record, boolean changed) {}

    /**
     * A source that sent with the domain as SPF domain: its system, messages, the result of
     * dmarcq's evaluation (and why, for errors), and the result the receivers reported.
     */
    public record SourceResult(String sourceIp, String system, long messages, String result, String reported, String problem) {}

    /**
     * One domain: its audit, its terms, its sources that no term authorises (the first
     * {@link #UNMATCHED_SHOWN}; {@code unmatchedSources} counts all), the days of reports its mail
     * covers, the sources where dmarcq's result differs from what the receivers reported (the first
     * {@link #UNMATCHED_SHOWN} in {@code disagreeing}, {@code disagreements} counts all) and the
     * likely causes, and its record in an earlier snapshot (null when none is compared).
     */
    public record Domain(SpfAudit.Result audit, List<Term> terms, List<SourceResult> unmatched, long unmatchedSources,
                         long unmatchedMessages, long messages, long sources, int days, long disagreements,
                         List<String> disagreementCauses, List<SourceResult> disagreeing, Previous previous) {

        Domain with(List<Term> newTerms, Previous p) {
            return new Domain(audit, newTerms, unmatched, unmatchedSources, unmatchedMessages, messages, sources, days, disagreements,
                    disagreementCauses, disagreeing, p);
        }
    }

    /** The domains whose SPF records a scope's questions need. */
    public static List<String> domains(Store store, Scope scope) {
        String sql = """
                WITH mine AS (SELECT DISTINCT p.policy_domain FROM reports p WHERE %1$s),
                orgs AS (SELECT DISTINCT d.organizational_domain AS org FROM mine m JOIN domains d ON d.name = m.policy_domain
                         WHERE d.organizational_domain IS NOT NULL),
                spf AS (
                    SELECT DISTINCT lower(s.domain) AS domain FROM spf_results s
                    JOIN records r ON r.record_key = s.record_key JOIN reports p ON p.report_key = r.report_key
                    JOIN domains d ON d.name = s.domain
                    WHERE %1$s AND coalesce(s.scope, 'mfrom') = 'mfrom' AND d.organizational_domain IN (SELECT org FROM orgs)
                )
                SELECT lower(policy_domain) FROM mine UNION SELECT domain FROM spf ORDER BY 1""".formatted(scope.literalWhere("p"));
        return column(store, sql, "the SPF domains");
    }

    /** The policy domains of the reports, lowercase. */
    public static List<String> policyDomains(Store store) {
        return column(store, "SELECT DISTINCT lower(policy_domain) FROM reports ORDER BY 1", "the policy domains");
    }

    /** The first column of a query's rows. */
    private static List<String> column(Store store, String sql, String what) {
        List<String> values = new ArrayList<>();
        try (Statement s = store.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": cannot list " + what + ": " + Store.problem(e), e);
        }
        return values;
    }

    /**
     * The top-level terms a cleanup could remove: those that carried no mail in the scope (not
     * {@code all}, not modifiers), and address ranges that repeat or lie inside another range of the tree.
     */
    public static List<String> removable(Domain d) {
        List<String> terms = new ArrayList<>();
        for (Term t : d.terms()) {
            String lower = t.term().toLowerCase(java.util.Locale.ROOT);
            boolean modifier = lower.matches("[a-z][a-z0-9_.-]*=.*");
            if (t.status().equals("unused") && !modifier && !lower.matches("[-+~?]?all")) {
                terms.add(t.term());
            }
        }
        for (SpfAudit.Finding f : d.audit().findings()) {
            if ((f.kind().equals("covered-range") || f.kind().equals("duplicate-range")) && f.domain().equals(d.audit().domain())
                    && !terms.contains(f.term())) {
                terms.add(f.term());
            }
        }
        return terms;
    }

    /** Audits the domains, in parallel (each is a walk of DNS lookups). */
    public static List<SpfAudit.Result> audit(List<String> domains, SpfDns dns) {
        SpfAudit audit = new SpfAudit(dns);
        return parallel(domains, Math.max(1, Math.min(8, domains.size())), audit::audit);
    }

    /** {@code f} of each item, in order, on {@code threads} threads. */
    private static <T, R> List<R> parallel(List<T> items, int threads, java.util.function.Function<T, R> f) {
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(threads);
        try {
            return pool.submit(() -> items.parallelStream().map(f).toList()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The inventory of each audited domain over the mail of the scope. */
    public static List<Domain> run(Store store, Scope scope, List<SpfAudit.Result> audits, SpfDns dns, Classes classes,
                                   Naming naming) {
        return run(store, scope, audits, dns, List.of(), classes, naming);
    }

    /**
     * The same, comparing with {@code earlier} snapshots (newest first): each domain's record then,
     * and for each unused term, the mail it decided under the newest of them in which it decided any.
     */
    public static List<Domain> run(Store store, Scope scope, List<SpfAudit.Result> audits, SpfDns dns,
                                   List<SpfSnapshots.Snapshot> earlier, Classes classes, Naming naming) {
        try (SourceAnalysis analysis = SourceAnalysis.prepare(store, scope, Proposal.of(Disposition.QUARANTINE), classes, naming)) {
            return run(store, scope, audits, dns, earlier, naming, analysis);
        }
    }

    /** The same from an analysis prepared for {@code p=quarantine} over the scope: its sources name the systems. */
    static List<Domain> run(Store store, Scope scope, List<SpfAudit.Result> audits, SpfDns dns, List<SpfSnapshots.Snapshot> earlier,
                            Naming naming, SourceAnalysis analysis) {
        try {
            List<Domain> domains = inventory(store, scope, audits, dns, naming);
            return earlier.isEmpty() ? domains : compare(store.connection(), domains, earlier);
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": cannot attribute the mail to SPF terms: " + Store.problem(e), e);
        }
    }

    private static List<Domain> inventory(Store store, Scope scope, List<SpfAudit.Result> audits, SpfDns dns, Naming naming)
            throws SQLException {
        Connection c = store.connection();
        mail(c, scope, audits.stream().map(SpfAudit.Result::domain).toList());
        evaluate(c, dns, "q_spf_eval");
        try (Statement s = c.createStatement()) {
            s.execute("""
                    CREATE OR REPLACE TEMP TABLE q_spf_names AS
                    SELECT e.domain, e.top_term, coalesce(s.system, e.source_ip) AS name, sum(m.messages) AS messages
                    FROM q_spf_eval e JOIN q_spf_mail m USING (domain, source_ip) LEFT JOIN q_spf_systems s ON s.source_ip = e.source_ip
                    WHERE e.top_term IS NOT NULL GROUP BY ALL""");
        }
        Map<String, Domain> byDomain = new LinkedHashMap<>();
        for (SpfAudit.Result a : audits) {
            byDomain.put(a.domain(), domain(c, scope, a, naming));
        }
        return new ArrayList<>(byDomain.values());
    }

    /**
     * {@code q_spf_mail}: per SPF domain of {@code domains} and source address, its mail in the
     * scope; {@code spf_only_messages} are those that pass DMARC by aligned SPF alone (no aligned
     * DKIM), which fail DMARC when SPF stops passing.
     */
    private static void mail(Connection c, Scope scope, List<String> domains) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE TEMP TABLE q_spf_domains (domain VARCHAR)");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO q_spf_domains VALUES (?)")) {
                for (String d : domains) {
                    p.setString(1, d);
                    p.addBatch();
                }
                p.executeBatch();
            }
            s.execute("""
                    CREATE OR REPLACE TEMP TABLE q_spf_mail AS
                    SELECT lower(x.domain) AS domain, v.source_ip, sum(v.count) AS messages,
                           min(v.begin_time) AS first_seen, max(v.end_time) AS last_seen,
                           coalesce(sum(v.count) FILTER (WHERE v.spf_aligned AND x.result = 'pass'), 0) AS spf_aligned_messages,
                           coalesce(sum(v.count) FILTER (WHERE v.spf_aligned AND x.result = 'pass' AND NOT v.dkim_aligned), 0)
                               AS spf_only_messages,
                           first(x.result ORDER BY v.count DESC, x.result) AS reported,
                           count(DISTINCT x.result) AS reported_results
                    FROM record_verdicts v JOIN spf_results x ON x.record_key = v.record_key
                    WHERE %s AND coalesce(x.scope, 'mfrom') = 'mfrom' AND lower(x.domain) IN (SELECT domain FROM q_spf_domains)
                    GROUP BY ALL""".formatted(scope.literalWhere("v")));
            s.execute("""
                    CREATE OR REPLACE TEMP TABLE q_spf_days AS
                    SELECT lower(x.domain) AS domain, count(DISTINCT d.day) AS days
                    FROM record_verdicts v JOIN spf_results x ON x.record_key = v.record_key
                    JOIN report_days d ON d.report_key = v.report_key
                    WHERE %s AND coalesce(x.scope, 'mfrom') = 'mfrom' AND lower(x.domain) IN (SELECT domain FROM q_spf_domains)
                    GROUP BY ALL""".formatted(scope.literalWhere("v")));
            // each address's system, as the other questions name it
            s.execute("""
                    CREATE OR REPLACE TEMP TABLE q_spf_systems AS
                    SELECT source_ip, first(system ORDER BY messages DESC) AS system FROM q_sources
                    WHERE source_ip IN (SELECT source_ip FROM q_spf_mail) GROUP BY 1""");
        }
    }

    /**
     * Evaluates every (domain, address) of {@code q_spf_mail} into {@code table}: the work that grows
     * with addresses, in one pass; with answers from the network, on several threads, so that many
     * lookups are in flight at once (from a snapshot or a zone file, threads only contend).
     */
    private static void evaluate(Connection c, SpfDns dns, String table) throws SQLException {
        CheckHost check = new CheckHost(dns);
        List<String[]> pairs = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT DISTINCT domain, source_ip FROM q_spf_mail")) {
            while (rs.next()) {
                pairs.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        List<String[]> rows = parallel(pairs, dns.remote() ? EVALUATORS : 1, p -> {
            CheckHost.Evaluation e = check.evaluate(p[1], p[0]);
            CheckHost.Step top = e.topTerm();
            return new String[] {p[0], p[1], e.result().word(), top == null ? null : top.term(),
                    e.leafTerm() == null ? null : e.leafTerm().toString(), e.problem(), String.join("", e.unknownMacros())};
        });
        try (Statement s = c.createStatement()) {
            s.execute("""
                    CREATE OR REPLACE TEMP TABLE %s (domain VARCHAR, source_ip VARCHAR, result VARCHAR, top_term VARCHAR,
                                                     leaf VARCHAR, problem VARCHAR, unknown_macros VARCHAR)""".formatted(table));
        }
        insert(c, table, rows);
    }

    /** Threads that evaluate addresses: as many as DNS lookups in flight, as reverse DNS has. */
    private static final int EVALUATORS = 16;

    /**
     * What a proposed record for one domain would change: its audit, the sources that pass SPF now
     * and would not ({@code lost}) and those that would start to ({@code gained}), with their mail.
     */
    public record WhatIf(String domain, String currentRecord, SpfAudit.Result proposed, long spfFailMessages,
                         long dmarcFailMessages, List<Affected> lost, long gainedSources, long gainedMessages, int days) {}

    /**
     * A source that would stop passing SPF: its system, its messages with the domain as SPF domain,
     * those that would fail DMARC (no aligned DKIM), per UTC day of reports, and both results.
     */
    public record Affected(String sourceIp, String system, long messages, long dmarcFailMessages, double messagesPerDay,
                           String resultNow, String resultProposed, String termNow) {}

    /** The effect of publishing {@code proposedRecord} for {@code domain} instead of what {@code dns} holds. */
    public static WhatIf whatIf(Store store, Scope scope, String domain, String proposedRecord, SpfDns dns, Classes classes,
                                Naming naming) {
        String d = domain.toLowerCase(java.util.Locale.ROOT);
        SpfDns proposed = new SpfDns() {
            @Override
            public Answer lookup(String name, Type type) {
                return type == Type.TXT && name.equalsIgnoreCase(d) ? Answer.of(List.of(proposedRecord)) : dns.lookup(name, type);
            }

            @Override
            public boolean remote() {
                return dns.remote();
            }
        };
        SpfAudit.Result audit = new SpfAudit(proposed).audit(d);
        SpfAudit.Result current = new SpfAudit(dns).audit(d);
        try (SourceAnalysis analysis = SourceAnalysis.prepare(store, scope, Proposal.of(Disposition.QUARANTINE), classes, naming)) {
            Connection c = store.connection();
            mail(c, scope, List.of(d));
            evaluate(c, dns, "q_spf_eval");
            evaluate(c, proposed, "q_spf_proposed");
            int days = days(c, d);
            List<Affected> lost = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                    SELECT m.source_ip, n.system, m.messages, m.spf_only_messages, now.result, p.result, now.top_term
                    FROM q_spf_mail m JOIN q_spf_eval now USING (domain, source_ip) JOIN q_spf_proposed p USING (domain, source_ip)
                    LEFT JOIN q_spf_systems n ON n.source_ip = m.source_ip
                    WHERE now.result = 'pass' AND p.result <> 'pass'
                    ORDER BY m.spf_only_messages DESC, m.messages DESC, m.source_ip""")) {
                while (rs.next()) {
                    lost.add(new Affected(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                            days == 0 ? 0 : (double) rs.getLong(3) / days, rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
            long gainedSources;
            long gainedMessages;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                    SELECT count(*), coalesce(sum(m.messages), 0)
                    FROM q_spf_mail m JOIN q_spf_eval now USING (domain, source_ip) JOIN q_spf_proposed p USING (domain, source_ip)
                    WHERE now.result <> 'pass' AND p.result = 'pass'""")) {
                rs.next();
                gainedSources = rs.getLong(1);
                gainedMessages = rs.getLong(2);
            }
            return new WhatIf(d, current.record(), audit, lost.stream().mapToLong(Affected::messages).sum(),
                    lost.stream().mapToLong(Affected::dmarcFailMessages).sum(), lost, gainedSources, gainedMessages, days);
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": cannot evaluate the proposed SPF record: " + Store.problem(e), e);
        }
    }

    /** The UTC days of the scope's reports with mail of this SPF domain. */
    private static int days(Connection c, String domain) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT coalesce(max(days), 0) FROM q_spf_days WHERE domain = ?")) {
            p.setString(1, domain);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static List<Domain> compare(Connection c, List<Domain> domains, List<SpfSnapshots.Snapshot> earlier) throws SQLException {
        List<Domain> compared = new ArrayList<>();
        boolean anyUnused = domains.stream().flatMap(d -> d.terms().stream()).anyMatch(t -> t.status().equals("unused"));
        List<Map<String, Earlier>> covers = new ArrayList<>(); // per snapshot: "domain term" to what the term decided then
        for (SpfSnapshots.Snapshot snapshot : earlier) {
            Map<String, Earlier> cover = new java.util.HashMap<>();
            if (anyUnused) {
                evaluate(c, snapshot.dns(), "q_spf_then");
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                        SELECT e.domain, e.top_term, count(*), sum(m.messages),
                               list(coalesce(n.system, e.source_ip) ORDER BY m.messages DESC, e.source_ip)[1:5]
                        FROM q_spf_then e JOIN q_spf_mail m USING (domain, source_ip) LEFT JOIN q_spf_systems n ON n.source_ip = e.source_ip
                        WHERE e.top_term IS NOT NULL AND e.result = 'pass' GROUP BY ALL""")) {
                    while (rs.next()) {
                        cover.put(rs.getString(1) + " " + rs.getString(2), new Earlier(Scope.instant(snapshot.takenAt()), rs.getLong(3),
                                rs.getLong(4), ListColumns.strings(rs, 5)));
                    }
                }
            }
            covers.add(cover);
        }
        for (Domain d : domains) {
            Previous previous = null;
            for (SpfSnapshots.Snapshot snapshot : earlier) {
                if (snapshot.dns().lookup(d.audit().domain(), SpfDns.Type.TXT).status() == SpfDns.Status.ERROR) {
                    continue; // not looked up then
                }
                String record = new SpfAudit(snapshot.dns()).audit(d.audit().domain()).record();
                previous = new Previous(Scope.instant(snapshot.takenAt()), record, !java.util.Objects.equals(record, d.audit().record()));
                break;
            }
            List<Term> terms = new ArrayList<>();
            for (Term t : d.terms()) {
                Earlier then = null;
                for (Map<String, Earlier> cover : covers) {
                    then = t.status().equals("unused") ? cover.get(d.audit().domain() + " " + t.term()) : null;
                    if (then != null) {
                        break;
                    }
                }
                terms.add(t.withEarlier(then));
            }
            compared.add(d.with(terms, previous));
        }
        return compared;
    }

    /** Rows of text into a temporary table, through DuckDB's appender (a statement of values is slow to parse). */
    private static void insert(Connection c, String table, List<String[]> rows) throws SQLException {
        try (org.duckdb.DuckDBAppender appender = c.unwrap(org.duckdb.DuckDBConnection.class).createAppender("temp", "main", table)) {
            for (String[] row : rows) {
                appender.beginRow();
                for (String value : row) {
                    if (value == null) {
                        appender.appendNull();
                    } else {
                        appender.append(value);
                    }
                }
                appender.endRow();
            }
            appender.flush();
        }
    }

    private static Domain domain(Connection c, Scope scope, SpfAudit.Result audit, Naming naming) throws SQLException {
        Map<String, Term> terms = new LinkedHashMap<>();
        String perTerm = """
                SELECT t.top_term, t.messages, t.sources, t.first_seen, t.last_seen, t.spf_aligned_messages, n.names
                FROM (SELECT e.top_term, sum(m.messages) AS messages, count(*) AS sources, min(m.first_seen) AS first_seen,
                             max(m.last_seen) AS last_seen, sum(m.spf_aligned_messages) AS spf_aligned_messages
                      FROM q_spf_eval e JOIN q_spf_mail m USING (domain, source_ip)
                      WHERE e.domain = ? AND e.top_term IS NOT NULL GROUP BY e.top_term) t
                LEFT JOIN (SELECT top_term, list(name ORDER BY messages DESC, name)[1:5] AS names FROM q_spf_names
                           WHERE domain = ? GROUP BY top_term) n ON n.top_term = t.top_term""";
        Map<String, Object[]> used = new LinkedHashMap<>();
        try (PreparedStatement p = c.prepareStatement(perTerm)) {
            p.setString(1, audit.domain());
            p.setString(2, audit.domain());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    used.put(rs.getString(1), new Object[] {rs.getLong(2), rs.getLong(3), rs.getObject(4, LocalDateTime.class),
                            rs.getObject(5, LocalDateTime.class), rs.getLong(6), ListColumns.strings(rs, 7)});
                }
            }
        }
        // where evaluations stopped with an error, the terms after it were never reached: not unused, unknown
        java.util.Set<String> stopped = new java.util.HashSet<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT DISTINCT top_term FROM q_spf_eval WHERE domain = ? AND result IN ('permerror', 'temperror') AND top_term IS NOT NULL")) {
            p.setString(1, audit.domain());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    stopped.add(rs.getString(1));
                }
            }
        }
        int reach = Integer.MAX_VALUE;
        for (SpfAudit.TopTerm t : audit.terms()) {
            if (t.lastLookup() > CheckHost.MAX_LOOKUPS || stopped.contains(t.term())) {
                reach = Math.min(reach, t.position());
            }
        }
        for (SpfAudit.TopTerm t : audit.terms()) {
            Object[] u = used.get(t.term());
            String status = t.lastLookup() > CheckHost.MAX_LOOKUPS ? "permerror" : u != null ? "used"
                    : t.position() > reach ? "unreached" : "unused";
            String service = null;
            String text = t.term().toLowerCase(java.util.Locale.ROOT);
            int colon = text.indexOf("include:");
            if (colon >= 0 || text.startsWith("redirect=")) {
                String target = colon >= 0 ? text.substring(colon + 8) : text.substring(9);
                service = naming.services().forInclude(target).map(Service::name).orElse(null);
            }
            terms.put(t.term(), new Term(t.position(), t.term(), status, u == null ? 0 : (long) u[0], u == null ? 0 : (long) u[1],
                    u == null ? null : Scope.instant((LocalDateTime) u[2]), u == null ? null : Scope.instant((LocalDateTime) u[3]),
                    u == null ? 0 : (long) u[4], u == null ? List.of() : castList(u[5]), service, t.lookups(), null));
        }
        List<SourceResult> unmatched = sources(c, audit.domain(), "e.result <> 'pass'");
        List<SourceResult> disagreeing = sources(c, audit.domain(), "(e.result = 'pass') <> (m.reported = 'pass')");
        String totals = """
                SELECT coalesce(sum(m.messages), 0), count(*),
                       count(*) FILTER (WHERE e.result <> 'pass'), coalesce(sum(m.messages) FILTER (WHERE e.result <> 'pass'), 0),
                       count(*) FILTER (WHERE (e.result = 'pass') <> (m.reported = 'pass')),
                       0,
                       count(*) FILTER (WHERE (e.result = 'pass') <> (m.reported = 'pass') AND e.unknown_macros <> ''),
                       count(*) FILTER (WHERE (e.result = 'pass') <> (m.reported = 'pass') AND m.reported_results > 1)
                FROM q_spf_eval e JOIN q_spf_mail m USING (domain, source_ip) WHERE e.domain = ?""";
        int days = days(c, audit.domain());
        try (PreparedStatement p = c.prepareStatement(totals)) {
            p.setString(1, audit.domain());
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                List<String> causes = new ArrayList<>();
                long disagreements = rs.getLong(5);
                if (rs.getLong(7) > 0) {
                    causes.add(rs.getLong(7) + " depend on a macro the reports cannot give (%{l}, %{h} or %{p})");
                }
                if (rs.getLong(8) > 0) {
                    causes.add(rs.getLong(8) + " got different results from different receivers or days (the record or DNS"
                            + " changed over the period)");
                }
                if (disagreements > rs.getLong(7) + rs.getLong(8)) {
                    causes.add((causes.isEmpty() ? "likely" : "for the others") + ": the DNS answers changed since the reports,"
                            + " or the receiver checked the HELO name");
                }
                return new Domain(audit, new ArrayList<>(terms.values()), unmatched, rs.getLong(3), rs.getLong(4), rs.getLong(1),
                        rs.getLong(2), days, disagreements, causes, disagreeing, null);
            }
        }
    }

    /** The first sources of a domain that meet a condition on {@code e} (its evaluation) and {@code m} (its mail), most messages first. */
    private static List<SourceResult> sources(Connection c, String domain, String condition) throws SQLException {
        List<SourceResult> sources = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("""
                SELECT e.source_ip, s.system, m.messages, e.result, m.reported, e.problem
                FROM q_spf_eval e JOIN q_spf_mail m USING (domain, source_ip)
                LEFT JOIN q_spf_systems s ON s.source_ip = e.source_ip
                WHERE e.domain = ? AND %s ORDER BY m.messages DESC, e.source_ip LIMIT %d""".formatted(condition, UNMATCHED_SHOWN))) {
            p.setString(1, domain);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    sources.add(new SourceResult(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                            rs.getString(6)));
                }
            }
        }
        return sources;
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object o) {
        return (List<String>) o;
    }
}
