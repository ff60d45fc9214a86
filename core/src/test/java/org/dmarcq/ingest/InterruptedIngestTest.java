package org.dmarcq.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dmarcq.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills an ingesting process (SIGKILL, no shutdown hooks) in the middle of a batch, then checks
 * that every stored report is whole and that running the same ingest again completes the job.
 */
class InterruptedIngestTest {
    private static final int FILES = 300;
    private static final int RECORDS = 40;

    @TempDir Path temp;

    @Test
    void killedMidBatchLeavesWholeReportsAndARerunCompletes() throws Exception {
        Path corpus = Files.createDirectory(temp.resolve("corpus"));
        for (int i = 0; i < FILES; i++) {
            Files.writeString(corpus.resolve(String.format("r%04d.xml", i)), report(i));
        }
        Path db = temp.resolve("killed.duckdb");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Child.class.getName(),
                db.toString(), corpus.toString()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            int done = 0;
            for (String line; done < FILES / 3 && (line = out.readLine()) != null; ) {
                if (line.startsWith("done ")) {
                    done++;
                }
            }
            assertThat(done).as("files the child finished before the kill").isEqualTo(FILES / 3);
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        long stored;
        try (Store store = Store.open(db)) {
            stored = number(store, "SELECT count(*) FROM reports");
            assertThat(stored).as("reports committed before the kill").isBetween(1L, FILES - 1L);
            assertThat(number(store, "SELECT count(*) FROM reports r WHERE record_count <> "
                    + "(SELECT count(*) FROM records c WHERE c.report_key = r.report_key)")).as("partial reports").isZero();
            assertThat(number(store, "SELECT count(*) FROM records WHERE report_key NOT IN (SELECT report_key FROM reports)"))
                    .as("orphan records").isZero();
            assertThat(number(store, "SELECT count(*) FROM spf_results WHERE record_key NOT IN (SELECT record_key FROM records)"))
                    .as("orphan SPF results").isZero();

            IngestSummary rerun = Ingest.into(store).run(List.of(corpus.toString()));
            assertThat(rerun.duplicates()).isEqualTo(stored);
            assertThat(rerun.reports()).isEqualTo(FILES - stored);
            assertThat(number(store, "SELECT count(*) FROM reports")).isEqualTo(FILES);
            assertThat(number(store, "SELECT sum(count) FROM records")).isEqualTo((long) FILES * RECORDS * 2);
        }
    }

    /** The process that gets killed: ingests with a commit after every file and says when each is done. */
    public static final class Child {
        public static void main(String[] args) {
            try (Store store = Store.open(Path.of(args[0]))) {
                Ingest.into(store)
                        .options(IngestOptions.defaults().withCommitInterval(Duration.ZERO))
                        .listener(new IngestListener() {
                            @Override
                            public void fileDone(FileOutcome outcome) {
                                System.out.println("done " + outcome.file());
                                System.out.flush();
                            }
                        })
                        .run(List.of(args[1]));
            }
        }
    }

    private static String report(int n) {
        StringBuilder sb = new StringBuilder("<feedback><report_metadata><org_name>Kill Test</org_name><email>a@kill.example</email>")
                .append("<report_id>kill-").append(n).append("</report_id><date_range><begin>1762387200</begin><end>1762473600</end>")
                .append("</date_range></report_metadata><policy_published><domain>example.com</domain><p>none</p></policy_published>");
        for (int i = 0; i < RECORDS; i++) {
            sb.append("<record><row><source_ip>198.51.100.").append(i).append("</source_ip><count>2</count><policy_evaluated>")
                    .append("<disposition>none</disposition><dkim>pass</dkim><spf>fail</spf></policy_evaluated></row>")
                    .append("<identifiers><header_from>example.com</header_from></identifiers><auth_results><spf>")
                    .append("<domain>example.com</domain><result>fail</result></spf></auth_results></record>");
        }
        return sb.append("</feedback>").toString();
    }

    private static long number(Store store, String sql) throws Exception {
        try (Statement s = store.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
