package org.dmarcq.analysis;

import java.util.ArrayList;
import java.util.List;

/** Builds small aggregate reports for scenario tests. */
final class Reports {
    private final String id;
    private final String domain;
    private final long begin;
    private final long end;
    private final boolean rfc9990;
    private final String policy;
    private final List<String> records = new ArrayList<>();

    private Reports(String id, String domain, long begin, long end, boolean rfc9990, String policy) {
        this.id = id;
        this.domain = domain;
        this.begin = begin;
        this.end = end;
        this.rfc9990 = rfc9990;
        this.policy = policy;
    }

    /** A one-day report (UTC day {@code day} of November 2025) in the RFC 7489 format, p=none. */
    static Reports day(String id, int day) {
        long begin = 1761955200L + (day - 1) * 86400L; // 2025-11-01T00:00:00Z
        return new Reports(id, "example.com", begin, begin + 86399, false, "none");
    }

    Reports days(int days) {
        return new Reports(id, domain, begin, begin + days * 86400L - 1, rfc9990, policy).with(records);
    }

    Reports rfc9990() {
        return new Reports(id, domain, begin, end, true, policy).with(records);
    }

    Reports policy(String p) {
        return new Reports(id, domain, begin, end, rfc9990, p).with(records);
    }

    private Reports with(List<String> more) {
        records.addAll(more);
        return this;
    }

    /**
     * A record. {@code dkim} is {@code d=:result;...} or null, {@code spf} {@code domain:result} or null,
     * {@code verdict} the receiver's {@code dkim/spf}, {@code extra} more {@code policy_evaluated} content.
     */
    Reports record(String ip, int count, String headerFrom, String dkim, String spf, String verdict, String disposition,
                   String extra) {
        StringBuilder auth = new StringBuilder();
        if (dkim != null) {
            for (String signature : dkim.split(";")) {
                String[] parts = signature.split(":");
                auth.append("<dkim><domain>").append(parts[0]).append("</domain><selector>s1</selector><result>")
                        .append(parts[1]).append("</result></dkim>");
            }
        }
        if (spf != null) {
            String[] parts = spf.split(":");
            auth.append("<spf><domain>").append(parts[0]).append("</domain><result>").append(parts[1]).append("</result></spf>");
        }
        String[] v = verdict.split("/");
        records.add("<record><row><source_ip>" + ip + "</source_ip><count>" + count + "</count><policy_evaluated><disposition>"
                + disposition + "</disposition><dkim>" + v[0] + "</dkim><spf>" + v[1] + "</spf>" + (extra == null ? "" : extra)
                + "</policy_evaluated></row><identifiers><header_from>" + headerFrom + "</header_from></identifiers><auth_results>"
                + auth + "</auth_results></record>");
        return this;
    }

    Reports record(String ip, int count, String headerFrom, String dkim, String spf, String verdict) {
        return record(ip, count, headerFrom, dkim, spf, verdict, "none", null);
    }

    /** A new store in {@code dir} holding the reports, each written to a file and ingested; no problem allowed. */
    static org.dmarcq.store.Store load(java.nio.file.Path dir, Reports... reports) throws java.io.IOException {
        org.dmarcq.store.Store store = org.dmarcq.store.Store.open(dir.resolve("reports.duckdb"));
        List<String> files = new ArrayList<>();
        for (Reports r : reports) {
            java.nio.file.Path file = dir.resolve("r" + files.size() + ".xml");
            java.nio.file.Files.writeString(file, r.xml());
            files.add(file.toString());
        }
        org.assertj.core.api.Assertions.assertThat(org.dmarcq.ingest.Ingest.into(store).run(files).problems()).isEmpty();
        return store;
    }

    String xml() {
        return (rfc9990 ? "<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\">" : "<feedback>")
                + "<report_metadata><org_name>" + (rfc9990 ? "bis.example" : "old.example") + "</org_name>"
                + "<email>r@receiver.example</email><report_id>" + id + "</report_id><date_range><begin>" + begin
                + "</begin><end>" + end + "</end></date_range></report_metadata><policy_published><domain>" + domain
                + "</domain><p>" + policy + "</p></policy_published>" + String.join("", records) + "</feedback>";
    }
}
