package org.dmarcq.analysis;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.Instant;

/**
 * Which reports a question covers: one policy domain or all, and the UTC days from {@code since}
 * to {@code until} inclusive, either open. A report belongs to the days on which its period begins.
 */
public record Scope(String domain, LocalDate since, LocalDate until) {
    public Scope {
        if (since != null && until != null && until.isBefore(since)) {
            throw new IllegalArgumentException("the period ends (" + until + ") before it begins (" + since + ")");
        }
    }

    public static Scope all() {
        return new Scope(null, null, null);
    }

    /** SQL conditions on {@code policy_domain} and {@code begin_time}, with {@code ?} for {@link #parameters}. */
    String where() {
        return where(null);
    }

    /** The same, on the columns of the table or view named {@code alias}. */
    String where(String alias) {
        String prefix = alias == null ? "" : alias + ".";
        StringBuilder sql = new StringBuilder("TRUE");
        if (domain != null) {
            sql.append(" AND ").append(prefix).append("policy_domain = ?");
        }
        if (since != null) {
            sql.append(" AND ").append(prefix).append("begin_time >= ?");
        }
        if (until != null) {
            sql.append(" AND ").append(prefix).append("begin_time < ?");
        }
        return sql.toString();
    }

    /** The same conditions with the values written in, for a view (which takes no parameters). */
    String literalWhere(String alias) {
        String prefix = alias == null ? "" : alias + ".";
        StringBuilder sql = new StringBuilder("TRUE");
        if (domain != null) {
            sql.append(" AND ").append(prefix).append("policy_domain = '").append(domain.replace("'", "''")).append('\'');
        }
        if (since != null) {
            sql.append(" AND ").append(prefix).append("begin_time >= TIMESTAMP '").append(since).append(" 00:00:00'");
        }
        if (until != null) {
            sql.append(" AND ").append(prefix).append("begin_time < TIMESTAMP '").append(until.plusDays(1)).append(" 00:00:00'");
        }
        return sql.toString();
    }

    Object[] parameters() {
        java.util.List<Object> values = new java.util.ArrayList<>();
        if (domain != null) {
            values.add(domain);
        }
        if (since != null) {
            values.add(java.time.LocalDateTime.ofInstant(since.atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC));
        }
        if (until != null) {
            values.add(java.time.LocalDateTime.ofInstant(until.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC));
        }
        return values.toArray();
    }

    /**
     * Why the scope holds no DMARC report in the store, in words for its user (the store has none,
     * or only TLS reports; no report of the domain; none in the period, with the period it has);
     * null when it holds some.
     */
    public String whyEmpty(org.dmarcq.store.Store store) {
        java.sql.Connection c = store.connection();
        try (java.sql.PreparedStatement s = c.prepareStatement("""
                SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM tls_reports),
                       (SELECT count(*) FROM reports WHERE %s),
                       (SELECT count(*) FROM reports WHERE policy_domain = $domain),
                       (SELECT min(begin_time)::DATE FROM reports WHERE $domain IS NULL OR policy_domain = $domain),
                       (SELECT max(begin_time)::DATE FROM reports WHERE $domain IS NULL OR policy_domain = $domain),
                       (SELECT string_agg(d, ', ' ORDER BY d) FROM (SELECT DISTINCT policy_domain AS d FROM reports LIMIT 6))"""
                .formatted(where()).replace("$domain", "?::VARCHAR"))) {
            Object[] scoped = parameters();
            int i = 1;
            for (Object p : scoped) {
                s.setObject(i++, p);
            }
            for (int k = 0; k < 5; k++) {
                s.setString(i++, domain);
            }
            try (java.sql.ResultSet rs = s.executeQuery()) {
                rs.next();
                String file = store.file().toString();
                if (rs.getLong(1) == 0) {
                    return rs.getLong(2) > 0
                            ? file + " holds no DMARC aggregate reports, only " + rs.getLong(2) + " SMTP TLS report"
                                    + (rs.getLong(2) == 1 ? "" : "s") + ": see dmarcq tls"
                            : file + " holds no reports yet: store some with dmarcq ingest FILE...";
                }
                if (rs.getLong(3) > 0) {
                    return null;
                }
                if (domain != null && rs.getLong(4) == 0) {
                    return "no DMARC reports for " + domain + " in " + file + "; it has reports for " + rs.getString(7)
                            + " (dmarcq domains lists them all)";
                }
                return "no DMARC reports " + (domain == null ? "" : "for " + domain + " ") + "begin " + period() + " in " + file
                        + "; " + (domain == null ? "its" : "that domain's") + " reports begin from " + rs.getObject(5)
                        + " to " + rs.getObject(6);
            }
        } catch (java.sql.SQLException e) {
            throw new org.dmarcq.store.StoreException(store.file() + ": cannot read the database: " + e.getMessage(), e);
        }
    }

    private String period() {
        if (since != null && until != null) {
            return since.equals(until) ? "on " + since : "from " + since + " to " + until;
        }
        return since != null ? "on or after " + since : "on or before " + until;
    }

    static Instant instant(java.time.LocalDateTime utc) {
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }
}
