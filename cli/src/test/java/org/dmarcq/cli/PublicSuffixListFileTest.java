package org.dmarcq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --psl FILE} changes organizational domains, and the domains table follows it. Runs the
 * command in a child JVM: the suffix list matcher keeps one list per process.
 */
class PublicSuffixListFileTest {
    @TempDir Path temp;

    @Test
    void aListFileChangesAlignment() throws Exception {
        // DKIM d=mail.example.com signs for header_from news.example.com: aligned (relaxed) under the real
        // list; under a list that makes example.com a public suffix, the two are different organizations.
        Path report = temp.resolve("r.xml");
        Files.writeString(report, "<feedback><report_metadata><org_name>r</org_name><email>a@r.example</email>"
                + "<report_id>psl-1</report_id><date_range><begin>1762387200</begin><end>1762473599</end></date_range>"
                + "</report_metadata><policy_published><domain>example.com</domain><p>none</p></policy_published><record><row>"
                + "<source_ip>192.0.2.1</source_ip><count>3</count><policy_evaluated><disposition>none</disposition><dkim>pass"
                + "</dkim><spf>fail</spf></policy_evaluated></row><identifiers><header_from>news.example.com</header_from>"
                + "</identifiers><auth_results><dkim><domain>mail.example.com</domain><selector>s</selector><result>pass</result>"
                + "</dkim></auth_results></record></feedback>");
        Path list = temp.resolve("public_suffix_list.dat");
        Files.writeString(list, "// VERSION: test\n// ===BEGIN ICANN DOMAINS===\ncom\nexample.com\n// ===END ICANN DOMAINS===\n");
        String db = temp.resolve("p.duckdb").toString();

        assertThat(dmarcq("ingest", "--db", db, report.toString())).contains("reports new                   1");
        String query = "SELECT dkim_aligned, reason FROM record_verdicts";
        assertThat(dmarcq("sql", "--db", db, "--format", "csv", query)).isEqualTo("dkim_aligned,reason\ntrue,\n");

        assertThat(dmarcq("senders", "--offline", "--db", db, "--psl", list.toString(), "--format", "csv")).contains(",dkim-third-party,");
        assertThat(dmarcq("sql", "--db", db, "--format", "csv", "SELECT value FROM settings"))
                .startsWith("value\npublic_suffix_list.dat test sha256:");
        assertThat(dmarcq("sql", "--db", db, "--format", "csv", query)).isEqualTo("dkim_aligned,reason\nfalse,dkim-third-party\n");

        dmarcq("domains", "--db", db);
        assertThat(dmarcq("sql", "--db", db, "--format", "csv", query))
                .as("back on the bundled list").isEqualTo("dkim_aligned,reason\ntrue,\n");
    }

    private static String dmarcq(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
