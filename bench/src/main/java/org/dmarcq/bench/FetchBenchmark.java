package org.dmarcq.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dmarcq.fetch.Fetch;
import org.dmarcq.fetch.FetchListener;
import org.dmarcq.fetch.FetchSummary;
import org.dmarcq.fetch.ImapMailbox;
import org.dmarcq.fetch.Mailbox;
import org.dmarcq.fetch.MailboxUrl;
import org.dmarcq.fetch.ImapServer;
import org.dmarcq.ingest.IngestOptions;
import org.dmarcq.rules.PublicSuffixList;
import org.dmarcq.store.Wait;

/**
 * A first fetch of a large mailbox: the IMAP server (GreenMail, the tests' one) runs in its own JVM
 * with N messages of one report each; in this JVM, the bare download of every message in batches
 * (the same pipelined FETCH, nothing parsed: the ceiling the server sets), then dmarcq's fetch with
 * --leave and with --archive into new databases. Prints one line of key=value results.
 *
 * <pre>
 * FetchBenchmark run N WORKDIR     the whole benchmark
 * FetchBenchmark serve N           the server (used by run): prints "port=P ca=FILE", serves until stdin ends
 * </pre>
 */
public final class FetchBenchmark {
    /** Messages per batch, for the bare download and for dmarcq: dmarcq fetch's default. */
    static final int BATCH = Integer.getInteger("batch", 500);

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "serve" -> serve(Integer.parseInt(args[1]));
            case "run" -> run(Integer.parseInt(args[1]), Path.of(args[2]));
            default -> throw new IllegalArgumentException("unknown step " + args[0]);
        }
    }

    private static void serve(int messages) throws Exception {
        try (ImapServer server = new ImapServer()) {
            server.deliverReports("INBOX", "bench", messages);
            System.out.println("port=" + server.imapsPort() + " ca=" + ImapServer.CA);
            System.out.flush();
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    private static void run(int messages, Path work) throws Exception {
        Files.createDirectories(work);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"), FetchBenchmark.class.getName(),
                "serve", String.valueOf(messages)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("port=")) {
                throw new IllegalStateException("the IMAP server did not start: " + line);
            }
            int port = Integer.parseInt(line.replaceAll("port=(\\d+) .*", "$1"));
            Path ca = Path.of(line.replaceAll(".* ca=", ""));
            ImapMailbox.Settings settings = new ImapMailbox.Settings(
                    MailboxUrl.parse("imaps://rua%40example.com@localhost:" + port + "/INBOX"), ImapMailbox.Login.PASSWORD,
                    () -> ImapServer.PASSWORD, ca, false, Duration.ofSeconds(120));

            long start = System.nanoTime();
            long bytes = 0;
            try (Mailbox mailbox = ImapMailbox.connect(settings)) {
                mailbox.select("INBOX", false);
                List<Long> uids = mailbox.uidsAfter(0, null);
                mailbox.envelopes(uids);
                for (int i = 0; i < uids.size(); i += BATCH) {
                    for (Mailbox.Content c : mailbox.contents(new ArrayList<>(uids.subList(i, Math.min(uids.size(), i + BATCH))))) {
                        bytes += c.bytes().length;
                    }
                }
            }
            double download = (System.nanoTime() - start) / 1e9;

            double leave = fetch(settings, work.resolve("leave.duckdb"), Fetch.After.LEAVE, messages);
            double archive = fetch(settings, work.resolve("archive.duckdb"), Fetch.After.ARCHIVE, messages);
            System.out.printf(Locale.ROOT, "messages=%d mbytes=%.1f download_seconds=%.2f leave_seconds=%.2f archive_seconds=%.2f"
                    + " leave_per_second=%.0f archive_per_second=%.0f%n", messages, bytes / 1e6, download, leave, archive,
                    messages / leave, messages / archive);
        } finally {
            server.getOutputStream().close();
            server.waitFor();
        }
    }

    private static double fetch(ImapMailbox.Settings settings, Path db, Fetch.After after, int messages) throws Exception {
        Files.deleteIfExists(db);
        long start = System.nanoTime();
        FetchSummary s = new Fetch(() -> ImapMailbox.connect(settings), db, Wait.NONE, PublicSuffixList.bundled(),
                new Fetch.Options(after, after == Fetch.After.ARCHIVE ? "Archive" : null, BATCH, null, false, IngestOptions.defaults()),
                FetchListener.NONE).once(List.of("INBOX"));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (s.reports() != messages) {
            throw new IllegalStateException(after + ": stored " + s.reports() + " reports of " + messages + ": " + s.problems());
        }
        return seconds;
    }
}
