package org.dmarcq.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * A month of rua reports for one popular domain, at a chosen size: {@code RECORDS} records from
 * {@code ADDRESSES} distinct source addresses over 30 days, most addresses forgers, as a domain
 * that forgers like sees them. Beside the forgers (one-off botnet addresses, a few low-volume
 * forgers on many days, forgers through a shared ESP account), the systems an admin meets: the own
 * Google Workspace and Microsoft 365 (aligned), an ESP with custom DKIM (aligned), two ESPs without
 * it, an on-premises ERP that sends invoices twice a month without SPF or DKIM, an own relay whose
 * DKIM key is wrong, forwarders and a mailing list. Seeded: the same arguments give the same month.
 *
 * <pre>java -cp dmarcq-bench.jar org.dmarcq.bench.MonthGenerator DIR [RECORDS [ADDRESSES [SEED]]]</pre>
 */
public final class MonthGenerator {
    private static final long DAY = 86_400;
    private static final long START = 1_761_955_200L; // 2025-11-01T00:00:00Z
    private static final int DAYS = 30;
    private static final String DOMAIN = "example.com";

    /** Receivers: name, e-mail, RFC 9990 format, share of the mail they see. */
    private record Reporter(String org, String email, boolean rfc9990, double share) {}

    private static final List<Reporter> REPORTERS = List.of(
            new Reporter("google.com", "noreply-dmarc-support@google.com", false, 0.45),
            new Reporter("Enterprise Outlook", "dmarcreport@microsoft.com", false, 0.25),
            new Reporter("Yahoo", "dmarchelp@yahooinc.com", false, 0.12),
            new Reporter("Mimecast", "dmarc-reports@mimecast.example", false, 0.08),
            new Reporter("receiver.example", "dmarc@receiver.example", true, 0.10));

    /** How a system authenticates; null where it shows nothing. */
    private record Auth(String dkimDomain, String dkimSelector, boolean dkimPass, String spfDomain, String spfResult,
                        String override) {}

    /** A system sending as the domain: its addresses, when it sends, how much, how it authenticates. */
    private record System(String name, List<String> ips, int[] days, int perDay, Auth auth) {}

    private final Random random;
    private final long records;
    private final int addresses;

    MonthGenerator(long records, int addresses, long seed) {
        this.records = records;
        this.addresses = addresses;
        this.random = new Random(seed);
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        long records = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        int addresses = args.length > 2 ? Integer.parseInt(args[2]) : 50_000;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 11;
        long written = new MonthGenerator(records, addresses, seed).write(dir);
        java.lang.System.out.printf(Locale.ROOT, "records=%d addresses=%d reports=%d dir=%s%n", written, addresses,
                DAYS * REPORTERS.size(), dir);
    }

