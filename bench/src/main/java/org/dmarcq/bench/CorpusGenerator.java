package org.dmarcq.bench;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes synthetic DMARC aggregate reports with a realistic mix: the big reporters with their own
 * layouts and containers (Google: zip, no namespace; Microsoft: gzip with xsi declarations;
 * Yahoo: gzip, no version; an RFC 9990 reporter: namespaced, plain XML), several policy domains,
 * and senders of every kind an admin meets (the own mail platform, ESPs signing with their own
 * domain, forwarders and mailing lists, spoofers, IPv6). Seeded: the same arguments give the
 * same corpus.
 *
 * <pre>java -cp dmarcq-bench.jar org.dmarcq.bench.CorpusGenerator DIR REPORTS [SEED [REPORTS_PER_DAY]]</pre>
 */
public final class CorpusGenerator {
    private static final long DAY = 86_400;
    private static final long START = 1_759_276_800L; // 2025-10-01T00:00:00Z

    enum Container { XML, GZIP, ZIP }

    record Reporter(String org, String email, Container container, boolean rfc9990, boolean msStyle) {}

    private static final List<Reporter> REPORTERS = List.of(
            new Reporter("google.com", "noreply-dmarc-support@google.com", Container.ZIP, false, false),
            new Reporter("Enterprise Outlook", "dmarcreport@microsoft.com", Container.GZIP, false, true),
            new Reporter("Yahoo", "dmarchelp@yahooinc.com", Container.GZIP, false, false),
            new Reporter("Mimecast", "dmarc-reports@mimecast.example", Container.XML, false, false),
            new Reporter("receiver.example", "dmarc@receiver.example", Container.XML, true, false));

    private static final String[] DOMAINS = {"example.com", "example.org", "shop.example.net"};

    /** A kind of sender: how it authenticates decides what the receiver reports. */
    enum Kind { OWN_PLATFORM, ESP_ALIGNED, ESP_UNALIGNED, FORWARDER, MAILING_LIST, SPOOFER }

    private final Random random;
    private final int reportsPerDay;

    CorpusGenerator(long seed, int reportsPerDay) {
        this.random = new Random(seed);
        this.reportsPerDay = reportsPerDay;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: CorpusGenerator DIR REPORTS [SEED [REPORTS_PER_DAY]]");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        int reports = Integer.parseInt(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
        int perDay = args.length > 3 ? Integer.parseInt(args[3]) : 40;
        long bytes = new CorpusGenerator(seed, perDay).writeCorpus(dir, reports, 1, 50);
        System.out.printf("%d reports, %.1f MB of XML, in %s%n", reports, bytes / 1e6, dir);
    }

