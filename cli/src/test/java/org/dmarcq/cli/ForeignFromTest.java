package org.dmarcq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report filed under example.com whose records' From is another organisation, signed by that
 * organisation's own key: a forger can send it. Aligning with its own From is no evidence for
 * example.com, so the source is neither "your sender" nor "failing only at receivers".
 */
class ForeignFromTest extends CommandTest {
    @TempDir Path temp;

    private static String report(int day) {
        long begin = 1759276800L + day * 86_400L;
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <feedback><report_metadata><org_name>Forged Org</org_name><email>a@b.example</email><report_id>foreign-%d</report_id>
                <date_range><begin>%d</begin><end>%d</end></date_range></report_metadata>
                <policy_published><domain>example.com</domain><p>none</p></policy_published>
                <record><row><source_ip>203.0.113.201</source_ip><count>30</count><policy_evaluated><disposition>none</disposition>
                <dkim>fail</dkim><spf>fail</spf></policy_evaluated></row><identifiers><header_from>attacker.example</header_from></identifiers>
                <auth_results><dkim><domain>attacker.example</domain><selector>s1</selector><result>pass</result></dkim>
                <spf><domain>attacker.example</domain><result>pass</result></spf></auth_results></record></feedback>
                """.formatted(day, begin, begin + 86_399);
    }

    @Test
    void aForeignFromSignedByItsOwnKeyIsNoEvidenceForThePolicyDomain() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("in"));
        for (int day = 0; day < 20; day++) {
            Files.writeString(dir.resolve("r" + day + ".xml"), report(day));
        }
        String db = temp.resolve("f.duckdb").toString();
        assertThat(run("ingest", "--db", db, dir.toString())).as(err.toString()).isZero();
        assertThat(run("whatif", "--offline", "--db", db, "--policy", "quarantine", "--format", "json")).as(err.toString()).isZero();
        JsonNode answer = new ObjectMapper().readTree(out.toString());
        JsonNode source = answer.get("senders").get(0);
        assertThat(source.get("source_ip").asText()).isEqualTo("203.0.113.201");
        assertThat(source.get("class").asText()).isNotEqualTo("misconfigured");
        assertThat(source.get("reason").asText()).isEqualTo("dkim-third-party");
        assertThat(source.get("evidence").toString()).doesNotContain("align with example.com")
                .doesNotContain("also sends your signed mail");
    }
}