    private List<System> systems() {
        List<System> systems = new ArrayList<>();
        int[] everyDay = new int[DAYS];
        for (int d = 0; d < DAYS; d++) {
            everyDay[d] = d;
        }
        systems.add(new System("own Google Workspace", range("209.85.220.", 40, 24), everyDay, 2_000,
                new Auth(DOMAIN, "google", true, DOMAIN, "pass", null)));
        systems.add(new System("own Microsoft 365", range("40.107.22.", 10, 30), everyDay, 1_500,
                new Auth(DOMAIN, "selector1", true, DOMAIN, "pass", null)));
        systems.add(new System("SendGrid, custom DKIM", range("167.89.115.", 50, 6), everyDay, 600,
                new Auth(DOMAIN, "s1", true, "em1234.example.com", "pass", null)));
        systems.add(new System("Mailgun, no custom DKIM", range("161.38.200.", 10, 4), everyDay, 150,
                new Auth("mailgun.org", "s1", true, "bnc3.mailgun.org", "pass", null)));
        systems.add(new System("Mailchimp, no custom DKIM", range("205.201.131.", 20, 3), new int[] {2, 9, 16, 23}, 900,
                new Auth("mcsv.net", "k1", true, "mail20.mcsv.net", "pass", null)));
        systems.add(new System("on-premises ERP, invoices", List.of("192.0.2.25"), new int[] {0, 1, 14, 15}, 350,
                new Auth(null, null, false, DOMAIN, "softfail", null)));
        systems.add(new System("own relay, wrong DKIM key", List.of("198.51.100.7"), everyDay, 80,
                new Auth(DOMAIN, "relay", false, DOMAIN, "fail", null)));
        systems.add(new System("forwarders", range("198.51.100.", 20, 6), everyDay, 40,
                new Auth(DOMAIN, "google", true, "forwarder.example.net", "softfail", "forwarded")));
        systems.add(new System("mailing list", range("198.51.100.", 200, 2), everyDay, 60,
                new Auth(DOMAIN, "google", false, "lists.list-host.example", "pass", "mailing_list")));
        systems.add(new System("low-volume forgers", range("203.0.113.", 50, 3), new int[] {1, 4, 8, 11, 15, 19, 22, 27}, 3,
                new Auth(null, null, false, DOMAIN, "fail", null)));
        systems.add(new System("forgers through a SendGrid account", range("167.89.118.", 60, 2), new int[] {5, 6, 20}, 25,
                new Auth("sendgrid.net", "s1", true, "sendgrid.net", "pass", null)));
        return systems;
    }

