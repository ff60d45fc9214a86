package org.dmarcq.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queries of docs/scale-out.md, run on real engines over a lake that two machines wrote (the
 * same reports ingested by both, so that every report is in the lake twice): Apache Spark in local
 * mode and DuckDB, and the Trino text on DuckDB. Their per-domain and per-source totals must equal
 * what {@code dmarcq domains} and {@code dmarcq senders} print as JSON. dmarcq runs from its jar in
 * processes of its own: nothing of it is on this class path beside Spark's libraries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LakeEnginesTest {
    private static final Path JAR = Path.of("cli/target/dmarcq.jar");
    private static final List<String> DOMAIN_FIELDS = List.of("policy_domain", "reports", "reporters", "messages", "dmarc_pass",
            "dmarc_fail");
    private static final List<String> SENDER_FIELDS = List.of("source_ip", "messages", "dmarc_pass", "dmarc_fail", "spf_aligned",
            "dkim_aligned");

    @TempDir static Path temp;
    private Path lake;
    private Map<String, String> blocks;
    private List<Map<String, String>> domains;
    private List<Map<String, String>> senders;
    private SparkSession spark;

    private static String dmarcq(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-jar",
                JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(temp, "out", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", args)).isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** Rows of JSON objects, each reduced to the fields given, as text. */
    private static List<Map<String, String>> json(String text, List<String> fields) throws Exception {
        List<Map<String, String>> rows = new ArrayList<>();
        for (JsonNode n : new ObjectMapper().readTree(text)) {
            Map<String, String> row = new LinkedHashMap<>();
            for (String f : fields) {
                row.put(f, n.get(f).asText());
            }
            rows.add(row);
        }
        return rows;
    }

    @BeforeAll
    void twoMachinesExportTheSameReportsIntoOneLake() throws Exception {
        assertThat(JAR).as("the command line's jar (mvn package builds it before this module)").exists();
        lake = temp.resolve("lake");
        for (String machine : List.of("one", "two")) {
            String db = temp.resolve(machine + ".duckdb").toString();
            dmarcq("ingest", "--db", db, "samples/rua");
            dmarcq("export", "--parquet", lake.toString(), "--db", db, "--writer", machine);
        }
        String db = temp.resolve("one.duckdb").toString();
        domains = json(dmarcq("domains", "--db", db, "--format", "json"), DOMAIN_FIELDS);
        senders = json(dmarcq("senders", "--offline", "--db", db, "--format", "json"), SENDER_FIELDS);
        blocks = new LinkedHashMap<>();
        Matcher m = Pattern.compile("```sql\n-- ([a-z]+: [a-z]+)\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(Path.of("docs/scale-out.md")));
        while (m.find()) {
            blocks.put(m.group(1), m.group(2).replace("LAKE", lake.toString()));
        }
        assertThat(blocks).containsKeys("duckdb: setup", "spark: setup", "trino: setup", "query: domains", "query: senders");
        spark = SparkSession.builder().master("local[2]").appName("dmarcq-lake-test").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4").config("spark.sql.session.timeZone", "UTC").getOrCreate();
    }

    @AfterAll
    void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static List<String> statements(String block) {
        List<String> list = new ArrayList<>();
        for (String s : block.split(";\\s*\n")) {
            if (!s.isBlank()) {
                list.add(s.strip().replaceAll(";$", ""));
            }
        }
        return list;
    }

    private List<Map<String, String>> spark(String query, List<String> fields) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (Row r : spark.sql(query).collectAsList()) {
            Map<String, String> row = new LinkedHashMap<>();
            for (String f : fields) {
                Object v = r.getAs(f);
                row.put(f, String.valueOf(v));
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<Map<String, String>> duckdb(Statement s, String query, List<String> fields) throws Exception {
        List<Map<String, String>> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(query)) {
            ResultSetMetaData meta = rs.getMetaData();
            assertThat(meta.getColumnCount()).isEqualTo(fields.size());
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (String f : fields) {
                    row.put(f, rs.getString(f));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void sparkInLocalModeGivesDmarcqsNumbers() {
        for (String statement : statements(blocks.get("spark: setup"))) {
            spark.sql(statement);
        }
        assertThat(spark.sql("SELECT count(*) FROM reports").first().getLong(0)).as("every report twice").isEqualTo(240);
        assertThat(spark(blocks.get("query: domains"), DOMAIN_FIELDS)).isEqualTo(domains);
        assertThat(spark(blocks.get("query: senders"), SENDER_FIELDS)).containsExactlyInAnyOrderElementsOf(senders);
    }

    @Test
    void duckdbGivesDmarcqsNumbers() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            for (String statement : statements(blocks.get("duckdb: setup"))) {
                s.execute(statement);
            }
            assertThat(duckdb(s, blocks.get("query: domains"), DOMAIN_FIELDS)).isEqualTo(domains);
            assertThat(duckdb(s, blocks.get("query: senders"), SENDER_FIELDS)).containsExactlyInAnyOrderElementsOf(senders);
        }
    }

    @Test
    void theTrinoTextGivesDmarcqsNumbersOnDuckdbUnderTrinosTableNames() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            // the tables as Trino's Hive connector names them: catalog hive, schema dmarc
            s.execute("ATTACH ':memory:' AS hive");
            s.execute("CREATE SCHEMA hive.dmarc");
            for (String table : List.of("reports", "record_verdicts")) {
                s.execute("CREATE VIEW hive.dmarc." + table + " AS SELECT * FROM read_parquet('" + lake + "/" + table
                        + "/*/*.parquet', hive_partitioning = true)");
            }
            assertThat(blocks.get("trino: setup")).contains("hive.dmarc.reports", "hive.dmarc.record_verdicts");
            s.execute("USE hive.dmarc");
            assertThat(duckdb(s, blocks.get("query: domains"), DOMAIN_FIELDS)).isEqualTo(domains);
            assertThat(duckdb(s, blocks.get("query: senders"), SENDER_FIELDS)).containsExactlyInAnyOrderElementsOf(senders);
        }
    }
}
