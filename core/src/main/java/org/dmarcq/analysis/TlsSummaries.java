package org.dmarcq.analysis;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dmarcq.store.Store;
import org.dmarcq.store.StoreException;

/** {@link TlsSummary} per policy domain and policy type, from the {@code tls_sessions} and {@code tls_failure_details} views. */
public final class TlsSummaries {
    private TlsSummaries() {}

    public static List<TlsSummary> list(Store store, Scope scope) {
        try {
            Map<String, Builder> builders = new LinkedHashMap<>();
            query(store, """
                    SELECT policy_domain, coalesce(policy_type, '?') AS policy_type, sum(successful_sessions), sum(failed_sessions),
                           count(DISTINCT tls_report_key), list(DISTINCT reporter ORDER BY reporter),
                           list(DISTINCT sts_mode ORDER BY sts_mode) FILTER (WHERE sts_mode IS NOT NULL),
                           count(*) FILTER (WHERE details_mismatch)
                    FROM tls_sessions WHERE %s GROUP BY ALL
                    ORDER BY sum(successful_sessions + failed_sessions) DESC, policy_domain, policy_type""", scope, rs -> {
                Builder b = new Builder(rs.getString(1), rs.getString(2));
                b.successful = rs.getLong(3);
                b.failed = rs.getLong(4);
                b.reports = rs.getInt(5);
                b.reporters = ListColumns.strings(rs, 6);
                b.modes = ListColumns.strings(rs, 7);
                b.mismatched = rs.getLong(8);
                builders.put(key(b.domain, b.type), b);
            });
            query(store, """
                    SELECT policy_domain, coalesce(policy_type, '?'), begin_time::DATE, sum(successful_sessions), sum(failed_sessions)
                    FROM tls_sessions WHERE plausible_day(begin_time::DATE) AND %s GROUP BY ALL ORDER BY 3""", scope,
                    rs -> builders.get(key(rs.getString(1), rs.getString(2)))
                    .days.add(new TlsSummary.Day(rs.getObject(3, LocalDate.class), rs.getLong(4), rs.getLong(5))));
            query(store, """
                    SELECT policy_domain, coalesce(policy_type, '?'), reporter, count(DISTINCT tls_report_key),
                           sum(successful_sessions), sum(failed_sessions)
                    FROM tls_sessions WHERE %s GROUP BY ALL ORDER BY sum(failed_sessions) DESC, reporter""", scope,
                    rs -> builders.get(key(rs.getString(1), rs.getString(2))).byReporter
                            .add(new TlsSummary.Reporter(rs.getString(3), rs.getInt(4), rs.getLong(5), rs.getLong(6))));
            query(store, """
                    SELECT policy_domain, coalesce(policy_type, '?'), coalesce(result_type, '?'), sum(failed_sessions)
                    FROM tls_failure_details WHERE %s GROUP BY ALL ORDER BY 4 DESC, 3""", scope,
                    rs -> builders.get(key(rs.getString(1), rs.getString(2))).byResultType
                            .add(new TlsSummary.Count(rs.getString(3), rs.getLong(4))));
            query(store, """
                    SELECT policy_domain, coalesce(policy_type, '?'), coalesce(receiving_mx_hostname, '?'), sum(failed_sessions)
                    FROM tls_failure_details WHERE %s GROUP BY ALL ORDER BY 4 DESC, 3""", scope,
                    rs -> builders.get(key(rs.getString(1), rs.getString(2))).byMx
                            .add(new TlsSummary.Count(rs.getString(3), rs.getLong(4))));
            List<TlsSummary> summaries = new ArrayList<>();
            for (Builder b : builders.values()) {
                summaries.add(new TlsSummary(b.domain, b.type, b.modes, b.successful, b.failed, b.reports, b.reporters,
                        List.copyOf(b.days), List.copyOf(b.byResultType), List.copyOf(b.byMx), List.copyOf(b.byReporter), b.mismatched));
            }
            return summaries;
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": cannot summarise TLS reports: " + Store.problem(e), e);
        }
    }

    interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    /** Runs a query whose {@code %s} is the scope's condition, row by row. */
    static void query(Store store, String sql, Scope scope, Row row) throws SQLException {
        try (PreparedStatement s = store.connection().prepareStatement(sql.formatted(scope.where()))) {
            WhatIf.bind(s, scope.parameters(), 0);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs);
                }
            }
        }
    }

    private static String key(String domain, String type) {
        return domain + "\n" + type;
    }

    private static final class Builder {
        final String domain;
        final String type;
        long successful;
        long failed;
        int reports;
        long mismatched;
        List<String> reporters = List.of();
        List<String> modes = List.of();
        final List<TlsSummary.Day> days = new ArrayList<>();
        final List<TlsSummary.Count> byResultType = new ArrayList<>();
        final List<TlsSummary.Count> byMx = new ArrayList<>();
        final List<TlsSummary.Reporter> byReporter = new ArrayList<>();

        Builder(String domain, String type) {
            this.domain = domain;
            this.type = type;
        }
    }
}
