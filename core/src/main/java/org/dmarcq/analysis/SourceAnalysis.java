package org.dmarcq.analysis;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.dmarcq.identity.Inventory;
import org.dmarcq.identity.KeyRange;
import org.dmarcq.identity.Service;
import org.dmarcq.store.Store;
import org.dmarcq.store.StoreException;

/**
 * The set-based heart of the analysis: what every source in a scope sends, what a proposed policy
 * would do to it, what it is called and whose it is, computed over all sources at once in temporary
 * tables of the store's connection, so that work growing with the number of addresses stays in
 * SQL and only systems (or, on request, the sources themselves) reach Java.
 *
 * <p>A source is the mail of one address for one policy domain, split by the inventory entry it
 * matches (on a shared address, an entry claims only the messages that carry its identifiers).
 * Its class, the first rule that applies (docs/cli.md):
 * <ol>
 *   <li>{@code not-ours}: an inventory entry marked {@code ours: false} - spoofing;</li>
 *   <li>{@code inventory}: any other inventory entry - misconfigured (the inventory decides);</li>
 *   <li>{@code strict}: it passes today and fails only under the proposal's strict alignment - misconfigured;</li>
 *   <li>{@code receiver}: at least half its failing mail aligns by the results the receiver reported - misconfigured;</li>
 *   <li>{@code ptr}: its forward-confirmed reverse DNS is under the policy domain's organizational domain - misconfigured;</li>
 *   <li>{@code forwarder}: enough of its failing mail looks forwarded - forwarder;</li>
 *   <li>{@code dkim}: an address of no shared service that also sends mail passing aligned DKIM, whose failing
 *       mail authenticates as no one else and whose passing mail bounces to the owner's domain (an
 *       address that a platform shares with its other customers shows their envelope) - misconfigured;</li>
 *   <li>{@code third-party}: at least half its failing mail authenticates as another domain - unverified;</li>
 *   <li>{@code steady}, {@code batch}: it sends failing mail regularly, or in batches - unverified;</li>
 *   <li>{@code none}: spoofing.</li>
 * </ol>
 * Identifiers that name and recognise sources count only where a forger cannot fake them: DKIM
 * domains whose signature passed, SPF domains that passed, forward-confirmed PTR names, addresses.
 */
final class SourceAnalysis implements AutoCloseable {
    private static final String[] TABLES = {"q_ids", "q_ips", "q_service_votes", "q_ip_service", "q_record_entry",
            "q_shapes", "q_source_days", "q_domain_days", "q_spf_checked", "q_spf_authorised", "q_sources", "q_source_lists", "q_service_ids", "q_service_ranges",
            "q_services", "q_entries", "q_entry_ids", "q_entry_ranges", "q_addresses", "q_address_lists", "q_system_groups",
            "q_system_shown"};

    private final Store store;
    /** The suffix list of the naming: which SPF terms are the owner's own (under the policy domain's organization). */
    private org.dmarcq.rules.PublicSuffixList suffixes;
    private final Connection connection;
    private int days;

    private SourceAnalysis(Store store) {
        this.store = store;
        this.connection = store.connection();
    }

    /** Computes the sources of a scope under a proposal, their names, owners and classes. */
    static SourceAnalysis prepare(Store store, Scope scope, Proposal proposal, Classes classes, Naming naming) {
        SourceAnalysis analysis = new SourceAnalysis(store);
        try {
            analysis.loadNaming(naming);
            analysis.build(scope, proposal, classes);
            return analysis;
        } catch (SQLException e) {
            analysis.close();
            throw new StoreException(store.file() + ": cannot analyse the senders: " + Store.problem(e), e);
        } catch (RuntimeException e) {
            analysis.close();
            throw e;
        }
    }

    private void loadNaming(Naming naming) throws SQLException {
        suffixes = naming.suffixes();
        execute("CREATE OR REPLACE TEMP TABLE q_services (service VARCHAR, type VARCHAR, position INTEGER)");
        execute("CREATE OR REPLACE TEMP TABLE q_service_ids (service VARCHAR, kind VARCHAR, domain VARCHAR)");
        execute("CREATE OR REPLACE TEMP TABLE q_service_ranges (service VARCHAR, lo VARCHAR, hi VARCHAR, cidr VARCHAR)");
        execute("CREATE OR REPLACE TEMP TABLE q_entries (entry INTEGER, name VARCHAR, ours BOOLEAN, note VARCHAR)");
        execute("CREATE OR REPLACE TEMP TABLE q_entry_ids (entry INTEGER, kind VARCHAR, value VARCHAR)");
        execute("CREATE OR REPLACE TEMP TABLE q_entry_ranges (entry INTEGER, lo VARCHAR, hi VARCHAR, cidr VARCHAR)");
        try (PreparedStatement services = connection.prepareStatement("INSERT INTO q_services VALUES (?, ?, ?)");
             PreparedStatement ids = connection.prepareStatement("INSERT INTO q_service_ids VALUES (?, ?, ?)")) {
            int position = 0;
            for (Service s : naming.services().services()) {
                services.setString(1, s.name());
                services.setString(2, s.type());
                services.setInt(3, ++position);
                services.addBatch();
                add(ids, s.name(), "dkim", s.dkim());
                add(ids, s.name(), "envelope", s.envelope());
                add(ids, s.name(), "ptr", s.ptr());
            }
            services.executeBatch();
            ids.executeBatch();
        }
        ranges("q_service_ranges", naming.services().ranges(), false);
        List<Inventory.Entry> entries = naming.inventory().entries();
        try (PreparedStatement e = connection.prepareStatement("INSERT INTO q_entries VALUES (?, ?, ?, ?)");
             PreparedStatement ids = connection.prepareStatement("INSERT INTO q_entry_ids VALUES (?, ?, ?)")) {
            for (int i = 0; i < entries.size(); i++) {
                Inventory.Entry entry = entries.get(i);
                e.setInt(1, i + 1);
                e.setString(2, entry.name());
                e.setBoolean(3, entry.isOurs());
                e.setString(4, entry.note());
                e.addBatch();
                add(ids, i + 1, "ptr", entry.ptr());
                add(ids, i + 1, "dkim", entry.dkim());
                add(ids, i + 1, "envelope", entry.envelope());
                add(ids, i + 1, "service", entry.services());
            }
            e.executeBatch();
            ids.executeBatch();
        }
        ranges("q_entry_ranges", naming.inventory().ranges(), true);
    }

    private static void add(PreparedStatement s, Object owner, String kind, List<String> values) throws SQLException {
        for (String v : values) {
            s.setObject(1, owner);
            s.setString(2, kind);
            s.setString(3, v);
            s.addBatch();
        }
    }