    private static List<String> range(String prefix, int first, int count) {
        List<String> ips = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ips.add(prefix + (first + i));
        }
        return ips;
    }

    /** Writes the month, one gzipped report per receiver and day; returns the records written. */
    long write(Path dir) throws IOException {
        List<System> systems = systems();
        int known = systems.stream().mapToInt(s -> s.ips().size()).sum();
        int forgers = Math.max(0, addresses - known);
        long perSlot = 40;
        // Forgers: each address in some reports (a message or three each), as many as the records left need.
        long systemRecords = 0;
        for (System s : systems) {
            long messages = 0;
            for (Reporter reporter : REPORTERS) {
                messages += Math.min(perSlot, Math.max(1, Math.round(s.perDay() * reporter.share() / s.ips().size())));
            }
            systemRecords += messages * s.days().length * s.ips().size();
        }
        long forgerRecords = Math.max(forgers, records - systemRecords);
        int slots = DAYS * REPORTERS.size();
        List<List<Integer>> forgersBySlot = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            forgersBySlot.add(new ArrayList<>());
        }
        double mean = (double) forgerRecords / Math.max(1, forgers);
        for (int f = 0; f < forgers; f++) {
            // most appear once or twice, some persist: a skewed spread with the mean needed
            int appearances = (int) Math.max(1, Math.min(slots, Math.round(-Math.log(1 - random.nextDouble()) * mean)));
            int first = random.nextInt(slots);
            for (int i = 0; i < appearances; i++) {
                forgersBySlot.get((first + i * 37) % slots).add(f);
            }
        }
        long written = 0;
        for (int day = 0; day < DAYS; day++) {
            for (int r = 0; r < REPORTERS.size(); r++) {
                Reporter reporter = REPORTERS.get(r);
                long begin = START + day * DAY;
                Path file = dir.resolve(String.format(Locale.ROOT, "%s!%s!%d!%d.xml.gz", reporter.org().replace(' ', '_'), DOMAIN,
                        begin, begin + DAY - 1));
                try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16);
                     Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                    header(w, reporter, "month-" + day + "-" + r, begin);
                    for (System s : systems) {
                        if (!sends(s, day)) {
                            continue;
                        }
                        for (String ip : s.ips()) {
                            long messages = Math.max(1, Math.round(s.perDay() * reporter.share() / s.ips().size()));
                            long n = Math.min(perSlot, messages); // records, as receivers split one address's mail
                            for (long k = 0; k < n; k++) {
                                record(w, ip, messages / n + (k < messages % n ? 1 : 0), s.auth(), reporter);
                                written++;
                            }
                        }
                    }
                    for (int f : forgersBySlot.get(day * REPORTERS.size() + r)) {
                        record(w, forger(f), 1 + random.nextInt(3), new Auth(null, null, false, DOMAIN,
                                random.nextBoolean() ? "fail" : "softfail", null), reporter);
                        written++;
                    }
                    w.write("</feedback>\n");
                }
            }
        }
        return written;
    }

    private static boolean sends(System s, int day) {
        for (int d : s.days()) {
            if (d == day) {
                return true;
            }
        }
        return false;
    }

    /** The f-th forger's address: spread over 198.18.0.0/15 and, for a tenth, IPv6. */
    private static String forger(int f) {
        if (f % 10 == 9) {
            return String.format(Locale.ROOT, "2001:db8:%x:%x::1", f >> 16, f & 0xffff);
        }
        return "198." + (18 + (f >> 16 & 1)) + "." + (f >> 8 & 255) + "." + (f & 255);
    }

    private static void header(Writer w, Reporter reporter, String id, long begin) throws IOException {
        w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        w.write(reporter.rfc9990() ? "<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\">\n" : "<feedback>\n");
        w.write("  <report_metadata>\n    <org_name>" + reporter.org() + "</org_name>\n    <email>" + reporter.email()
                + "</email>\n    <report_id>" + id + "</report_id>\n    <date_range>\n      <begin>" + begin + "</begin>\n"
                + "      <end>" + (begin + DAY - 1) + "</end>\n    </date_range>\n  </report_metadata>\n");
        w.write("  <policy_published>\n    <domain>" + DOMAIN + "</domain>\n    <adkim>r</adkim>\n    <aspf>r</aspf>\n"
                + "    <p>none</p>\n    <sp>none</sp>\n" + (reporter.rfc9990() ? "    <testing>n</testing>\n" : "    <pct>100</pct>\n")
                + "  </policy_published>\n");
    }

    private static void record(Writer w, String ip, long count, Auth a, Reporter reporter) throws IOException {
        boolean dkimAligned = a.dkimPass() && DOMAIN.equals(a.dkimDomain());
        boolean spfAligned = "pass".equals(a.spfResult()) && a.spfDomain() != null && (a.spfDomain().equals(DOMAIN)
                || a.spfDomain().endsWith("." + DOMAIN));
        StringBuilder sb = new StringBuilder(700);
        sb.append("  <record>\n    <row>\n      <source_ip>").append(ip).append("</source_ip>\n      <count>").append(count)
                .append("</count>\n      <policy_evaluated>\n        <disposition>none</disposition>\n        <dkim>")
                .append(dkimAligned ? "pass" : "fail").append("</dkim>\n        <spf>").append(spfAligned ? "pass" : "fail")
                .append("</spf>\n");
        if (a.override() != null) {
            sb.append("        <reason>\n          <type>").append(a.override()).append("</type>\n        </reason>\n");
        }
        sb.append("      </policy_evaluated>\n    </row>\n    <identifiers>\n      <header_from>").append(DOMAIN)
                .append("</header_from>\n    </identifiers>\n    <auth_results>\n");
        if (a.dkimDomain() != null) {
            sb.append("      <dkim>\n        <domain>").append(a.dkimDomain()).append("</domain>\n        <selector>")
                    .append(a.dkimSelector()).append("</selector>\n        <result>").append(a.dkimPass() ? "pass" : "fail")
                    .append("</result>\n      </dkim>\n");
        }
        sb.append("      <spf>\n        <domain>").append(a.spfDomain()).append("</domain>\n");
        if (!reporter.rfc9990()) {
            sb.append("        <scope>mfrom</scope>\n");
        }
        sb.append("        <result>").append(a.spfResult()).append("</result>\n      </spf>\n    </auth_results>\n  </record>\n");
        w.append(sb);
    }
}
