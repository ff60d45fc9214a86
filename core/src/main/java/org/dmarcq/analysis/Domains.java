package org.dmarcq.analysis;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.dmarcq.store.Store;
import org.dmarcq.store.StoreException;

/** One {@link DomainSummary} per policy domain in a scope, by most messages. */
public final class Domains {
    private Domains() {}

    public static List<DomainSummary> list(Store store, Scope scope) {
        String sql = """
                WITH scoped_reports AS (
                    SELECT * FROM reports WHERE %1$s
                ), latest AS (
                    -- the policy as the latest report saw it: all fields from that one report
                    SELECT policy_domain, p, sp, np, pct, testing, adkim, aspf
                    FROM scoped_reports
                    QUALIFY row_number() OVER (PARTITION BY policy_domain
                                               ORDER BY begin_time DESC, end_time DESC, report_key DESC) = 1
                ), counts AS (
                    SELECT policy_domain, count(*) AS reports, count(DISTINCT org_name) AS reporters,
                           min(begin_time) AS first_seen, max(end_time) AS last_seen
                    FROM scoped_reports GROUP BY policy_domain
                ), verdicts AS (
                    SELECT policy_domain,
                           sum(count) AS messages,
                           coalesce(sum(count) FILTER (WHERE coalesce(receiver_dmarc, dmarc) = 'pass'), 0) AS dmarc_pass,
                           coalesce(sum(count) FILTER (WHERE coalesce(receiver_dmarc, dmarc) = 'fail'), 0) AS dmarc_fail,
                           count(*) FILTER (WHERE disagrees) AS disagreements
                    FROM record_verdicts WHERE %1$s GROUP BY policy_domain
                )
                SELECT c.*, l.p, l.sp, l.np, l.pct, l.testing, l.adkim, l.aspf,
                       coalesce(v.messages, 0) AS messages, coalesce(v.dmarc_pass, 0) AS dmarc_pass,
                       coalesce(v.dmarc_fail, 0) AS dmarc_fail, coalesce(v.disagreements, 0) AS disagreements
                FROM counts c JOIN latest l USING (policy_domain) LEFT JOIN verdicts v USING (policy_domain)
                ORDER BY messages DESC, policy_domain
                """.formatted(scope.where());
        List<DomainSummary> domains = new ArrayList<>();
        try (PreparedStatement s = store.connection().prepareStatement(sql)) {
            Object[] parameters = scope.parameters();
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < parameters.length; i++) {
                    s.setObject(round * parameters.length + i + 1, parameters[i]);
                }
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long messages = rs.getLong("messages");
                    long pass = rs.getLong("dmarc_pass");
                    domains.add(new DomainSummary(rs.getString("policy_domain"), rs.getLong("reports"), rs.getLong("reporters"),
                            Scope.instant(rs.getObject("first_seen", LocalDateTime.class)),
                            Scope.instant(rs.getObject("last_seen", LocalDateTime.class)),
                            messages, pass, rs.getLong("dmarc_fail"), messages == 0 ? null : (double) pass / messages,
                            rs.getString("p"), rs.getString("sp"), rs.getString("np"), (Long) rs.getObject("pct"),
                            rs.getString("testing"), rs.getString("adkim"), rs.getString("aspf"), rs.getLong("disagreements")));
                }
            }
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": cannot summarise domains: " + Store.problem(e), e);
        }
        return domains;
    }
}
