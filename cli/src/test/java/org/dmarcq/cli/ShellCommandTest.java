package org.dmarcq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dmarcq shell < script}: the piped mode, as a script or cron job uses it. */
class ShellCommandTest extends CommandTest {
    @TempDir Path temp;

    private String db() {
        return temp.resolve("s.duckdb").toString();
    }

    private int withInput(String stdin, String... args) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return run(args);
        } finally {
            System.setIn(saved);
        }
    }

    @BeforeEach
    void ingest() {
        assertThat(run("ingest", "--db", db(), "testdata/reports/google.xml")).isZero();
    }

    @Test
    void aScriptFromStandardInputPrintsItsResults() {
        assertThat(withInput("SELECT org_name, record_count\nFROM reports;\n.mode csv\nSELECT 1 AS one;\n", "shell", "--db", db()))
                .as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("""
                org_name    record_count
                ----------  ------------
                google.com             3
                (1 row)
                one
                1
                """);
    }

    @Test
    void theFirstErrorStopsTheScriptWithStatusOne() {
        assertThat(withInput("SELECT 1 AS one;\nSELECT * FROM nowhere;\nSELECT 2;\n", "shell", "--db", db())).isEqualTo(1);
        assertThat(out.toString()).contains("one").doesNotContain("2\n");
        assertThat(err.toString()).startsWith("dmarcq shell: standard input, line 2: Catalog Error: Table with name nowhere does not exist");
    }

    @Test
    void writingNeedsWrite() {
        assertThat(withInput("CREATE VIEW mine AS SELECT 1 AS x;", "shell", "--db", db())).isEqualTo(1);
        assertThat(err.toString()).contains("read-only mode", "start it with --write");
        assertThat(withInput("CREATE VIEW mine AS SELECT 1 AS x;", "shell", "--write", "--db", db())).as(err.toString()).isZero();
        assertThat(withInput(".mode csv\nSELECT x FROM mine;", "shell", "--db", db())).isZero();
        assertThat(out.toString()).isEqualTo("x\n1\n");
    }

    @Test
    void aMissingDatabaseIsNamed() {
        assertThat(withInput("", "shell", "--db", temp.resolve("none.duckdb").toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("dmarcq: " + temp.resolve("none.duckdb") + ": no such database; create it with dmarcq ingest\n");
    }
}
