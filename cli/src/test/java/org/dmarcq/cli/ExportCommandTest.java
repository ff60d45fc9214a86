package org.dmarcq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dmarcq export --parquet}: its summary, in words and in JSON, and a second run that writes nothing. */
class ExportCommandTest extends CommandTest {
    @TempDir Path temp;

    @Test
    void exportsOnceThenNothing() throws Exception {
        String db = temp.resolve("e.duckdb").toString();
        Path lake = temp.resolve("lake");
        assertThat(run("ingest", "--db", db, "samples/rua", "samples/tlsrpt")).as(err.toString()).isZero();
        assertThat(run("export", "--parquet", lake.toString(), "--db", db, "--writer", "box 1", "--format", "json"))
                .as(err.toString()).isZero();
        JsonNode first = new ObjectMapper().readTree(out.toString());
        assertThat(first.get("reports").asLong()).isEqualTo(120);
        assertThat(first.get("tls_reports").asLong()).isEqualTo(60);
        assertThat(first.get("records").asLong()).isEqualTo(3032);
        assertThat(first.get("writer").asText()).matches("box-1-[0-9a-f]{8}");
        assertThat(first.get("files").asInt()).isPositive();
        assertThat(run("export", "--parquet", lake.toString(), "--db", db, "--writer", "box 1")).as(err.toString()).isZero();
        assertThat(out.toString().replaceAll("\\s+", " ")).startsWith("Exported 0 reports (0 records) and 0 TLS reports to ")
                .contains("as writer " + first.get("writer").asText() + ": 0 files");
    }

    @Test
    void aLakeReadBackAnswersAsTheStoreItCameFrom() throws Exception {
        String db = temp.resolve("o.duckdb").toString();
        String back = temp.resolve("back.duckdb").toString();
        Path lake = temp.resolve("lake");
        assertThat(run("ingest", "--db", db, "samples/rua", "samples/tlsrpt")).as(err.toString()).isZero();
        assertThat(run("export", "--parquet", lake.toString(), "--db", db)).as(err.toString()).isZero();
        assertThat(run("ingest", "--db", back, "--parquet", lake.toString(), "--format", "json")).as(err.toString()).isZero();
        JsonNode read = new ObjectMapper().readTree(out.toString());
        assertThat(read.get("reports").asLong()).isEqualTo(120);
        assertThat(read.get("tls_reports").asLong()).isEqualTo(60);
        for (String[] question : new String[][] {{"domains", "--format", "json"},
                {"whatif", "--offline", "--policy", "quarantine", "--format", "json"}, {"readiness", "--offline", "--format", "json"},
                {"tls", "--format", "json"}}) {
            String[] there = java.util.Arrays.copyOf(question, question.length + 2);
            there[question.length] = "--db";
            there[question.length + 1] = db;
            assertThat(run(there)).as(err.toString()).isZero();
            String original = out.toString();
            there[question.length + 1] = back;
            assertThat(run(there)).as(err.toString()).isZero();
            assertThat(out.toString()).as(String.join(" ", question)).isEqualTo(original);
        }
        assertThat(run("ingest", "--db", back, "--parquet", lake.toString())).as(err.toString()).isZero();
        assertThat(out.toString().replaceAll("\\s+", " ")).contains("stored 0 reports").contains("120 reports and 60 TLS reports were"
                + " stored already");
    }

    @Test
    void aMissingDatabaseIsOneLine() {
        assertThat(run("export", "--parquet", temp.resolve("lake").toString(), "--db", temp.resolve("none.duckdb").toString()))
                .isEqualTo(1);
        assertThat(err.toString().lines().count()).isEqualTo(1);
        assertThat(temp.resolve("lake")).doesNotExist();
    }
}