    private void ranges(String table, List<KeyRange> ranges, boolean byIndex) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?)")) {
            for (KeyRange r : ranges) {
                s.setObject(1, byIndex ? (Object) r.index() : r.owner());
                s.setString(2, r.firstKey());
                s.setString(3, r.lastKey());
                s.setString(4, r.cidr());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private void build(Scope scope, Proposal proposal, Classes classes) throws SQLException {
        String dkimOk = proposal.adkim() == null ? "v.dkim_aligned" : proposal.adkim().equals("s") ? "v.dkim_aligned_strict"
                : "v.dkim_aligned_relaxed";
        String spfOk = proposal.aspf() == null ? "v.spf_aligned" : proposal.aspf().equals("s") ? "v.spf_aligned_strict"
                : "v.spf_aligned_relaxed";
        // The receivers' verdict is what happens; stricter modes can only add failures to it.
        String fails = "coalesce(v.receiver_dmarc, v.dmarc) = 'fail'"
                + (proposal.changesAlignment() ? " OR NOT (" + dkimOk + " OR " + spfOk + ")" : "");
        String applied = "CASE WHEN v.header_from IS NULL OR v.header_from = v.policy_domain"
                + " OR NOT ends_with(v.header_from, '.' || v.policy_domain) THEN '" + proposal.p().word() + "' ELSE '"
                + proposal.subdomainPolicy().word() + "' END";
        // RFC 9989 receivers (RFC 9990 reports) ignore pct and take t=y one level down; RFC 7489 ones apply pct.
        String applied9989 = proposal.testing() ? "CASE " + applied + " WHEN 'reject' THEN 'quarantine' ELSE 'none' END" : applied;
        double sampled = (proposal.pct() == null ? 100 : proposal.pct()) / 100.0;
        String rejectShare = "CASE WHEN p.format = 'rfc9990' THEN CASE WHEN " + applied9989 + " = 'reject' THEN 1.0 ELSE 0.0 END"
                + " WHEN " + applied + " = 'reject' THEN " + sampled + " ELSE 0.0 END";
        String quarantineShare = "CASE WHEN p.format = 'rfc9990' THEN CASE WHEN " + applied9989 + " = 'quarantine' THEN 1.0 ELSE 0.0 END"
                + " WHEN " + applied + " = 'reject' THEN " + (1 - sampled) + " WHEN " + applied + " = 'quarantine' THEN " + sampled
                + " ELSE 0.0 END";
        // A record whose From is another organisation's than the report's policy domain (a forged or a
        // broken report) aligns with that From, not with the domain: no alignment, and no evidence, of it.
        String foreign = "(f.header_from IS NOT NULL)";
        // the pairs are few (most often none): found once, so that the view joins a handful of rows
        execute("""
                CREATE OR REPLACE TEMP TABLE q_foreign_from AS
                SELECT x.header_from, x.policy_domain
                FROM (SELECT DISTINCT v.header_from, v.policy_domain FROM record_verdicts v WHERE %s) x
                JOIN domains hf ON hf.name = x.header_from JOIN domains pd ON pd.name = x.policy_domain
                WHERE hf.organizational_domain <> pd.organizational_domain""".formatted(scope.literalWhere("v")));
        // a view, not a table: the verdicts are stored, so reading them again costs less than holding a copy
        execute("""
                CREATE OR REPLACE TEMP VIEW q_records AS
                SELECT v.record_key, v.report_key, v.policy_domain, v.source_ip, v.count, v.header_from, v.reporter,
                       v.begin_time, v.end_time, p.format,
                       (%2$s) AS fails,
                       coalesce(v.receiver_dmarc, v.dmarc) = 'pass' AS passes_now,
                       ((%3$s OR %4$s) AND NOT %7$s) AS aligned_now,
                       CASE WHEN NOT (%2$s) THEN NULL
                            WHEN %7$s THEN CASE WHEN v.dkim_passed THEN 'dkim-third-party' WHEN v.spf_passed THEN 'spf-not-aligned'
                                                WHEN v.spf_failed THEN 'spf-fail' ELSE 'no-auth' END
                            WHEN coalesce(v.receiver_dmarc, v.dmarc) = 'pass' AND NOT (%3$s OR %4$s) THEN 'strict-alignment'
                            WHEN (%3$s OR %4$s) THEN 'receiver-fail'
                            ELSE v.reason END AS reason,
                       v.reason AS verdict_reason,
                       coalesce(v.override IN ('forwarded', 'mailing_list', 'trusted_forwarder', 'local_policy'), false) AS absorbed,
                       v.dkim_passed, v.spf_passed, v.dkim_author_signature_failed AS author_failed,
                       v.dkim_aligned AND NOT %7$s AS dkim_aligned, v.spf_aligned AND NOT %7$s AS spf_aligned, v.disagrees,
                       coalesce(v.envelope_from, v.spf_domains) AS envelope,
                       %5$s AS quarantine_share, %6$s AS reject_share
                FROM record_verdicts v JOIN reports p ON p.report_key = v.report_key
                LEFT JOIN q_foreign_from f ON f.header_from = v.header_from AND f.policy_domain = v.policy_domain
                WHERE %1$s
                """.formatted(scope.literalWhere("v"), fails, dkimOk, spfOk, quarantineShare, rejectShare, foreign));
        execute("""
                CREATE OR REPLACE TEMP TABLE q_ids AS
                SELECT r.record_key, r.source_ip, 'dkim' AS kind, d.domain AS value, r.count
                FROM q_records r JOIN dkim_results d ON d.record_key = r.record_key
                WHERE d.result = 'pass' AND d.domain IS NOT NULL
                UNION ALL
                -- the key itself, selector._domainkey.domain: one system's, where the domain is everyone's who holds a key
                SELECT r.record_key, r.source_ip, 'dkim', d.selector || '._domainkey.' || d.domain, r.count
                FROM q_records r JOIN dkim_results d ON d.record_key = r.record_key
                WHERE d.result = 'pass' AND d.domain IS NOT NULL AND d.selector IS NOT NULL
                UNION ALL
                SELECT r.record_key, r.source_ip, 'spf', s.domain, r.count
                FROM q_records r JOIN spf_results s ON s.record_key = r.record_key
                WHERE s.result = 'pass' AND s.domain IS NOT NULL""");
        execute("""
                CREATE OR REPLACE TEMP TABLE q_ips AS
                SELECT a.source_ip, ip_key(a.source_ip) AS key, a.messages, n.ptr, dm.organizational_domain AS ptr_org
                FROM (SELECT source_ip, sum(count) AS messages FROM q_records GROUP BY source_ip) a
                LEFT JOIN reverse_dns n ON n.ip = a.source_ip AND n.confirmed
                LEFT JOIN domains dm ON dm.name = n.ptr""");
        // The service behind each address: the one behind most of its messages, by any identifier;
        // on a tie, the stronger identifier (passing DKIM, then passing SPF, PTR, address range).
        execute("""
                CREATE OR REPLACE TEMP TABLE q_service_votes AS
                WITH domains_seen AS (SELECT DISTINCT kind, value FROM q_ids),
                domain_service AS (
                    SELECT d.kind, d.value, s.service
                    FROM domains_seen d JOIN q_service_ids s
                      ON s.kind = CASE d.kind WHEN 'spf' THEN 'envelope' ELSE d.kind END AND domain_under(d.value, s.domain)
                ), by_record AS (
                    SELECT i.source_ip, i.record_key, any_value(i.count) AS count, ds.service,
                           min(CASE i.kind WHEN 'dkim' THEN 1 ELSE 2 END) AS strength,
                           list(DISTINCT CASE i.kind WHEN 'dkim' THEN 'DKIM d=' ELSE 'SPF ' END || i.value) AS details
                    FROM q_ids i JOIN domain_service ds ON ds.kind = i.kind AND ds.value = i.value
                    WHERE NOT contains(i.value, '._domainkey.') -- a key says no more than its domain here
                    GROUP BY ALL
                )
                SELECT source_ip, service, sum(count) AS messages, min(strength) AS strength,
                       array_to_string(list_sort(list_distinct(flatten(list(details))))[1:3], ', ') AS detail
                FROM by_record GROUP BY ALL
                UNION ALL
                SELECT a.source_ip, s.service, a.messages, 3, 'PTR ' || a.ptr
                FROM q_ips a JOIN q_service_ids s ON s.kind = 'ptr' AND domain_under(a.ptr, s.domain)
                UNION ALL
                SELECT a.source_ip, r.service, a.messages, 4, 'address in ' || r.cidr
                FROM q_ips a JOIN q_service_ranges r ON length(a.key) = length(r.lo) AND a.key BETWEEN r.lo AND r.hi""");
        execute("""
                CREATE OR REPLACE TEMP TABLE q_ip_service AS
                SELECT v.source_ip,
                       first(v.service ORDER BY v.messages DESC, v.strength, s.position) AS service,
                       first(v.detail ORDER BY v.messages DESC, v.strength, s.position) AS detail,
                       first(v.messages ORDER BY v.messages DESC, v.strength, s.position) AS service_messages
                FROM q_service_votes v JOIN q_services s ON s.service = v.service
                GROUP BY v.source_ip""");
        // The inventory entry of each message: the first entry whose address range or PTR domain
        // matches the address, or whose DKIM, envelope (SPF) or service matches what it passed with.
        execute("""
                CREATE OR REPLACE TEMP TABLE q_record_entry AS
                WITH ip_entry AS (
                    SELECT a.source_ip, min(e.entry) AS entry
                    FROM q_ips a JOIN q_entry_ranges e ON length(a.key) = length(e.lo) AND a.key BETWEEN e.lo AND e.hi
                    GROUP BY ALL
                    UNION ALL
                    SELECT a.source_ip, min(e.entry) FROM q_ips a JOIN q_entry_ids e ON e.kind = 'ptr' AND domain_under(a.ptr, e.value)
                    GROUP BY ALL
                ), domains_seen AS (SELECT DISTINCT kind, value FROM q_ids),
                domain_entry AS (
                    SELECT d.kind, d.value, e.entry
                    FROM domains_seen d JOIN q_entry_ids e
                      ON e.kind = CASE d.kind WHEN 'spf' THEN 'envelope' ELSE d.kind END AND domain_under(d.value, e.value)
                    UNION ALL
                    SELECT d.kind, d.value, e.entry
                    FROM domains_seen d
                    JOIN q_service_ids s ON s.kind = CASE d.kind WHEN 'spf' THEN 'envelope' ELSE d.kind END AND domain_under(d.value, s.domain)
                    JOIN q_entry_ids e ON e.kind = 'service' AND e.value = s.service
                ), record_entry AS (
                    SELECT i.record_key, min(de.entry) AS entry
                    FROM q_ids i JOIN domain_entry de ON de.kind = i.kind AND de.value = i.value GROUP BY ALL
                )
                SELECT r.record_key, least(min(ie.entry), min(re.entry)) AS entry
                FROM q_records r
                LEFT JOIN ip_entry ie ON ie.source_ip = r.source_ip
                LEFT JOIN record_entry re ON re.record_key = r.record_key
                WHERE ie.entry IS NOT NULL OR re.entry IS NOT NULL
                GROUP BY r.record_key""");
        execute("DROP TABLE temp.q_ids"); // a row per identifier of every message: the memory is wanted below
        execute("""
                CREATE OR REPLACE TEMP TABLE q_source_days AS
                SELECT r.policy_domain, r.source_ip, coalesce(e.entry, 0) AS entry, d.day,
                       sum(r.count * d.share) AS messages,
                       coalesce(sum(r.count * d.share) FILTER (WHERE r.fails), 0) AS failing,
                       coalesce(sum(r.count * d.share * (r.quarantine_share + r.reject_share)) FILTER (WHERE r.fails), 0) AS affected
                FROM q_records r LEFT JOIN q_record_entry e ON e.record_key = r.record_key
                JOIN report_days d ON d.report_key = r.report_key
                GROUP BY ALL""");
        try (PreparedStatement s = connection.prepareStatement("""
                SELECT count(DISTINCT d.day) FROM reports p JOIN report_days d ON d.report_key = p.report_key WHERE %s"""
                .formatted(scope.where("p")))) {
            Object[] parameters = scope.parameters();
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                days = rs.getInt(1);
            }
        }
        run("""
                CREATE OR REPLACE TEMP TABLE q_domain_days AS
                SELECT p.policy_domain, count(DISTINCT d.day) AS days
                FROM reports p JOIN report_days d ON d.report_key = p.report_key
                WHERE %s GROUP BY ALL""".formatted(scope.where("p")), scope.parameters());
        String rule = """
                CASE WHEN a.failing = 0 THEN 'passing'
                     WHEN a.entry > 0 AND NOT e.ours THEN 'not-ours'
                     WHEN a.entry > 0 THEN 'inventory'
                     WHEN a.strict_only = a.failing THEN 'strict'
                     WHEN a.receiver_only * 2 >= a.failing THEN 'receiver'
                     WHEN i.ptr_org IS NOT NULL AND i.ptr_org = own.organizational_domain THEN 'ptr'
                     WHEN sa.own AND n.service IS NULL THEN 'spf-record'
                     WHEN a.forwarded_looking >= %1$s * a.failing
                          AND (a.absorbed > 0 OR a.dkim_aligned_passing > 0 OR a.third_party_spf > 0) THEN 'forwarder'
                     WHEN n.service IS NULL AND a.dkim_aligned_passing > 0 AND a.authenticated * 2 < a.failing
                          AND a.foreign_envelope_passing = 0 THEN 'dkim'
                     WHEN a.authenticated * 2 >= a.failing THEN 'third-party'
                     WHEN dd.failing_days >= %2$d AND dd.failing_days >= %3$s * coalesce(sd.days, 1)
                          AND a.failing >= %4$s * dd.failing_days THEN 'steady'
                     WHEN dd.failing_days >= %5$d AND a.failing >= %6$s * dd.failing_days THEN 'batch'
                     ELSE 'none' END""".formatted(number(classes.forwarderShare()), classes.steadyDays(),
                number(classes.steadyShare()), number(classes.steadyPerDay()), classes.batchDays(), number(classes.batchPerDay()));
        // The mail of each source by what the rules look at: far fewer rows than records (a source's
        // records over the days mostly look alike), read twice below; a table, which can spill.
        execute("""
                CREATE OR REPLACE TEMP TABLE q_shapes AS
                SELECT r.policy_domain, r.source_ip, coalesce(e.entry, 0) AS entry, r.fails, r.reason, r.absorbed, r.author_failed,
                       r.dkim_passed, r.spf_passed, r.dkim_aligned, r.spf_aligned, r.format, r.quarantine_share, r.reject_share,
                       r.passes_now, r.verdict_reason, r.disagrees,
                       sum(r.count) AS count, count(*) AS records, min(r.begin_time) AS begin_time, max(r.end_time) AS end_time
                FROM q_records r LEFT JOIN q_record_entry e ON e.record_key = r.record_key
                GROUP BY ALL""");
        long start = System.nanoTime();
        spfRecords();
        timing("SPF records of the latest snapshot, as evidence", start);
        execute("""
                CREATE OR REPLACE TEMP TABLE q_sources AS
                WITH keyed AS (SELECT * FROM q_shapes), agg AS (
                    SELECT policy_domain, source_ip, entry,
                           sum(count) AS messages,
                           coalesce(sum(count) FILTER (WHERE fails), 0) AS failing,
                           coalesce(sum(count * quarantine_share) FILTER (WHERE fails), 0) AS quarantined,
                           coalesce(sum(count * reject_share) FILTER (WHERE fails), 0) AS rejected,
                           coalesce(sum(count) FILTER (WHERE fails AND absorbed), 0) AS absorbed,
                           coalesce(sum(count) FILTER (WHERE fails AND author_failed), 0) AS author_failed,
                           coalesce(sum(count) FILTER (WHERE fails AND (absorbed OR author_failed)), 0) AS forwarded_looking,
                           coalesce(sum(count) FILTER (WHERE fails AND (dkim_passed OR spf_passed)), 0) AS authenticated,
                           coalesce(sum(count) FILTER (WHERE fails AND spf_passed), 0) AS third_party_spf,
                           coalesce(sum(count) FILTER (WHERE fails AND reason = 'strict-alignment'), 0) AS strict_only,
                           coalesce(sum(count) FILTER (WHERE fails AND reason = 'receiver-fail'), 0) AS receiver_only,
                           coalesce(sum(count) FILTER (WHERE fails AND reason = 'receiver-fail' AND dkim_aligned), 0)
                               AS receiver_dkim,
                           coalesce(sum(count) FILTER (WHERE dkim_aligned AND NOT fails), 0) AS dkim_aligned_passing,
                           -- the owner's mail from it bounces to another organisation: a platform's address, shared
                           coalesce(sum(count) FILTER (WHERE NOT fails AND spf_passed AND NOT spf_aligned), 0)
                               AS foreign_envelope_passing,
                           coalesce(sum(count) FILTER (WHERE format = 'rfc7489'), 0) AS messages_rfc7489,
                           coalesce(sum(count) FILTER (WHERE spf_aligned), 0) AS spf_aligned_messages,
                           coalesce(sum(count) FILTER (WHERE dkim_aligned), 0) AS dkim_aligned_messages,
                           min(begin_time) AS first_seen, max(end_time) AS last_seen
                    FROM keyed GROUP BY ALL
                ), reasons AS (
                    SELECT policy_domain, source_ip, entry, reason, sum(count) AS n
                    FROM keyed WHERE fails AND reason IS NOT NULL GROUP BY ALL
                ), main_reason AS (
                    SELECT policy_domain, source_ip, entry, first(reason ORDER BY n DESC, reason) AS reason
                    FROM reasons GROUP BY ALL
                ), days AS (
                    -- a row of q_source_days is a source's day: counting rows counts days, without a set per source
                    SELECT policy_domain, source_ip, entry, count(*) AS mail_days,
                           count(*) FILTER (WHERE failing > 0) AS failing_days, sum(failing) > 0 AS fails_on_days
                    FROM q_source_days GROUP BY ALL
                )
                SELECT a.*, m.reason,
                       -- the days it sent on: with failing mail, where it fails (what the volume rules judge); else with mail
                       CASE WHEN dd.fails_on_days THEN dd.failing_days ELSE dd.mail_days END AS sending_days,
                       coalesce(sd.days, dd.mail_days) AS scope_days,
                       n.service, n.detail AS service_detail, n.service_messages, i.messages AS ip_messages, sv.type AS service_type,
                       i.ptr, i.ptr_org, own.organizational_domain AS own_org,
                       e.name AS entry_name, e.ours AS entry_ours, e.note AS entry_note,
                       %1$s AS rule,
                       coalesce(e.name, n.service, i.ptr_org, a.source_ip) AS system,
                       chr(39) || sa.term || chr(39) || ' of ' || sa.policy_domain || chr(39) || 's SPF record (' || ck.looked_up || ')' AS spf_term,
                       coalesce(sa.own, false) AS spf_own, ck.policy_domain IS NOT NULL AS spf_known
                FROM agg a
                LEFT JOIN main_reason m ON m.policy_domain = a.policy_domain AND m.source_ip = a.source_ip AND m.entry = a.entry
                LEFT JOIN days dd ON dd.policy_domain = a.policy_domain AND dd.source_ip = a.source_ip AND dd.entry = a.entry
                LEFT JOIN q_domain_days sd ON sd.policy_domain = a.policy_domain
                LEFT JOIN q_ip_service n ON n.source_ip = a.source_ip
                LEFT JOIN q_services sv ON sv.service = n.service
                LEFT JOIN q_ips i ON i.source_ip = a.source_ip
                LEFT JOIN domains own ON own.name = a.policy_domain
                LEFT JOIN q_entries e ON e.entry = a.entry
                LEFT JOIN q_spf_authorised sa ON sa.policy_domain = a.policy_domain AND sa.source_ip = a.source_ip
                LEFT JOIN q_spf_checked ck ON ck.policy_domain = a.policy_domain""".formatted(rule));
    }

    /**
     * The owner's own SPF records as evidence (they publish them; a forger cannot add to them), from
     * the latest SPF snapshot: {@code q_spf_checked} holds the policy domains it has a record for,
     * {@code q_spf_authorised} the failing sources whose address the domain's record passes, by
     * which top-level term (as written), and whether that term is the owner's own ({@link SpfRanges#ownTerm}). A record of
     * ranges alone is joined to every address in SQL, from the ranges the snapshot keeps; any
     * other is evaluated address by address.
     */
    private void spfRecords() throws SQLException {
        execute("""
                CREATE OR REPLACE TEMP TABLE q_spf_checked AS
                SELECT d.domain AS policy_domain, d.ranges_only, s.snapshot_id,
                       'as looked up on ' || strftime(s.taken_at, '%Y-%m-%d') AS looked_up
                FROM spf_snapshot_domains d
                JOIN (SELECT * FROM spf_snapshots ORDER BY taken_at DESC, snapshot_id DESC LIMIT 1) s USING (snapshot_id)
                WHERE d.record IS NOT NULL AND d.domain IN (SELECT DISTINCT policy_domain FROM q_shapes WHERE fails)""");
        execute("""
                CREATE OR REPLACE TEMP TABLE q_spf_authorised AS
                SELECT f.policy_domain, f.source_ip, first(r.term ORDER BY r.position) AS term, first(r.own ORDER BY r.position) AS own
                FROM (SELECT DISTINCT policy_domain, source_ip FROM q_shapes WHERE fails) f
                JOIN q_spf_checked c ON c.policy_domain = f.policy_domain AND c.ranges_only
                JOIN q_ips a ON a.source_ip = f.source_ip
                JOIN spf_snapshot_ranges r ON r.snapshot_id = c.snapshot_id AND r.domain = f.policy_domain
                 AND length(a.key) = length(r.lo) AND a.key BETWEEN r.lo AND r.hi
                GROUP BY ALL""");
        List<String> evaluated = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT policy_domain FROM q_spf_checked WHERE NOT ranges_only ORDER BY 1")) {
            while (rs.next()) {
                evaluated.add(rs.getString(1));
            }
        }
        if (evaluated.isEmpty()) {
            return;
        }
        org.dmarcq.spf.CheckHost check = new org.dmarcq.spf.CheckHost(org.dmarcq.spf.SpfSnapshots.latest(store).orElseThrow().dns());
        int authorised = 0;
        try (PreparedStatement p = connection.prepareStatement("INSERT INTO q_spf_authorised VALUES (?, ?, ?, ?)");
             PreparedStatement q = connection.prepareStatement(
                     "SELECT DISTINCT source_ip FROM q_shapes WHERE fails AND policy_domain = ? ORDER BY 1")) {
            for (String domain : evaluated) {
                q.setString(1, domain);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        org.dmarcq.spf.CheckHost.Evaluation e = check.evaluate(rs.getString(1), domain);
                        if (e.result() == org.dmarcq.spf.SpfResult.PASS && !e.topTerm().term().matches("\\+?all")) {
                            p.setString(1, domain);
                            p.setString(2, rs.getString(1));
                            p.setString(3, e.topTerm().term());
                            p.setBoolean(4, org.dmarcq.spf.SpfRanges.ownTerm(e.topTerm().term(), domain, suffixes));
                            p.addBatch();
                            authorised++;
                        }
                    }
                }
            }
            if (authorised > 0) { // the driver leaves an empty batch's statement unusable
                p.executeBatch();
            }
        }
    }

    /**
     * What the mail of the sources matching {@code sources} (a condition on {@code q_sources s})
     * shows, for the words of fixes and evidence and for drafting inventory entries: lists from its
     * failing mail ({@code fail_*}) or all its mail ({@code all_*}). Made only for the sources a
     * question shows, as the lists are the costliest part.
     */
    private void lists(String sources, boolean failingOnly) {
        String key = sources + failingOnly;
        if (key.equals(listsFor)) {
            return;
        }
        listsFor = key;
        try {
            // The mail of the wanted sources, then its signatures and SPF results, each a statement of
            // its own: joined in one statement, DuckDB reads the whole result tables for each join.
            execute("""
                CREATE OR REPLACE TEMP TABLE q_list_mail AS
                SELECT r.record_key, r.policy_domain, r.source_ip, coalesce(e.entry, 0) AS entry, r.fails, r.header_from,
                       r.envelope, r.reporter, r.author_failed
                FROM q_records r LEFT JOIN q_record_entry e ON e.record_key = r.record_key
                SEMI JOIN (SELECT policy_domain, source_ip, entry FROM q_sources s WHERE %s) wanted
                  ON wanted.policy_domain = r.policy_domain AND wanted.source_ip = r.source_ip
                 AND wanted.entry = coalesce(e.entry, 0)""".formatted(sources));
            execute("""
                CREATE OR REPLACE TEMP TABLE q_list_signatures AS
                SELECT k.policy_domain, k.source_ip, k.entry, k.fails, d.domain, d.selector, d.result
                FROM q_list_mail k JOIN dkim_results d ON d.record_key = k.record_key""");
            execute("""
                CREATE OR REPLACE TEMP TABLE q_list_spf AS
                SELECT k.policy_domain, k.source_ip, k.entry, k.fails, s.domain, s.result
                FROM q_list_mail k JOIN spf_results s ON s.record_key = k.record_key WHERE s.domain IS NOT NULL""");
            execute("""
                CREATE OR REPLACE TEMP TABLE q_list_broken AS
                SELECT k.policy_domain, k.source_ip, k.entry, k.fails, d.domain || coalesce(' (selector ' || d.selector || ')', '') AS value
                FROM (SELECT * FROM q_list_mail WHERE author_failed) k JOIN dkim_alignments d ON d.record_key = k.record_key
                WHERE d.author_signature AND NOT d.passed""");
            execute("""
                CREATE OR REPLACE TEMP TABLE q_source_lists AS
                WITH ids AS (
                    SELECT policy_domain, source_ip, entry, fails, CASE WHEN result = 'pass' THEN 'dkim' ELSE 'dkim-other' END AS kind,
                           domain AS value
                    FROM q_list_signatures WHERE domain IS NOT NULL
                    UNION ALL
                    SELECT policy_domain, source_ip, entry, fails, 'dkim-key', selector || '._domainkey.' || domain
                    FROM q_list_signatures WHERE result = 'pass' AND domain IS NOT NULL AND selector IS NOT NULL
                    UNION ALL
                    SELECT policy_domain, source_ip, entry, fails, 'selector', selector
                    FROM q_list_signatures WHERE result = 'pass' AND selector IS NOT NULL
                    UNION ALL
                    SELECT policy_domain, source_ip, entry, fails, CASE WHEN result = 'pass' THEN 'spf-pass' ELSE 'spf' END, domain
                    FROM q_list_spf
                    UNION ALL
                    SELECT policy_domain, source_ip, entry, fails, 'broken', value FROM q_list_broken
                    UNION ALL
                    SELECT policy_domain, source_ip, entry, fails, 'header_from', header_from FROM q_list_mail WHERE header_from IS NOT NULL
                    UNION ALL
                    SELECT policy_domain, source_ip, entry, fails, 'envelope', envelope FROM q_list_mail WHERE envelope IS NOT NULL
                    UNION ALL
                    SELECT policy_domain, source_ip, entry, fails, 'reporter', reporter FROM q_list_mail
                ), distinct_ids AS (
                    -- one row per value first: a DISTINCT inside each list would keep a set per source and list
                    SELECT policy_domain, source_ip, entry, kind, value, bool_or(fails) AS fails FROM ids GROUP BY ALL
                )
                SELECT policy_domain, source_ip, entry, %s
                FROM distinct_ids GROUP BY ALL""".formatted(listColumns(failingOnly)));
            for (String table : LIST_TABLES) {
                execute("DROP TABLE temp." + table);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private String listsFor;

    /** The steps of {@code q_source_lists}, dropped once it is made. */
    private static final String[] LIST_TABLES = {"q_list_mail", "q_list_signatures", "q_list_spf", "q_list_broken"};


    /** The list kinds of {@code q_source_lists}: the kind of identifier, and the column name. */
    private static final String[][] LIST_KINDS = {{"dkim", "dkim_domains"}, {"selector", "selectors"},
            {"spf-pass", "spf_pass_domains"}, {"broken", "broken"}, {"header_from", "header_from"}, {"envelope", "envelope_from"},
            {"reporter", "reporters"}, {"dkim-other", "failed_dkim_domains"}, {"dkim-key", "dkim_keys"}};

    /** The names of the list columns of {@code q_source_lists}, without their fail_ or all_ prefix. */
    private static List<String> listNames() {
        List<String> names = new ArrayList<>();
        for (String[] kind : LIST_KINDS) {
            names.add(kind[1]);
        }
        names.add("spf_domains");
        names.add("failing_dkim_keys");
        return names;
    }

    private static String listColumns(boolean failingOnly) {
        String scope = failingOnly ? "fail" : "all";
        String mail = failingOnly ? " AND fails" : "";
        List<String> columns = new ArrayList<>();
        for (String[] kind : LIST_KINDS) {
            columns.add("list(value ORDER BY value) FILTER (WHERE kind = '" + kind[0] + "'" + mail + ") AS "
                    + scope + "_" + kind[1]);
        }
        // SPF domains whatever the result: fixes name the return-path
        columns.add("list(DISTINCT value ORDER BY value) FILTER (WHERE kind IN ('spf', 'spf-pass')" + mail + ") AS "
                + scope + "_spf_domains");
        // the keys of the failing mail alone, whatever the lists are of: what an unverified system's entry would match
        columns.add("list(value ORDER BY value) FILTER (WHERE kind = 'dkim-key' AND fails) AS " + scope
                + "_failing_dkim_keys");
        return String.join(",\n       ", columns);
    }

    /** Messages, failing and affected messages, UTC days, over the whole scope. */
    Totals totals() {
        String sql = """
                SELECT coalesce(sum(messages), 0), coalesce(sum(failing), 0), coalesce(sum(quarantined), 0),
                       coalesce(sum(rejected), 0), coalesce(sum(messages_rfc7489), 0)
                FROM q_sources""";
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return new Totals(rs.getLong(1), rs.getLong(2), rs.getDouble(3), rs.getDouble(4), rs.getLong(5), days);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Totals of the scope: {@code days} counts UTC days with reports of its domains. */
    record Totals(long messages, long failing, double quarantined, double rejected, long messagesRfc7489, int days) {}

    /**
     * The sources with failing messages grouped into sending systems and classes: one row per
     * policy domain, system and class, most affected messages first. Spoofing, also what the
     * inventory marks not the owner's, is left to {@link #spoofing()}.
     */
    List<Facts> systems() {
        String condition = "s.failing > 0 AND s.rule NOT IN ('none', 'not-ours')";
        lists(condition, true);
        List<Facts> systems = new ArrayList<>();
        query(SYSTEMS.formatted(condition), systems::add);
        return systems;
    }

    /**
     * Every source grouped into sending systems and classes across the scope's domains, passing
     * ones too, most messages first: for {@code unknown}, {@code senders --by system} and drafting
     * the inventory. The lists come from all their mail. Only the groups that {@code filter} (a
     * condition on {@code q_system_groups}) lets through, and of them the first {@code limit} (all
     * when 0): the lists are the costly part, and are made for those alone.
     */
    Page<Void> sendingSystems(String filter, int limit, Consumer<Facts> each) {
        String classWord = CLASS_OF_RULE.replace("rule", "s.rule");
        try {
            execute("""
                    CREATE OR REPLACE TEMP TABLE q_system_groups AS
                    SELECT key, first(system) AS system, first(class) AS class, sum(messages) AS messages, sum(failing) AS failing,
                           min(first_seen) AS first_seen, first(entry_name) AS entry_name,
                           first(rule ORDER BY failing DESC, messages DESC, rule) AS rule
                    FROM (SELECT s.*, s.system || chr(0) || %1$s AS key, %1$s AS class FROM q_sources s)
                    GROUP BY key""".formatted(classWord));
            execute("""
                    CREATE OR REPLACE TEMP TABLE q_system_shown AS
                    SELECT key, class, row_number() OVER (ORDER BY messages DESC, system, rule) AS position
                    FROM q_system_groups WHERE %s""".formatted(filter));
        } catch (SQLException e) {
            throw failure(e);
        }
        String shown = "s.system || chr(0) || " + classWord + " IN (SELECT key FROM q_system_shown"
                + (limit > 0 ? " WHERE position <= " + limit : "") + ")";
        lists(shown, false);
        long given = query(SENDING_SYSTEMS.formatted(shown), each);
        return Page.streamed(given, count("SELECT count(*) FROM q_system_shown"), notShown("q_system_shown", limit));
    }

    /** The number of rows past the limit in a table of shown rows ({@code class}, {@code position}), by class. */
    private java.util.Map<SenderClass, Long> notShown(String table, int limit) {
        java.util.Map<SenderClass, Long> counts = new java.util.EnumMap<>(SenderClass.class);
        if (limit <= 0) {
            return counts;
        }
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT class, count(*) FROM " + table + " WHERE position > " + limit + " GROUP BY ALL")) {
            while (rs.next()) {
                counts.put(SenderClass.of(rs.getString(1)), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return counts;
    }

    private long count(String sql) {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Every source with failing messages of the given classes (all when none are given), most affected first. */
    void sources(Consumer<Facts> each, SenderClass... classes) {
        String condition = "s.failing > 0" + classCondition(classes);
        lists(condition, true);
        query(SOURCES.formatted(condition), each);
    }


    private static String classCondition(SenderClass... classes) {
        if (classes.length == 0) {
            return "";
        }
        List<String> words = new ArrayList<>();
        for (SenderClass c : classes) {
            words.add("'" + c.word() + "'");
        }
        return " AND " + CLASS_OF_RULE.replace("rule", "s.rule") + " IN (" + String.join(", ", words) + ")";
    }

    /** Expected messages quarantined or rejected, per class. */
    java.util.Map<SenderClass, Double> affectedByClass() {
        java.util.Map<SenderClass, Double> byClass = new java.util.EnumMap<>(SenderClass.class);
        for (SenderClass c : SenderClass.values()) {
            if (c != SenderClass.PASSING) {
                byClass.put(c, 0.0);
            }
        }
        String sql = "SELECT " + CLASS_OF_RULE + ", sum(quarantined + rejected) FROM q_sources WHERE failing > 0 GROUP BY 1";
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                byClass.put(SenderClass.of(rs.getString(1)), rs.getDouble(2));
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return byClass;
    }

    /** The spoofing, with what the inventory marks not the owner's, one entry per policy domain. */
    List<WhatIfResult.Spoofing> spoofing() {
        java.util.Map<String, java.util.Map<String, Long>> reasons = new java.util.LinkedHashMap<>();
        String byReason = """
                SELECT policy_domain, coalesce(reason, 'no-auth'), sum(failing) FROM q_sources
                WHERE failing > 0 AND rule IN ('none', 'not-ours') GROUP BY ALL ORDER BY 1, 3 DESC, 2""";
        List<WhatIfResult.Spoofing> spoofing = new ArrayList<>();
        try (Statement s = connection.createStatement()) {
            try (ResultSet rs = s.executeQuery(byReason)) {
                while (rs.next()) {
                    reasons.computeIfAbsent(rs.getString(1), k -> new java.util.LinkedHashMap<>()).put(rs.getString(2), rs.getLong(3));
                }
            }
            java.util.Map<String, List<WhatIfResult.Largest>> largest = new java.util.LinkedHashMap<>();
            try (ResultSet rs = s.executeQuery("""
                    SELECT policy_domain, source_ip, failing, sending_days FROM q_sources
                    WHERE failing > 0 AND rule IN ('none', 'not-ours')
                    QUALIFY row_number() OVER (PARTITION BY policy_domain ORDER BY failing DESC, source_ip) <= 3
                    ORDER BY policy_domain, failing DESC, source_ip""")) {
                while (rs.next()) {
                    largest.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new WhatIfResult.Largest(rs.getString(2), rs.getLong(3), rs.getInt(4)));
                }
            }
            try (ResultSet rs = s.executeQuery("""
                    SELECT policy_domain, count(DISTINCT source_ip), sum(failing), sum(quarantined + rejected),
                           count(DISTINCT source_ip) FILTER (WHERE rule = 'not-ours')
                    FROM q_sources WHERE failing > 0 AND rule IN ('none', 'not-ours') GROUP BY ALL ORDER BY 4 DESC, 1""")) {
                while (rs.next()) {
                    spoofing.add(new WhatIfResult.Spoofing(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getDouble(4),
                            reasons.getOrDefault(rs.getString(1), java.util.Map.of()),
                            largest.getOrDefault(rs.getString(1), List.of()), rs.getInt(5)));
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return spoofing;
    }

    /**
     * One row per address, over all its mail in the scope: what {@code dmarcq senders} lists, with
     * the source of the address that has the most failing messages for its class and names.
     */
    Page<Void> addresses(boolean failingOnly, int limit, AddressRow each) {
        String sql = """
                CREATE OR REPLACE TEMP TABLE q_addresses AS
                WITH ip AS (
                    SELECT source_ip, sum(count) AS messages,
                           coalesce(sum(count) FILTER (WHERE passes_now), 0) AS dmarc_pass,
                           coalesce(sum(count) FILTER (WHERE NOT passes_now), 0) AS dmarc_fail,
                           coalesce(sum(count) FILTER (WHERE spf_aligned), 0) AS spf_aligned,
                           coalesce(sum(count) FILTER (WHERE dkim_aligned), 0) AS dkim_aligned,
                           min(begin_time) AS first_seen, max(end_time) AS last_seen,
                           coalesce(sum(records) FILTER (WHERE disagrees), 0) AS disagreements
                    FROM q_shapes GROUP BY source_ip
                ), reasons AS (
                    SELECT source_ip, verdict_reason AS reason, sum(count) AS n FROM q_shapes WHERE verdict_reason IS NOT NULL
                    GROUP BY ALL
                ), main_reason AS (
                    SELECT source_ip, first(reason ORDER BY n DESC, reason) AS reason FROM reasons GROUP BY source_ip
                ), best AS (
                    SELECT source_ip, first(policy_domain ORDER BY failing DESC, messages DESC, policy_domain, entry) AS policy_domain,
                           first(entry ORDER BY failing DESC, messages DESC, policy_domain, entry) AS entry
                    FROM q_sources GROUP BY source_ip
                )
                SELECT ip.*, m.reason, b.policy_domain, b.entry,
                       s.service, s.service_type, s.service_detail, s.ptr, s.system, s.entry_name, s.rule,
                       %s AS class,
                       row_number() OVER (ORDER BY ip.dmarc_fail DESC, ip.messages DESC, ip.source_ip) AS position
                FROM ip
                LEFT JOIN main_reason m ON m.source_ip = ip.source_ip
                JOIN best b ON b.source_ip = ip.source_ip
                JOIN q_sources s ON s.source_ip = b.source_ip AND s.policy_domain = b.policy_domain AND s.entry = b.entry
                %s""".formatted(CLASS_OF_RULE.replace("rule", "s.rule"), failingOnly ? "WHERE ip.dmarc_fail > 0" : "");
        String wanted = limit > 0 ? "WHERE position <= " + limit : "";
        // the names in the mail of the addresses shown, and of them alone: the lists are the costly part
        String lists = """
                CREATE OR REPLACE TEMP TABLE q_address_lists AS
                WITH shown AS (SELECT source_ip FROM q_addresses %s),
                mail AS (SELECT r.* FROM q_records r SEMI JOIN shown USING (source_ip)),
                names AS (
                    SELECT source_ip, 'header_from' AS kind, header_from AS value FROM mail WHERE header_from IS NOT NULL
                    UNION ALL
                    SELECT source_ip, 'envelope_from', envelope FROM mail WHERE envelope IS NOT NULL
                    UNION ALL
                    SELECT source_ip, 'reporters', reporter FROM mail
                    UNION ALL
                    SELECT m.source_ip, 'dkim_domains', d.domain FROM mail m JOIN dkim_results d ON d.record_key = m.record_key
                    WHERE d.domain IS NOT NULL
                ), distinct_names AS (SELECT DISTINCT source_ip, kind, value FROM names)
                SELECT source_ip,
                       list(value ORDER BY value) FILTER (WHERE kind = 'header_from') AS header_from,
                       list(value ORDER BY value) FILTER (WHERE kind = 'envelope_from') AS envelope_from,
                       list(value ORDER BY value) FILTER (WHERE kind = 'reporters') AS reporters,
                       list(value ORDER BY value) FILTER (WHERE kind = 'dkim_domains') AS dkim_domains
                FROM distinct_names GROUP BY source_ip""".formatted(wanted);
        try {
            execute(sql);
            execute(lists);
        } catch (SQLException e) {
            throw failure(e);
        }
        // each address beside the facts of the source it was classed by, for its evidence
        String source = "EXISTS (SELECT 1 FROM q_addresses a WHERE a.policy_domain = s.policy_domain AND a.source_ip = s.source_ip"
                + " AND a.entry = s.entry" + (limit > 0 ? " AND a.position <= " + limit : "") + ")";
        lists(source, true);
        String shown = """
                SELECT f.*, a.messages AS address_messages, a.dmarc_pass, a.dmarc_fail, a.spf_aligned, a.dkim_aligned,
                       a.disagreements, a.reason AS address_reason, a.first_seen AS address_first_seen,
                       a.last_seen AS address_last_seen, l.header_from AS address_header_from,
                       l.envelope_from AS address_envelope_from, l.reporters AS address_reporters,
                       l.dkim_domains AS address_dkim_domains
                FROM q_addresses a
                JOIN (%s) f ON f.policy_domain = a.policy_domain AND f.source_ip = a.source_ip AND f.entry = a.entry
                LEFT JOIN q_address_lists l ON l.source_ip = a.source_ip
                %s ORDER BY a.position""".formatted(SOURCE_FACTS.formatted(source), wanted.replace("position", "a.position"));
        long given = rows(shown, each);
        return Page.streamed(given, count("SELECT count(*) FROM q_addresses"), notShown("q_addresses", limit));
    }

    /**
     * Receives the rows of {@link #addresses}: the address's own columns (prefixed {@code address_}
     * where a source's have the same name), and the facts of the source it was classed by.
     */
    interface AddressRow {
        void accept(Row row, Facts facts) throws SQLException;
    }

    /** Per policy domain: its messages, those from RFC 7489 receivers, and its failing messages by class. */
    java.util.Map<String, DomainTotals> domainTotals() {
        java.util.Map<String, DomainTotals> totals = new java.util.LinkedHashMap<>();
        String sql = """
                SELECT policy_domain, sum(messages), sum(failing), sum(messages_rfc7489),
                       coalesce(sum(failing) FILTER (WHERE rule IN ('not-ours', 'none')), 0),
                       coalesce(sum(failing) FILTER (WHERE rule = 'forwarder'), 0),
                       coalesce(sum(failing) FILTER (WHERE rule IN ('third-party', 'steady', 'batch')), 0),
                       coalesce(sum(failing) FILTER (WHERE rule = 'receiver'), 0),
                       coalesce(sum(failing) FILTER (WHERE rule IN ('inventory', 'strict', 'ptr', 'spf-record', 'dkim')), 0),
                       coalesce(sum(messages_rfc7489) FILTER (WHERE rule NOT IN ('not-ours', 'none')), 0)
                FROM q_sources GROUP BY ALL ORDER BY 1""";
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                totals.put(rs.getString(1), new DomainTotals(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10)));
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return totals;
    }

    /**
     * One policy domain's messages and failing messages: {@code receiverFail} those of sources
     * that fail only at the receivers, {@code misconfigured} those of the owner's sources to fix;
     * {@code genuineRfc7489} the messages that are not spoofing reported in the RFC 7489 format.
     */
    record DomainTotals(long messages, long failing, long messagesRfc7489, long spoofed, long forwarded, long unverified,
                        long receiverFail, long misconfigured, long genuineRfc7489) {}

    /** Per policy domain and UTC day: messages, and the failing messages of each class. */
    List<Day> days() {
        String sql = """
                SELECT d.policy_domain, d.day, sum(d.messages), sum(d.failing),
                       coalesce(sum(d.failing) FILTER (WHERE s.rule IN ('not-ours', 'none')), 0),
                       coalesce(sum(d.failing) FILTER (WHERE s.rule = 'forwarder'), 0)
                FROM q_source_days d JOIN q_sources s USING (policy_domain, source_ip, entry)
                GROUP BY ALL ORDER BY 1, 2""";
        List<Day> days = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                days.add(new Day(rs.getString(1), rs.getObject(2, LocalDate.class), rs.getDouble(3), rs.getDouble(4),
                        rs.getDouble(5), rs.getDouble(6)));
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return days;
    }

    /** One policy domain's day: all messages, failing ones, and those failing from spoofing and forwarders. */
    record Day(String policyDomain, LocalDate day, double messages, double failing, double spoofed, double forwarded) {}

    /**
     * Messages per policy domain, UTC day and sending system, for the charts of volume: each
     * domain's {@code top} systems by messages (spoofing left out) by name, then the likely spoofing
     * as one group ({@code system} null, class {@code spoofing}) and the rest as another (both null).
     */
    List<SystemDay> volumeDays(int top) {
        String classWord = CLASS_OF_RULE.replace("rule", "s.rule");
        String sql = """
                WITH s AS (SELECT s.policy_domain, s.source_ip, s.entry, s.system, s.messages, %1$s = 'spoofing' AS spoofing
                           FROM q_sources s),
                ranked AS (
                    SELECT policy_domain, system, row_number() OVER (PARTITION BY policy_domain ORDER BY messages DESC, system) AS position
                    FROM (SELECT policy_domain, system, sum(messages) AS messages FROM s WHERE NOT spoofing GROUP BY policy_domain, system)
                ), keyed AS (
                    SELECT d.policy_domain, d.day, d.messages, d.failing, d.affected,
                           CASE WHEN NOT s.spoofing AND r.position <= %2$d THEN s.system END AS system,
                           CASE WHEN s.spoofing THEN 'spoofing' END AS class,
                           CASE WHEN s.spoofing THEN %2$d + 1 WHEN r.position <= %2$d THEN r.position ELSE %2$d + 2 END AS position
                    FROM q_source_days d JOIN s USING (policy_domain, source_ip, entry)
                    LEFT JOIN ranked r ON r.policy_domain = s.policy_domain AND r.system = s.system AND NOT s.spoofing
                )
                SELECT policy_domain, system, class, day, sum(messages), sum(failing), sum(affected)
                FROM keyed GROUP BY policy_domain, position, system, class, day ORDER BY policy_domain, position, day""".formatted(classWord, top);
        return systemDays(sql);
    }

    /**
     * Per UTC day, the failing and affected messages of each system that {@link #systems()} gives
     * (one per policy domain, system and class): the trend of what would break.
     */
    List<SystemDay> affectedDays() {
        String sql = """
                SELECT d.policy_domain, s.system, %1$s AS class, d.day, sum(d.messages), sum(d.failing), sum(d.affected)
                FROM q_source_days d JOIN q_sources s USING (policy_domain, source_ip, entry)
                WHERE s.failing > 0 AND s.rule NOT IN ('none', 'not-ours')
                GROUP BY ALL ORDER BY 1, 2, 3, 4""".formatted(CLASS_OF_RULE.replace("rule", "s.rule"));
        return systemDays(sql);
    }

    private List<SystemDay> systemDays(String sql) {
        List<SystemDay> days = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                days.add(new SystemDay(rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4, LocalDate.class),
                        rs.getDouble(5), rs.getDouble(6), rs.getDouble(7)));
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return days;
    }

    /** A sending system's UTC day: its messages, failing messages, and expected messages quarantined or rejected. */
    record SystemDay(String policyDomain, String system, String senderClass, LocalDate day, double messages, double failing,
                     double affected) {}

    /** The class word of a rule, in SQL. */
    static final String CLASS_OF_RULE = """
            CASE rule WHEN 'passing' THEN 'passing' WHEN 'not-ours' THEN 'spoofing' WHEN 'none' THEN 'spoofing'
                      WHEN 'forwarder' THEN 'forwarder' WHEN 'third-party' THEN 'unverified' WHEN 'steady' THEN 'unverified'
                      WHEN 'batch' THEN 'unverified' ELSE 'misconfigured' END""";

    private static final String FACT_COLUMNS = """
            %1$s AS policy_domain, %2$s AS system, %3$s AS rule, %4$s AS source_ip, %5$s AS ips, %6$s AS addresses,
            sum(s.messages) AS messages, sum(s.failing) AS failing, sum(s.quarantined) AS quarantined, sum(s.rejected) AS rejected,
            sum(s.absorbed) AS absorbed, sum(s.author_failed) AS author_failed, sum(s.authenticated) AS authenticated,
            sum(s.third_party_spf) AS third_party_spf, sum(s.strict_only) AS strict_only, sum(s.receiver_only) AS receiver_only,
            sum(s.receiver_dkim) AS receiver_dkim,
            sum(s.dkim_aligned_passing) AS dkim_aligned_passing, sum(s.messages_rfc7489) AS messages_rfc7489,
            sum(s.spf_aligned_messages) AS spf_aligned_messages, sum(s.dkim_aligned_messages) AS dkim_aligned_messages,
            list(DISTINCT s.ptr ORDER BY s.ptr) FILTER (WHERE s.ptr IS NOT NULL) AS ptrs,
            max(s.scope_days) AS scope_days,
            first(s.reason ORDER BY s.failing DESC, s.reason) AS reason,
            list(DISTINCT s.reason ORDER BY s.reason) FILTER (WHERE s.reason IS NOT NULL) AS reasons,
            first(s.service ORDER BY s.failing DESC, s.messages DESC, s.source_ip) AS service,
            first(s.service_type ORDER BY s.failing DESC, s.messages DESC, s.source_ip) AS service_type,
            first(s.service_detail ORDER BY s.failing DESC, s.messages DESC, s.source_ip) AS service_detail,
            sum(s.service_messages) FILTER (WHERE s.service IS NOT NULL) AS service_messages,
            sum(s.ip_messages) FILTER (WHERE s.service IS NOT NULL) AS service_whole,
            first(s.ptr ORDER BY s.failing DESC, s.messages DESC, s.source_ip) FILTER (WHERE s.ptr IS NOT NULL) AS ptr,
            first(s.ptr_org ORDER BY s.failing DESC, s.messages DESC, s.source_ip) FILTER (WHERE s.ptr_org IS NOT NULL) AS ptr_org,
            first(s.own_org) AS own_org, first(s.entry_name) AS entry_name, first(s.entry_note) AS entry_note,
            min(s.first_seen) AS first_seen, max(s.last_seen) AS last_seen,
            first(s.spf_term ORDER BY s.failing DESC, s.source_ip) FILTER (WHERE s.spf_term IS NOT NULL) AS spf_term,
            bool_or(s.spf_own) AS spf_own, bool_or(s.spf_known) AS spf_known""";

    /**
     * The lists of each group of sources ({@code members} by {@code key}), from failing mail or all
     * mail, and the UTC days its members sent on: grouped joins, joined to {@code g} on {@code key}.
     */
    private static String listsJoin(boolean failingOnly) {
        String prefix = failingOnly ? "fail_" : "all_";
        StringBuilder sb = new StringBuilder("LEFT JOIN (SELECT m.key");
        for (String column : listNames()) {
            sb.append(", list_sort(list_distinct(flatten(list(l.").append(prefix).append(column).append(")))) AS ").append(column);
        }
        sb.append(" FROM members m LEFT JOIN q_source_lists l USING (policy_domain, source_ip, entry) GROUP BY m.key) lists")
                .append(" ON lists.key = g.key\n");
        // the days it sent on: with failing mail, where it fails (what the volume rules judge); else with mail
        sb.append("LEFT JOIN (SELECT m.key, CASE WHEN sum(d.failing) > 0 THEN count(DISTINCT d.day) FILTER (WHERE d.failing > 0)")
                .append(" ELSE count(DISTINCT d.day) END AS sending_days FROM members m JOIN q_source_days d")
                .append(" USING (policy_domain, source_ip, entry) GROUP BY m.key) sent ON sent.key = g.key\n");
        return sb.toString();
    }

    private static final String LIST_COLUMNS = ", lists.* EXCLUDE (key), sent.sending_days";

    private static final String SYSTEMS = """
            WITH members AS (
                SELECT s.*, s.policy_domain || chr(0) || s.system || chr(0) || %1$s AS key FROM q_sources s WHERE %%1$s
            ), g AS (
                SELECT s.key, %2$s FROM members s GROUP BY s.key
            )
            SELECT g.* %3$s FROM g %4$s
            ORDER BY g.quarantined + g.rejected DESC, g.failing DESC, g.policy_domain, g.system, g.rule
            """.formatted(CLASS_OF_RULE.replace("rule", "s.rule"),
            FACT_COLUMNS.formatted("first(s.policy_domain)", "first(s.system)",
                    "first(s.rule ORDER BY s.failing DESC, s.rule)", "NULL::VARCHAR",
                    "list(s.source_ip ORDER BY s.failing DESC, s.source_ip)", "count(DISTINCT s.source_ip)"), LIST_COLUMNS,
            listsJoin(true).replace("%", "%%"));

    private static final String SENDING_SYSTEMS = """
            WITH members AS (
                SELECT s.*, s.system || chr(0) || %1$s AS key FROM q_sources s WHERE %%1$s
            ), g AS (
                SELECT s.key, %2$s FROM members s GROUP BY s.key
            )
            SELECT g.* %3$s FROM g %4$s
            ORDER BY g.messages DESC, g.system, g.rule
            """.formatted(CLASS_OF_RULE.replace("rule", "s.rule"),
            FACT_COLUMNS.formatted("first(s.policy_domain ORDER BY s.messages DESC)", "first(s.system)",
                    "first(s.rule ORDER BY s.failing DESC, s.messages DESC, s.rule)", "NULL::VARCHAR",
                    "list(s.source_ip ORDER BY s.messages DESC, s.source_ip)", "count(DISTINCT s.source_ip)"), LIST_COLUMNS,
            listsJoin(false).replace("%", "%%"));

    /** One row per source: with the UTC days of its affected mail (for the charts of what-if answers), or without them. */
    private static String sources(boolean perDay) {
        String days = !perDay ? "" : """
                LEFT JOIN (SELECT d.policy_domain, d.source_ip, d.entry, list(d.day ORDER BY d.day) AS per_day_days,
                                  list(d.affected ORDER BY d.day) AS per_day_affected
                           FROM q_source_days d SEMI JOIN members m USING (policy_domain, source_ip, entry) GROUP BY ALL) pd
                  USING (policy_domain, source_ip, entry)
                """;
        StringBuilder lists = new StringBuilder();
        for (String column : listNames()) {
            lists.append(", coalesce(l.fail_").append(column).append(", []::VARCHAR[]) AS ").append(column);
        }
        // one source per row: its own values, in the columns that FACT_COLUMNS gives a group of them
        return """
                WITH members AS (SELECT * FROM q_sources s WHERE %%1$s)
                SELECT s.policy_domain, s.system, s.rule, s.source_ip, [s.source_ip] AS ips, 1 AS addresses,
                       s.messages, s.failing, s.quarantined, s.rejected, s.absorbed, s.author_failed, s.authenticated,
                       s.third_party_spf, s.strict_only, s.receiver_only, s.receiver_dkim, s.dkim_aligned_passing,
                       s.messages_rfc7489, s.spf_aligned_messages, s.dkim_aligned_messages,
                       CASE WHEN s.ptr IS NOT NULL THEN [s.ptr] END AS ptrs, s.scope_days, s.reason,
                       CASE WHEN s.reason IS NOT NULL THEN [s.reason] END AS reasons, s.service, s.service_type, s.service_detail,
                       CASE WHEN s.service IS NOT NULL THEN s.service_messages END AS service_messages,
                       CASE WHEN s.service IS NOT NULL THEN s.ip_messages END AS service_whole, s.ptr, s.ptr_org,
                       s.own_org, s.entry_name, s.entry_note, s.first_seen, s.last_seen%1$s, s.sending_days%2$s, s.entry,
                       s.spf_term, s.spf_own, s.spf_known
                FROM members s LEFT JOIN q_source_lists l USING (policy_domain, source_ip, entry)
                %3$s
                ORDER BY s.quarantined + s.rejected DESC, s.failing DESC, s.messages DESC, s.policy_domain, s.source_ip
                """.formatted(lists, perDay ? ", pd.per_day_days, pd.per_day_affected" : "", days);
    }

    private static final String SOURCES = sources(true);

    /** {@link #SOURCES} without the days: for evidence, which does not chart them. */
    private static final String SOURCE_FACTS = sources(false);

    /** What a source, or a system of sources, shows: the numbers and names its class, evidence and fix come from. */
    record Facts(String policyDomain, String system, String rule, String sourceIp, List<String> ips, int addresses,
                 long messages, long failing, double quarantined, double rejected, long absorbed, long authorFailed,
                 long authenticated, long thirdPartySpf, long strictOnly, long receiverOnly, long receiverDkim, long dkimAlignedPassing,
                 long messagesRfc7489, int sendingDays, int scopeDays, String reason, List<String> reasons, String service,
                 String serviceType, String serviceDetail, long serviceMessages, long serviceWhole, String ptr, String ptrOrg, String ownOrg,
                 String entryName, String entryNote, LocalDateTime firstSeen, LocalDateTime lastSeen, List<String> dkimDomains,
                 List<String> selectors, List<String> spfDomains, List<String> brokenSignatures, List<String> headerFrom,
                 SortedMap<LocalDate, Double> perDay, long spfAlignedMessages, long dkimAlignedMessages, List<String> ptrs,
                 List<String> spfPassDomains, List<String> envelopeFrom, List<String> reporters, List<String> failedDkimDomains,
                 List<String> dkimKeys, List<String> failingDkimKeys, String spfTerm, boolean spfOwn,
                 boolean spfKnown) {

        SenderClass senderClass() {
            return classOf(rule);
        }

        /** Failing messages per day it sent failing mail on, on average; for mail that passes, messages per sending day. */
        double perSendingDay() {
            return sendingDays == 0 ? 0 : (double) (failing > 0 ? failing : messages) / sendingDays;
        }
    }

    static SenderClass classOf(String rule) {
        return switch (rule) {
            case "passing" -> SenderClass.PASSING;
            case "not-ours", "none" -> SenderClass.SPOOFING;
            case "forwarder" -> SenderClass.FORWARDER;
            case "third-party", "steady", "batch" -> SenderClass.UNVERIFIED;
            default -> SenderClass.MISCONFIGURED;
        };
    }

    /** Gives each row of the query to {@code each}; returns how many there were. */
    private long query(String sql, Consumer<Facts> each) {
        return rows(sql, (rs, facts) -> each.accept(facts));
    }

    /** Gives each row of the query, and the facts it holds, to {@code each}; returns how many there were. */
    private long rows(String sql, AddressRow each) {
        long start = System.nanoTime();
        long rows = 0;
        try (ResultSet rs = select(ListColumns.asJson(connection, sql))) {
            Row row = new Row(rs);
            boolean perDay = row.has("per_day_days");
            while (rs.next()) {
                rows++;
                each.accept(row, facts(row, perDay));
            }
            timing(sql, start);
        } catch (SQLException e) {
            throw failure(e);
        }
        return rows;
    }

    private static Facts facts(Row rs, boolean perDay) throws SQLException {
        SortedMap<LocalDate, Double> days = new TreeMap<>();
        if (perDay) {
            List<String> d = rs.strings("per_day_days");
            List<String> n = rs.strings("per_day_affected");
            for (int i = 0; i < d.size(); i++) {
                days.put(LocalDate.parse(d.get(i).substring(0, 10)), Double.parseDouble(n.get(i)));
            }
        }
        return new Facts(rs.string("policy_domain"), rs.string("system"), rs.string("rule"),
                rs.string("source_ip"), rs.strings("ips"), rs.integer("addresses"), rs.number("messages"),
                rs.number("failing"), rs.decimal("quarantined"), rs.decimal("rejected"), rs.number("absorbed"),
                rs.number("author_failed"), rs.number("authenticated"), rs.number("third_party_spf"),
                rs.number("strict_only"), rs.number("receiver_only"), rs.number("receiver_dkim"),
                rs.number("dkim_aligned_passing"),
                rs.number("messages_rfc7489"), rs.integer("sending_days"), rs.integer("scope_days"), rs.string("reason"),
                rs.strings("reasons"), rs.string("service"), rs.string("service_type"),
                rs.string("service_detail"), rs.number("service_messages"), rs.number("service_whole"), rs.string("ptr"),
                rs.string("ptr_org"), rs.string("own_org"), rs.string("entry_name"), rs.string("entry_note"),
                rs.time("first_seen"), rs.time("last_seen"),
                rs.strings("dkim_domains"), rs.strings("selectors"), rs.strings("spf_domains"),
                rs.strings("broken"), rs.strings("header_from"), days, rs.number("spf_aligned_messages"),
                rs.number("dkim_aligned_messages"), rs.strings("ptrs"), rs.strings("spf_pass_domains"),
                rs.strings("envelope_from"), rs.strings("reporters"), rs.strings("failed_dkim_domains"),
                rs.strings("dkim_keys"), rs.strings("failing_dkim_keys"), rs.string("spf_term"), rs.bool("spf_own"),
                rs.bool("spf_known"));
    }

    /** A number as an SQL literal. */
    private static String number(double n) {
        return String.format(Locale.ROOT, "%.6f", n);
    }

    // Every statement here replaces what it makes, and every query's result is whole before its first
    // row is read (the driver does not stream): each can run again when it needs more memory.

    private void execute(String sql) throws SQLException {
        long start = System.nanoTime();
        store.withMemory(() -> {
            try (Statement s = connection.createStatement()) {
                return s.execute(sql);
            }
        });
        timing(sql, start);
    }

    /** A query's result, as {@link #execute} runs statements; closing it closes its statement. */
    private ResultSet select(String sql) throws SQLException {
        return store.withMemory(() -> {
            Statement s = connection.createStatement();
            try {
                ResultSet rs = s.executeQuery(sql);
                s.closeOnCompletion();
                return rs;
            } catch (SQLException e) {
                s.close();
                throw e;
            }
        });
    }

    private void run(String sql, Object[] parameters) throws SQLException {
        long start = System.nanoTime();
        store.withMemory(() -> {
            try (PreparedStatement s = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    s.setObject(i + 1, parameters[i]);
                }
                return s.execute();
            }
        });
        timing(sql, start);
    }

    /** With {@code -Ddmarcq.timing}, each statement's time on standard error: for the benchmark notes. */
    private static void timing(String sql, long start) {
        if (TIMING) {
            String first = sql.strip().lines().findFirst().orElse("");
            System.err.printf(Locale.ROOT, "dmarcq timing: %7.3f s  %s%n", (System.nanoTime() - start) / 1e9,
                    first.length() > 90 ? first.substring(0, 90) : first);
        }
    }

    private static final boolean TIMING = System.getProperty("dmarcq.timing") != null;

    private StoreException failure(SQLException e) {
        return new StoreException(store.file() + ": cannot analyse the senders: " + Store.problem(e), e);
    }

    /** Drops the temporary tables. */
    @Override
    public void close() {
        try (Statement s = connection.createStatement()) {
            s.execute("DROP VIEW IF EXISTS temp.q_records");
            for (String[] tables : new String[][] {TABLES, LIST_TABLES}) {
                for (String table : tables) {
                    s.execute("DROP TABLE IF EXISTS temp." + table);
                }
            }
        } catch (SQLException e) {
            // temporary tables vanish with the connection anyway
        }
    }
}
