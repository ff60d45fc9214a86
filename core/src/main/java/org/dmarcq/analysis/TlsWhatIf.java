package org.dmarcq.analysis;

import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.dmarcq.store.Store;
import org.dmarcq.store.StoreException;
import org.dmarcq.tlsrpt.StsPolicy;

/**
 * {@link TlsEnforcement} per policy domain with an MTA-STS policy in the reports: which failures
 * of the testing period enforce would have turned into undelivered mail, why, and what to fix.
 */
public final class TlsWhatIf {
    private TlsWhatIf() {}

    /**
     * @param proposed a policy to check instead of the reported ones' {@code mx} patterns, or null
     * @param minDays days of reports needed before any verdict but {@code not enough data}
     */
    public static List<TlsEnforcement> enforce(Store store, Scope scope, StsPolicy proposed, int minDays) {
        return enforce(store, scope, proposed, minDays, RESOLVED_AFTER_DAYS);
    }

    /** Days without a cause, before the last day of reports, after which it counts as resolved. */
    public static final int RESOLVED_AFTER_DAYS = 7;

    /**
     * @param resolvedAfterDays a blocking cause last seen more than this many days before the last
     *     day of reports counts as resolved (an expired certificate renewed since) and does not make
     *     the verdict not safe
     */
    public static List<TlsEnforcement> enforce(Store store, Scope scope, StsPolicy proposed, int minDays, int resolvedAfterDays) {
        try {
            Map<String, Domain> domains = new LinkedHashMap<>();
            TlsSummaries.query(store, """
                    SELECT policy_domain, count(DISTINCT begin_time::DATE) FILTER (WHERE plausible_day(begin_time::DATE)),
                           list(DISTINCT reporter ORDER BY reporter),
                           coalesce(sum(successful_sessions + failed_sessions) FILTER (WHERE coalesce(sts_mode, 'testing') = 'testing'), 0),
                           coalesce(sum(failed_sessions) FILTER (WHERE coalesce(sts_mode, 'testing') = 'testing'), 0),
                           list(DISTINCT sts_mode ORDER BY sts_mode) FILTER (WHERE sts_mode IS NOT NULL),
                           flatten(list(mx_hosts)), max(begin_time::DATE) FILTER (WHERE plausible_day(begin_time::DATE)),
                           coalesce(sum(successful_sessions) FILTER (WHERE coalesce(sts_mode, 'testing') = 'testing'), 0)
                    FROM tls_sessions WHERE policy_type = 'sts' AND policy_domain IS NOT NULL AND %s
                    GROUP BY policy_domain ORDER BY policy_domain""", scope, rs -> {
                Domain d = new Domain(rs.getString(1));
                d.days = rs.getInt(2);
                d.reporters = ListColumns.strings(rs, 3);
                d.testingSessions = rs.getLong(4);
                d.failedInTesting = rs.getLong(5);
                d.modes = ListColumns.strings(rs, 6);
                d.lastDay = rs.getObject(8, LocalDate.class);
                d.successfulInTesting = rs.getLong(9);
                for (String host : ListColumns.strings(rs, 7)) {
                    if (!host.startsWith("*")) {
                        d.mxSeen.add(host);
                    }
                }
                domains.put(d.name, d);
            });
            // Failures the details do not explain (fewer detail sessions than failed ones) are counted as blocking.
            TlsSummaries.query(store, """
                    SELECT policy_domain, sum(failed_sessions - detail_sessions)
                    FROM tls_sessions WHERE policy_type = 'sts' AND coalesce(sts_mode, 'testing') = 'testing'
                      AND failed_sessions > detail_sessions AND %s
                    GROUP BY policy_domain""", scope, rs -> {
                Domain d = domains.get(rs.getString(1));
                if (d != null) {
                    d.cause("no-details").sessions += rs.getLong(2);
                }
            });
            TlsSummaries.query(store, """
                    SELECT policy_domain, result_type, receiving_mx_hostname, sending_mta_ip, reporter, failure_reason_code,
                           failed_sessions, mx_hosts, coalesce(sts_mode, 'testing') = 'testing', begin_time::DATE
                    FROM tls_failure_details WHERE policy_type = 'sts' AND %s""", scope, rs -> {
                Domain d = domains.get(rs.getString(1));
                if (d == null) {
                    return;
                }
                String mx = rs.getString(3);
                if (mx != null) {
                    d.mxSeen.add(mx);
                }
                if (!rs.getBoolean(9)) {
                    return;
                }
                if (mx != null) {
                    d.failedByMx.merge(mx, rs.getLong(7), Long::sum);
                }
                List<String> patterns = proposed != null ? proposed.mx() : ListColumns.strings(rs, 8);
                String type = rs.getString(2);
                Acc c = d.cause(cause(type, mx, patterns));
                c.sessions += rs.getLong(7);
                add(c.resultTypes, type);
                add(c.mxHosts, mx);
                add(c.sendingMtas, rs.getString(4));
                add(c.reporters, rs.getString(5));
                add(c.codes, rs.getString(6));
                c.seen(rs.getObject(10, LocalDate.class));
            });
            List<TlsEnforcement> results = new ArrayList<>();
            for (Domain d : domains.values()) {
                results.add(d.result(proposed, minDays, resolvedAfterDays));
            }
            return results;
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": cannot simulate MTA-STS enforce: " + Store.problem(e), e);
        }
    }

    /** The cause of a failed session: policy fetching first, then an MX outside the policy, then the result type. */
    static String cause(String resultType, String mx, List<String> patterns) {
        String type = resultType == null ? "" : resultType;
        if (type.startsWith("sts-")) {
            return "policy-fetch-error";
        }
        if (mx != null && !patterns.isEmpty() && !StsPolicy.matches(patterns, mx)) {
            return "mx-not-in-policy";
        }
        return switch (type) {
            case "certificate-host-mismatch", "certificate-expired", "certificate-not-trusted", "starttls-not-supported",
                 "validation-failure" -> type;
            default -> "other";
        };
    }

    private static void add(TreeSet<String> set, String value) {
        if (value != null) {
            set.add(value);
        }
    }

    private static final class Acc {
        final String cause;
        long sessions;
        final TreeSet<String> resultTypes = new TreeSet<>();
        final TreeSet<String> mxHosts = new TreeSet<>();
        final TreeSet<String> sendingMtas = new TreeSet<>();
        final TreeSet<String> reporters = new TreeSet<>();
        final TreeSet<String> codes = new TreeSet<>();
        LocalDate first;
        LocalDate last;

        Acc(String cause) {
            this.cause = cause;
        }

        void seen(LocalDate day) {
            first = first == null || day.isBefore(first) ? day : first;
            last = last == null || day.isAfter(last) ? day : last;
        }

        boolean blocks() {
            return !cause.equals("policy-fetch-error");
        }

        /** Last seen well before the end of the data: fixed since, as far as the reports tell. */
        boolean resolved(LocalDate lastDay, int resolvedAfterDays) {
            return last != null && lastDay != null && last.isBefore(lastDay.minusDays(resolvedAfterDays));
        }

        TlsEnforcement.Cause result(String domain, boolean resolved) {
            return new TlsEnforcement.Cause(cause, label(), blocks(), sessions, List.copyOf(resultTypes), List.copyOf(mxHosts),
                    List.copyOf(sendingMtas), List.copyOf(reporters), List.copyOf(codes), first, last, fix(domain), resolved);
        }

        private String label() {
            return switch (cause) {
                case "mx-not-in-policy" -> "MX not matched by the policy's mx: patterns";
                case "certificate-host-mismatch" -> "certificate name mismatch";
                case "certificate-expired" -> "certificate expired";
                case "certificate-not-trusted" -> "certificate not trusted";
                case "starttls-not-supported" -> "STARTTLS missing";
                case "validation-failure" -> "other TLS validation failure";
                case "policy-fetch-error" -> "policy fetch errors";
                case "no-details" -> "failures the reports give no details for";
                default -> "other result types";
            };
        }

        private String fix(String domain) {
            String hosts = mxHosts.isEmpty() ? "your MX hosts" : String.join(", ", mxHosts);
            return switch (cause) {
                case "mx-not-in-policy" -> "add an mx: line matching " + hosts + " to the policy at https://mta-sts." + domain
                        + "/.well-known/mta-sts.txt (and change its id in _mta-sts." + domain + "), or take the host out of the MX records";
                case "certificate-host-mismatch" -> "give " + hosts + " a certificate whose names (subjectAltName) include the MX"
                        + " host name that senders connect to";
                case "certificate-expired" -> "renew the certificate of " + hosts + ", and automate the renewal";
                case "certificate-not-trusted" -> "use a certificate from a publicly trusted CA on " + hosts
                        + " and serve the whole chain (with intermediates)";
                case "starttls-not-supported" -> "enable STARTTLS on " + hosts;
                case "validation-failure" -> (codes.isEmpty() ? "the reporters give no reason code" : "the reporters' reason codes: "
                        + String.join(", ", codes)) + "; test TLS to " + hosts + " yourself, e.g. with"
                        + " openssl s_client -starttls smtp -connect HOST:25 -servername HOST";
                case "policy-fetch-error" -> "serve the policy at https://mta-sts." + domain + "/.well-known/mta-sts.txt with"
                        + " HTTP 200, text/plain, a valid certificate for mta-sts." + domain + " and valid syntax; until"
                        + " then senders without a cached policy do not apply MTA-STS at all";
                case "no-details" -> "the reports count these failures without details: ask the reporters ("
                        + String.join(", ", reporters) + ") or watch the next reports";
                default -> "look at the result types " + String.join(", ", resultTypes) + " for " + hosts;
            };
        }
    }

    private static final class Domain {
        final String name;
        int days;
        List<String> reporters = List.of();
        List<String> modes = List.of();
        long testingSessions;
        long failedInTesting;
        long successfulInTesting;
        LocalDate lastDay;
        final Map<String, Long> failedByMx = new LinkedHashMap<>();
        final TreeSet<String> mxSeen = new TreeSet<>();
        final Map<String, Acc> causes = new LinkedHashMap<>();

        Domain(String name) {
            this.name = name;
        }

        Acc cause(String cause) {
            return causes.computeIfAbsent(cause, Acc::new);
        }

        TlsEnforcement result(StsPolicy proposed, int minDays, int resolvedAfterDays) {
            List<TlsEnforcement.Cause> list = new ArrayList<>();
            long blocking = 0;
            List<String> resolved = new ArrayList<>();
            for (Acc a : causes.values()) {
                if (a.sessions > 0) {
                    boolean fixed = a.blocks() && a.resolved(lastDay, resolvedAfterDays);
                    list.add(a.result(name, fixed));
                    if (a.blocks() && !fixed) {
                        blocking += a.sessions;
                    }
                    if (fixed) {
                        resolved.add(String.format(Locale.ROOT, "%s (%,d sessions, last on %s)", a.label(), a.sessions, a.last));
                    }
                }
            }
            list.sort(Comparator.comparing(TlsEnforcement.Cause::resolved)
                    .thenComparing(Comparator.comparing(TlsEnforcement.Cause::blocksDelivery).reversed())
                    .thenComparing(Comparator.comparingLong(TlsEnforcement.Cause::sessions).reversed())
                    .thenComparing(TlsEnforcement.Cause::cause));
            // Result types are not exclusive: details may count a session twice, never more than failed.
            long wouldFail = Math.min(blocking, failedInTesting);
            TlsEnforcement.PolicyCheck check = null;
            List<String> because = new ArrayList<>();
            if (proposed != null) {
                List<String> unmatched = mxSeen.stream().filter(h -> !StsPolicy.matches(proposed.mx(), h)).toList();
                check = new TlsEnforcement.PolicyCheck(proposed.mode(), proposed.mx(), proposed.maxAge(), proposed.problems(),
                        List.copyOf(mxSeen), unmatched);
                for (String p : proposed.problems()) {
                    because.add("the proposed policy is invalid: " + p);
                }
                if (!unmatched.isEmpty()) {
                    long failedThere = unmatched.stream().mapToLong(h -> failedByMx.getOrDefault(h, 0L)).sum();
                    because.add(String.format(Locale.ROOT, "the proposed policy's mx: patterns do not match %s, seen in the"
                            + " reports: under enforce every session to %s fails, the successful ones too; the reports count"
                            + " successful sessions per policy, not per MX host, so that is %,d failed sessions and up to %,d"
                            + " successful ones (%.1f%% of the sessions at most)", String.join(", ", unmatched),
                            unmatched.size() == 1 ? "it" : "them", failedThere, successfulInTesting,
                            testingSessions == 0 ? 0 : 100.0 * (failedThere + successfulInTesting) / testingSessions));
                }
                if (proposed.valid() && !"enforce".equals(proposed.mode())) {
                    because.add("the proposed policy says mode: " + proposed.mode() + ", not enforce");
                }
            }
            String verdict;
            if (testingSessions == 0) {
                verdict = modes.contains("enforce") ? "already enforced" : "not enough data";
                because.add(0, modes.contains("enforce") ? "the reports show mode: enforce already" : "no sessions under a policy in testing mode");
            } else {
                because.add(0, String.format(Locale.ROOT, "%,d of %,d sessions (%.2f%%) in testing mode failed in a way enforce"
                        + " would not deliver", wouldFail, testingSessions, 100.0 * wouldFail / testingSessions));
                long notBlocking = causes.containsKey("policy-fetch-error") ? causes.get("policy-fetch-error").sessions : 0;
                if (notBlocking > 0) {
                    because.add(String.format(Locale.ROOT, "%,d %s policy fetch errors: delivered under enforce too,"
                            + " without MTA-STS", notBlocking, notBlocking == 1 ? "session had" : "sessions had"));
                }
                if (!resolved.isEmpty()) {
                    because.add("resolved, not seen in the last " + resolvedAfterDays + " days of reports (up to " + lastDay + "): "
                            + String.join("; ", resolved));
                }
                if (days < minDays) {
                    verdict = "not enough data";
                    because.add(String.format(Locale.ROOT, "only %d %s of reports; %d needed", days, days == 1 ? "day" : "days", minDays));
                } else if (wouldFail > 0 || check != null && (!check.problems().isEmpty() || !check.unmatched().isEmpty())) {
                    verdict = "not safe";
                } else {
                    verdict = "safe";
                    because.add(Wording.count(days, "day") + " of reports from " + Wording.count(reporters.size(), "reporter"));
                }
            }
            return new TlsEnforcement(name, days, reporters, testingSessions, failedInTesting, wouldFail, List.copyOf(list),
                    verdict, List.copyOf(because), check, lastDay);
        }
    }
}
