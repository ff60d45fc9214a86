package org.dmarcq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands beside each other on one database, each in a JVM of its own as cron and a person would
 * run them: an ingest stores while a shell is open, the shell then sees what it stored, and when a
 * writing shell holds the file the ingest says who holds it, in one line.
 */
class CoexistenceTest {
    private static final long TIMEOUT_SECONDS = 120;

    @TempDir Path temp;

    private Path db() {
        return temp.resolve("c.duckdb");
    }

    @Test
    void anIngestStoresWhileAShellIsOpenAndTheShellSeesIt() throws Exception {
        assertThat(run("ingest", "--db", db().toString(), "testdata/reports/google.xml").exit).isZero();
        Process shell = start("shell", "--db", db().toString());
        try {
            Finished ingest = run("ingest", "--db", db().toString(), "testdata/reports/microsoft.xml");
            assertThat(ingest.exit).as(ingest.err).isZero();
            assertThat(ingest.out).contains("reports new                   1");
            try (OutputStream in = shell.getOutputStream()) {
                in.write(".mode csv\nSELECT count(*) AS reports FROM reports;\n".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(shell.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("reports\n2\n");
            assertThat(shell.exitValue()).isZero();
        } finally {
            shell.destroyForcibly();
        }
    }

    @Test
    void aWritingShellMakesTheIngestWaitThenSayWhoHoldsTheFile() throws Exception {
        assertThat(run("ingest", "--db", db().toString(), "testdata/reports/google.xml").exit).isZero();
        Process shell = start("shell", "--write", "--db", db().toString());
        try {
            awaitHolding(shell);
            Finished ingest = run("ingest", "--db", db().toString(), "--wait", "1", "--format", "json",
                    "testdata/reports/microsoft.xml");
            assertThat(ingest.exit).isEqualTo(1);
            assertThat(ingest.err.lines()).anySatisfy(line -> assertThat(line)
                    .matches("dmarcq: .*c\\.duckdb: in use by another dmarcq \\(PID \\d+: dmarcq shell --write\\) and was not free"
                            + " within 1 second; try again when it ends, or give it longer with --wait SECONDS"));
            shell.getOutputStream().close();
            assertThat(shell.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        } finally {
            shell.destroyForcibly();
        }
        Finished again = run("ingest", "--db", db().toString(), "testdata/reports/microsoft.xml");
        assertThat(again.exit).as(again.err).isZero();
        assertThat(again.out).contains("reports new                   1");
    }

    @Test
    void twoIngestsOfTheSameFilesAtOnceStoreEachReportOnce() throws Exception {
        Path rua = Files.createDirectory(temp.resolve("rua"));
        int reports = 300;
        for (int i = 0; i < reports; i++) {
            Files.writeString(rua.resolve(String.format("r%03d.xml", i)), HostileInputs.report("same-" + i, 40));
        }
        List<Process> both = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path out = temp.resolve("both-" + i + ".json");
            outputs.add(out);
            both.add(new ProcessBuilder(command("ingest", "--format", "json", "--db", db().toString(), rua.toString()))
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start());
        }
        int stored = 0;
        int duplicates = 0;
        for (int i = 0; i < 2; i++) {
            assertThat(both.get(i).waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(both.get(i).exitValue()).isZero();
            var summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(outputs.get(i).toFile());
            stored += summary.get("reports").asInt();
            duplicates += summary.get("duplicates").asInt();
        }
        assertThat(stored).as("new, over both").isEqualTo(reports);
        assertThat(duplicates).as("duplicates, over both").isEqualTo(reports);
        Finished count = run("sql", "--format", "csv", "--db", db().toString(),
                "SELECT count(*) AS reports, count(DISTINCT dedupe_key) AS distinct_reports,"
                        + " sum(record_count) = (SELECT count(*) FROM records) AS records_whole,"
                        + " (SELECT count(*) FROM records) = (SELECT count(*) FROM record_verdicts) AS verdicts_whole FROM reports");
        assertThat(count.out).isEqualTo("reports,distinct_reports,records_whole,verdicts_whole\n"
                + reports + "," + reports + ",true,true\n");
    }

    /** Waits until the child process has the database file open (Linux: its /proc/PID/fd). */
    private void awaitHolding(Process p) throws Exception {
        Path fds = Path.of("/proc", String.valueOf(p.pid()), "fd");
        Path file = db().toRealPath();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            assertThat(p.isAlive()).as("the shell is running").isTrue();
            try (var links = Files.list(fds)) {
                if (links.anyMatch(l -> {
                    try {
                        return Files.readSymbolicLink(l).equals(file);
                    } catch (IOException e) {
                        return false; // closed meanwhile
                    }
                })) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the shell never opened " + file);
    }

    private record Finished(int exit, String out, String err) {}

    private Finished run(String... args) throws Exception {
        Path out = Files.createTempFile(temp, "out", ".txt");
        Path err = Files.createTempFile(temp, "err", ".txt");
        Process p = new ProcessBuilder(command(args)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("dmarcq did not end within " + TIMEOUT_SECONDS + " s");
        }
        return new Finished(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Process start(String... args) throws IOException {
        return new ProcessBuilder(command(args)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