    /** Writes {@code reports} files of {@code minRecords}..{@code maxRecords} records; returns the bytes of XML. */
    long writeCorpus(Path dir, int reports, int minRecords, int maxRecords) throws IOException {
        long xmlBytes = 0;
        for (int i = 0; i < reports; i++) {
            Reporter reporter = REPORTERS.get(random.nextInt(REPORTERS.size()));
            String domain = DOMAINS[random.nextInt(DOMAINS.length)];
            long begin = START + DAY * (i / reportsPerDay);
            int records = minRecords + random.nextInt(maxRecords - minRecords + 1);
            ByteArrayOutputStream xml = new ByteArrayOutputStream(records * 700 + 1024);
            try (Writer w = new OutputStreamWriter(xml, StandardCharsets.UTF_8)) {
                writeReport(w, reporter, domain, "bench-" + i, begin, records);
            }
            xmlBytes += xml.size();
            String base = reporter.org.replace(' ', '_') + "!" + domain + "!" + begin + "!" + (begin + DAY - 1) + "!" + i;
            switch (reporter.container) {
                case XML -> Files.write(dir.resolve(base + ".xml"), xml.toByteArray());
                case GZIP -> {
                    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(base + ".xml.gz")))) {
                        xml.writeTo(out);
                    }
                }
                case ZIP -> {
                    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(dir.resolve(base + ".zip")))) {
                        zip.putNextEntry(new ZipEntry(base + ".xml"));
                        xml.writeTo(zip);
                        zip.closeEntry();
                    }
                }
            }
        }
        return xmlBytes;
    }

    /** Writes one report of {@code records} records, streaming; returns nothing but what went into {@code out}. */
    void writeReport(Writer w, Reporter reporter, String domain, String id, long begin, long records) throws IOException {
        w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        if (reporter.rfc9990) {
            w.write("<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\">\n  <version>1.0</version>\n");
        } else if (reporter.msStyle) {
            w.write("<feedback xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
                    + "  <version>1.0</version>\n");
        } else {
            w.write("<feedback>\n");
        }
        w.write("  <report_metadata>\n    <org_name>" + reporter.org + "</org_name>\n    <email>" + reporter.email + "</email>\n"
                + "    <report_id>" + id + "</report_id>\n    <date_range>\n      <begin>" + begin + "</begin>\n      <end>"
                + (begin + DAY - 1) + "</end>\n    </date_range>\n");
        if (reporter.rfc9990) {
            w.write("    <generator>BenchMTA 1.0</generator>\n");
        }
        w.write("  </report_metadata>\n  <policy_published>\n    <domain>" + domain + "</domain>\n    <adkim>r</adkim>\n"
                + "    <aspf>r</aspf>\n    <p>none</p>\n    <sp>none</sp>\n");
        w.write(reporter.rfc9990 ? "    <testing>n</testing>\n" : "    <pct>100</pct>\n");
        w.write("  </policy_published>\n");
        StringBuilder sb = new StringBuilder(1024);
        for (long r = 0; r < records; r++) {
            sb.setLength(0);
            record(sb, domain, reporter);
            w.append(sb);
        }
        w.write("</feedback>\n");
    }

    private void record(StringBuilder sb, String domain, Reporter reporter) {
        Kind kind = kind();
        String ip = ip(kind);
        long count = kind == Kind.SPOOFER ? 1 + random.nextInt(3) : 1 + (long) Math.abs(random.nextGaussian() * 40);
        boolean dkimPass;
        boolean spfPass;
        String dkimDomain;
        String spfDomain;
        String spfResult;
        String reason = null;
        switch (kind) {
            case OWN_PLATFORM -> { dkimPass = true; spfPass = true; dkimDomain = domain; spfDomain = domain; spfResult = "pass"; }
            case ESP_ALIGNED -> { dkimPass = true; spfPass = false; dkimDomain = domain; spfDomain = "em1234.sendgrid.net"; spfResult = "pass"; }
            case ESP_UNALIGNED -> { dkimPass = false; spfPass = false; dkimDomain = "mailgun.org"; spfDomain = "bnc3.mailgun.org"; spfResult = "pass"; }
            case FORWARDER -> { dkimPass = true; spfPass = false; dkimDomain = domain; spfDomain = "forwarder.example.net"; spfResult = "softfail"; reason = "forwarded"; }
            case MAILING_LIST -> { dkimPass = false; spfPass = false; dkimDomain = domain; spfDomain = "lists.list-host.example"; spfResult = "pass"; reason = "mailing_list"; }
            default -> { dkimPass = false; spfPass = false; dkimDomain = null; spfDomain = domain; spfResult = random.nextBoolean() ? "fail" : "softfail"; }
        }
        sb.append("  <record>\n    <row>\n      <source_ip>").append(ip).append("</source_ip>\n      <count>").append(count)
                .append("</count>\n      <policy_evaluated>\n        <disposition>none</disposition>\n        <dkim>")
                .append(dkimPass ? "pass" : "fail").append("</dkim>\n        <spf>").append(spfPass ? "pass" : "fail").append("</spf>\n");
        if (reason != null && random.nextInt(3) == 0) {
            sb.append("        <reason>\n          <type>").append(reason).append("</type>\n        </reason>\n");
        }
        sb.append("      </policy_evaluated>\n    </row>\n    <identifiers>\n");
        if (reporter.msStyle) {
            sb.append("      <envelope_to>").append(random.nextBoolean() ? "contoso.com" : "fabrikam.com").append("</envelope_to>\n")
                    .append("      <envelope_from>").append(spfDomain).append("</envelope_from>\n");
        }
        sb.append("      <header_from>").append(domain).append("</header_from>\n    </identifiers>\n    <auth_results>\n");
        if (dkimDomain != null) {
            boolean signatureValid = kind != Kind.MAILING_LIST;
            sb.append("      <dkim>\n        <domain>").append(dkimDomain).append("</domain>\n        <selector>")
                    .append(kind == Kind.OWN_PLATFORM ? "google" : "s1").append("</selector>\n        <result>")
                    .append(signatureValid ? "pass" : "fail").append("</result>\n      </dkim>\n");
        }
        sb.append("      <spf>\n        <domain>").append(spfDomain).append("</domain>\n");
        if (!reporter.rfc9990) {
            sb.append("        <scope>mfrom</scope>\n");
        }
        sb.append("        <result>").append(spfResult).append("</result>\n      </spf>\n    </auth_results>\n  </record>\n");
    }

    private Kind kind() {
        int p = random.nextInt(100);
        if (p < 55) {
            return Kind.OWN_PLATFORM;
        }
        if (p < 70) {
            return Kind.ESP_ALIGNED;
        }
        if (p < 78) {
            return Kind.ESP_UNALIGNED;
        }
        if (p < 86) {
            return Kind.FORWARDER;
        }
        if (p < 90) {
            return Kind.MAILING_LIST;
        }
        return Kind.SPOOFER;
    }

    /** Real senders use a handful of addresses each; spoofers come from anywhere. */
    private String ip(Kind kind) {
        return switch (kind) {
            case OWN_PLATFORM -> random.nextInt(10) == 0 ? "2607:f8b0:4864:20::" + Integer.toHexString(0x10 + random.nextInt(6))
                    : "209.85.220." + (40 + random.nextInt(12));
            case ESP_ALIGNED -> "167.89." + (random.nextBoolean() ? "115." : "118.") + (50 + random.nextInt(5));
            case ESP_UNALIGNED -> "161.38.200." + (10 + random.nextInt(4));
            case FORWARDER -> "198.51.100." + (20 + random.nextInt(6));
            case MAILING_LIST -> "198.51.100." + (200 + random.nextInt(2));
            case SPOOFER -> random.nextInt(4) == 0 ? "203.0.113." + (1 + random.nextInt(254))
                    : "198." + (18 + random.nextInt(2)) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
        };
    }

    /** Writes one report with {@code records} records as plain XML; returns its size in bytes. */
    long writeLargeReport(Path file, long records) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            writeReport(w, REPORTERS.get(0), "example.com", "bench-large", START, records);
        }
        return Files.size(file);
    }
}
