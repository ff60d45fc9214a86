package org.dmarcq.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Writes synthetic SMTP TLS reports (RFC 8460) for {@code example.com} during an MTA-STS testing
 * period, as Google (RFC file names, gzip) and Microsoft (times without a zone, gzip) send them:
 * mostly clean days, a backup MX ({@code mx3}) that the policy's {@code mx:} lines forget, a few
 * days of an expired certificate on {@code mx2}, and a policy fetch error. Seeded: the same
 * arguments give the same reports.
 *
 * <pre>java -cp dmarcq-bench.jar org.dmarcq.bench.TlsCorpusGenerator DIR DAYS [SEED]</pre>
 */
public final class TlsCorpusGenerator {
    private static final long DAY = 86_400;
    private static final long START = 1_759_276_800L; // 2025-10-01T00:00:00Z
    private static final String POLICY = "\"policy-type\":\"sts\",\"policy-domain\":\"example.com\","
            + "\"policy-string\":[\"version: STSv1\",\"mode: testing\",\"mx: mx1.example.com\",\"mx: mx2.example.com\",\"max_age: 604800\"]";

    private TlsCorpusGenerator() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: TlsCorpusGenerator DIR DAYS [SEED]");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        int days = Integer.parseInt(args[1]);
        Random random = new Random(args.length > 2 ? Long.parseLong(args[2]) : 8460);
        for (int day = 0; day < days; day++) {
            long begin = START + day * DAY;
            write(dir.resolve("google.com!example.com!" + begin + "!" + (begin + DAY - 1) + "!001.json.gz"),
                    google(begin, day, random));
            write(dir.resolve("microsoft.com!example.com!" + begin + "!" + (begin + DAY - 1) + ".json.gz"),
                    microsoft(begin, day, random));
        }
        System.out.printf("%d TLS reports in %s%n", 2 * days, dir);
    }

    private static String google(long begin, int day, Random random) {
        List<Failure> failures = new ArrayList<>();
        if (day % 3 == 0) {
            failures.add(detail("certificate-host-mismatch", "209.85.220." + (40 + random.nextInt(10)), "mx3.example.com", "192.0.2.30",
                    1 + random.nextInt(4), null));
        }
        if (day >= 10 && day < 13) {
            failures.add(detail("certificate-expired", "209.85.220." + (40 + random.nextInt(10)), "mx2.example.com", "192.0.2.20",
                    20 + random.nextInt(30), null));
        }
        return report("Google Inc.", "smtp-tls-reporting@google.com", iso(begin) + "Z_example.com", iso(begin) + "Z",
                iso(begin + DAY - 1) + "Z", "[\"mx1.example.com\",\"mx2.example.com\"]", 1500 + random.nextInt(700), failures);
    }

    private static String microsoft(long begin, int day, Random random) {
        List<Failure> failures = new ArrayList<>();
        if (day == 5) {
            failures.add(detail("sts-policy-fetch-error", null, "mx1.example.com", null, 1, "bad https response code: 503"));
        }
        if (day >= 10 && day < 13) {
            failures.add(detail("certificate-expired", "40.107." + random.nextInt(256) + "." + (1 + random.nextInt(254)),
                    "mx2.example.com", "192.0.2.20", 5 + random.nextInt(10), null));
        }
        return report("Microsoft Corporation", "tlsrpt-noreply@microsoft.com", (133_944_884_956_529_435L + day) + "+example.com",
                iso(begin), iso(begin + DAY - 1), "\"*.example.com\"", 800 + random.nextInt(400), failures);
    }

    private static String report(String org, String contact, String id, String start, String end, String mx, long successful,
                                 List<Failure> failures) {
        long failed = failures.stream().mapToLong(Failure::sessions).sum();
        return String.format(Locale.ROOT, "{\"organization-name\":\"%s\",\"date-range\":{\"start-datetime\":\"%s\",\"end-datetime\":\"%s\"},"
                + "\"contact-info\":\"%s\",\"report-id\":\"%s\",\"policies\":[{\"policy\":{%s,\"mx-host\":%s},"
                + "\"summary\":{\"total-successful-session-count\":%d,\"total-failure-session-count\":%d}%s}]}\n",
                org, start, end, contact, id, POLICY, mx, successful, failed,
                failures.isEmpty() ? "" : ",\"failure-details\":[" + String.join(",", failures.stream().map(Failure::json).toList()) + "]");
    }

    private record Failure(String json, long sessions) {}

    private static Failure detail(String type, String sender, String mx, String ip, long sessions, String code) {
        StringBuilder sb = new StringBuilder("{\"result-type\":\"" + type + "\"");
        if (sender != null) {
            sb.append(",\"sending-mta-ip\":\"").append(sender).append('"');
        }
        sb.append(",\"receiving-mx-hostname\":\"").append(mx).append('"');
        if (ip != null) {
            sb.append(",\"receiving-ip\":\"").append(ip).append('"');
        }
        if (code != null) {
            sb.append(",\"failure-reason-code\":\"").append(code).append('"');
        }
        return new Failure(sb.append(",\"failed-session-count\":").append(sessions).append('}').toString(), sessions);
    }

    private static String iso(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond).toString().replace("Z", "");
    }

    private static void write(Path file, String json) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }
    }
}
