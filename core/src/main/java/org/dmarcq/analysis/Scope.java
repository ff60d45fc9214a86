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

    static Instant instant(java.time.LocalDateTime utc) {
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }
}
