package org.dmarcq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.dmarcq.fetch.ImapServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dmarcq fetch} against a real IMAP server (GreenMail) started by the test. */
class FetchCommandTest extends CommandTest {
    @TempDir Path temp;
    ImapServer server;
    Path db;
    Path password;

    @BeforeEach
    void start() throws Exception {
        server = new ImapServer();
        db = temp.resolve("fetch.duckdb");
        password = temp.resolve("password");
        Files.writeString(password, ImapServer.PASSWORD + "\n");
        Files.setPosixFilePermissions(password, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String url(String folder) {
        return server.url(folder);
    }

    @Test
    void fetchArchivesAndSummarisesAsJsonAndTheBrokenMessageCostsOneLine() throws Exception {
        server.fill("INBOX");
        int status = run("fetch", url("INBOX"), "--password-file", password.toString(), "--ca-file", ImapServer.CA.toString(),
                "--archive", "Reports", "--db", db.toString(), "--format", "json");
        assertThat(status).as(err.toString()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.fieldNames()).toIterable().contains("folders", "messages_read", "messages_stored", "messages_duplicate",
                "messages_invalid", "reports", "duplicates", "records", "messages", "tls_reports", "tls_sessions", "errors");
        assertThat(json.get("messages_read").asInt()).isEqualTo(7);
        assertThat(json.get("messages_invalid").asInt()).isEqualTo(1);
        assertThat(json.get("reports").asInt()).isEqualTo(7);
        assertThat(json.get("tls_reports").asInt()).isEqualTo(1);
        assertThat(err.toString().lines().filter(l -> !l.contains("warning:"))).singleElement().asString()
                .startsWith("INBOX UID 7 \"broken\"");
        assertThat(server.subjects("Reports.Invalid")).containsExactly("broken");
        assertThat(server.subjects("INBOX")).isEmpty();

        assertThat(run("fetch", url("INBOX"), "--password-file", password.toString(), "--ca-file", ImapServer.CA.toString(),
                "--archive", "Reports", "--db", db.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("messages read +0");
    }

    @Test
    void aMessageInvalidUnderOneLimitIsReadAgainWithRetryInvalid() throws Exception {
        server.deliverAttachments("INBOX", "big", ImapServer.REPORTS.resolve("google.xml"));
        assertThat(run("fetch", url("INBOX"), "--password-file", password.toString(), "--ca-file", ImapServer.CA.toString(),
                "--archive", "Reports", "--max-size", "1k", "--db", db.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("INBOX UID 1 \"big\"").contains("more than the limit of 1024 (--max-size); not read");
        assertThat(server.subjects("Reports.Invalid")).containsExactly("big");
        assertThat(run("fetch", url("INBOX"), "--password-file", password.toString(), "--ca-file", ImapServer.CA.toString(),
                "--archive", "Reports", "--retry-invalid", "--db", db.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("reports new +1");
        assertThat(server.subjects("Reports.Invalid")).isEmpty();
        assertThat(server.subjects("Reports.Aggregate")).containsExactly("big");
    }

    @Test
    void anOauth2TokenCommandLogsInAndAnExpiredTokenIsOneLineAndExitTwo() throws Exception {
        server.fill("INBOX");
        assertThat(run("fetch", url("INBOX"), "--oauth2-token-command", "printf '%s\\n' " + ImapServer.PASSWORD, "--ca-file",
                ImapServer.CA.toString(), "--leave", "--db", db.toString())).isEqualTo(1);
        assertThat(out.toString()).containsPattern("messages read +7");
        Path other = temp.resolve("other.duckdb");
        assertThat(run("fetch", url("INBOX"), "--oauth2-token-command", "echo expired-token", "--ca-file", ImapServer.CA.toString(),
                "--db", other.toString())).isEqualTo(2);
        assertThat(err.toString().strip()).doesNotContain("\n").contains("refused").contains("token").doesNotContain("Exception");
        assertThat(other).doesNotExist();
        assertThat(run("fetch", url("INBOX"), "--oauth2-token-command", "echo no token >&2; exit 3", "--ca-file",
                ImapServer.CA.toString(), "--db", other.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--oauth2-token-command: exited with status 3: no token");
    }

    @Test
    void badSettingsAreEachOneLineExitTwoAndStoreNothing() throws Exception {
        server.fill("INBOX");
        Path wrong = temp.resolve("wrong");
        Files.writeString(wrong, "not-the-password\n");
        Files.setPosixFilePermissions(wrong, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        String ca = ImapServer.CA.toString();
        String[][] cases = {
                {"login as rua@example.com refused", url("INBOX"), "--password-file", wrong.toString(), "--ca-file", ca},
                {"no such folder", url("Nowhere"), "--password-file", password.toString(), "--ca-file", ca},
                {"not trusted", url("INBOX"), "--password-file", password.toString()},
                {"does not name 127.0.0.1", url("INBOX").replace("@localhost:", "@127.0.0.1:"), "--password-file", password.toString(),
                        "--ca-file", ca},
                {"offers no STARTTLS", "imap://rua%40example.com@localhost:" + server.imapPort() + "/INBOX", "--password-file",
                        password.toString()},
        };
        for (String[] c : cases) {
            String[] args = new String[c.length + 2];
            args[0] = "fetch";
            System.arraycopy(c, 1, args, 1, c.length - 1);
            args[c.length] = "--db";
            args[c.length + 1] = db.toString();
            assertThat(run(args)).as(c[0] + ": " + err).isEqualTo(2);
            assertThat(err.toString().strip()).as(c[0]).contains(c[0]).doesNotContain("\n").doesNotContain("Exception");
            assertThat(db).as(c[0]).doesNotExist();
        }
        assertThat(run("fetch", "imap://rua%40example.com@localhost:" + server.imapsPort() + "/INBOX", "--password-file",
                password.toString(), "--timeout", "2", "--db", db.toString())).isEqualTo(2);
        assertThat(err.toString()).as("imap:// to a TLS port").contains("no IMAP greeting within 2 s: is it an imaps:// port");
        assertThat(db).doesNotExist();
        assertThat(run("fetch", "imap://rua%40example.com@localhost:" + server.imapPort() + "/INBOX", "--password-file",
                password.toString(), "--insecure-no-tls", "--leave", "--db", db.toString())).isEqualTo(1);
        assertThat(out.toString()).containsPattern("messages read +7");
    }

    @Test
    void severalFoldersAndSinceChooseWhatIsRead() throws Exception {
        server.deliverAttachments("INBOX", java.util.Date.from(java.time.Instant.parse("2026-01-10T12:00:00Z")), "old",
                ImapServer.REPORTS.resolve("google.xml"));
        server.deliverAttachments("INBOX", "new", ImapServer.REPORTS.resolve("yahoo.xml"));
        server.deliverAttachments("TLS", "tls", ImapServer.TLS.resolve("rfc8460-example.json"));
        assertThat(run("fetch", url("INBOX"), "--folder", "TLS", "--since", "2026-06-01", "--password-file", password.toString(),
                "--ca-file", ImapServer.CA.toString(), "--db", db.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("folders read +2").containsPattern("messages read +2")
                .containsPattern("reports new +1").containsPattern("TLS reports new +1");
        assertThat(run("fetch", url("INBOX"), "--password-file", password.toString(), "--ca-file", ImapServer.CA.toString(),
                "--db", db.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).as("the checkpoint is past the old message: --since chose, the checkpoint keeps")
                .containsPattern("messages read +0");
    }

    @Test
    void aPasswordFileOthersCanReadIsWarnedAbout() throws Exception {
        Files.setPosixFilePermissions(password, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(run("fetch", url("INBOX"), "--password-file", password.toString(), "--ca-file", ImapServer.CA.toString(),
                "--db", db.toString())).as(err.toString()).isZero();
        assertThat(err.toString()).contains("can be read by every user of this machine (chmod 600 it)");
    }

    @Test
    void aConfigFileAndTheEnvironmentGiveTheOptions() throws Exception {
        server.fill("INBOX");
        Path config = temp.resolve("fetch.yaml");
        Files.writeString(config, "url: " + url("INBOX") + "\npassword-file: " + password + "\nca-file: " + ImapServer.CA
                + "\nmark-seen: true\nbatch: 2\n");
        assertThat(run("fetch", "--config", config.toString(), "--db", db.toString())).as(err.toString()).isEqualTo(1);
        assertThat(out.toString()).containsPattern("messages read +7");
        assertThat(server.seen("INBOX")).isEqualTo(7);
        Files.writeString(config, "url: " + url("INBOX") + "\npasword-file: x\n");
        assertThat(run("fetch", "--config", config.toString(), "--db", db.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown option 'pasword-file'");
    }

    @Test
    void theEnvironmentGivesOptionsAndTheCommandLineWins() throws Exception {
        server.fill("INBOX");
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder child = new ProcessBuilder(javaCommand, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "fetch", url("INBOX"), "--leave", "--db", db.toString()).redirectErrorStream(true);
        child.environment().put("DMARCQ_FETCH_PASSWORD_FILE", password.toString());
        child.environment().put("DMARCQ_FETCH_CA_FILE", ImapServer.CA.toString());
        child.environment().put("DMARCQ_FETCH_MARK_SEEN", "true");
        Process p = child.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).as("the password file and the CA from the environment").containsPattern("messages read +7");
        assertThat(server.seen("INBOX")).as("--leave on the command line wins over mark-seen in the environment").isZero();

        child.command(List.of(javaCommand, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "fetch", url("INBOX"),
                "--db", temp.resolve("second.duckdb").toString()));
        p = child.start();
        output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).containsPattern("messages read +7");
        assertThat(server.seen("INBOX")).as("mark-seen from the environment").isEqualTo(7);

        child.environment().put("DMARCQ_FETCH_ARCHVE", "R");
        p = child.start();
        output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains("$DMARCQ_FETCH_ARCHVE: not an option of dmarcq fetch");
    }

    @Test
    void watchStopsCleanlyOnSigterm() throws Exception {
        server.fill("INBOX");
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(javaCommand, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "fetch", url("INBOX"),
                "--password-file", password.toString(), "--ca-file", ImapServer.CA.toString(), "--archive", "Reports", "--watch",
                "--db", db.toString()).redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8)).lines().forEach(lines::add));
        reader.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end && lines.stream().noneMatch(l -> l.contains("INBOX: 7 messages"))) {
            Thread.sleep(100);
        }
        assertThat(lines).as("the batch log line").anySatisfy(l -> assertThat(l).contains("INBOX: 7 messages: 6 stored, 0 duplicate, 1 invalid"));
        long stopping = System.nanoTime();
        // SIGTERM, as systemd and kill send it (Process.destroy would also close the pipes we read its output from)
        assertThat(new ProcessBuilder("kill", "-TERM", String.valueOf(child.pid())).start().waitFor()).isZero();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
        reader.join(5000);
        assertThat((System.nanoTime() - stopping) / 1_000_000_000).as("seconds to stop").isLessThan(20);
        assertThat(lines).as(String.join("\n", lines) + "\nexit " + child.exitValue()).anySatisfy(l -> assertThat(l).contains("stopped; 7 reports and 1 TLS reports stored"));
        assertThat(server.subjects("INBOX")).isEmpty();
    }
}
