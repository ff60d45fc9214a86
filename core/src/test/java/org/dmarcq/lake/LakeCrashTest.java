package org.dmarcq.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.dmarcq.ingest.Ingest;
import org.dmarcq.store.Store;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export killed with SIGKILL in its own JVM at several points: while it writes its files, once
 * it has recorded its reports, and half way through moving its files into place. Whatever a reader
 * of the datasets sees then is whole files of recorded runs; the next run completes the lake; the
 * lake then holds what a clean export holds, row for row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LakeCrashTest {
    @TempDir static Path temp;
    private Path original;
    private List<String> cleanRows;

    @BeforeAll
    void aStoreAndItsCleanExport() throws Exception {
        original = temp.resolve("original.duckdb");
        try (Store store = Store.open(original)) {
            Ingest.into(store).run(List.of("samples/rua", "samples/tlsrpt"));
        }
        Path db = copy("clean");
        Path lake = temp.resolve("clean-lake");
        try (Store store = Store.open(db)) {
            LakeExport.export(store, lake, null, "box", "test");
        }
        cleanRows = rows(lake);
    }

    private Path copy(String name) throws Exception {
        Path db = temp.resolve(name + ".duckdb");
        Files.copy(original, db, StandardCopyOption.REPLACE_EXISTING);
        return db;
    }

    /** Every row of every dataset, writer and file left out, sorted: what two lakes of the same store must share. */
    private static List<String> rows(Path lake) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Store store = Store.open(temp.resolve("reader-" + System.nanoTime() + ".duckdb"));
             Statement s = store.connection().createStatement()) {
            for (LakeExport.Dataset d : LakeExport.DATASETS) {
                if (!Files.isDirectory(lake.resolve(d.name()))) {
                    continue;
                }
                try (ResultSet rs = s.executeQuery("SELECT '" + d.name() + ": ' || to_json(t) FROM (SELECT * EXCLUDE (writer) FROM"
                        + " read_parquet('" + lake + "/" + d.name() + "/*/*.parquet', hive_partitioning = true)) t")) {
                    while (rs.next()) {
                        rows.add(rs.getString(1));
                    }
                }
            }
        }
        rows.sort(null);
        return rows;
    }

    private static List<Path> visible(Path lake) throws Exception {
        if (!Files.isDirectory(lake)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(lake)) {
            return walk.filter(p -> p.toString().endsWith(".parquet") && !lake.relativize(p).startsWith("_staging")).toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"copied records", "recorded", "moved 5"})
    void killedThenRunAgainEqualsACleanExport(String killAt) throws Exception {
        Path db = copy("killed-" + killAt.replace(' ', '-'));
        Path lake = temp.resolve("lake-" + killAt.replace(' ', '-'));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Child.class.getName(), db.toString(),
                lake.toString(), killAt).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            boolean reached = false;
            for (String line; (line = out.readLine()) != null; ) {
                if (line.equals("waiting")) {
                    reached = true;
                    break;
                }
            }
            assertThat(reached).as("the child reached " + killAt).isTrue();
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        // a reader now: whole files only, each readable to its last row
        try (Store reader = Store.open(temp.resolve("check-" + System.nanoTime() + ".duckdb"));
             Statement s = reader.connection().createStatement()) {
            for (Path f : visible(lake)) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet('" + f + "')")) {
                    assertThat(rs.next()).as(f.toString()).isTrue();
                }
            }
        }
        if (killAt.equals("copied records")) {
            assertThat(visible(lake)).as("nothing is visible before the run is recorded").isEmpty();
        }
        try (Store store = Store.open(db)) {
            LakeExport.Summary next = LakeExport.export(store, lake, null, "box", "test");
            assertThat(next.finished() + next.discarded()).as("the run that died is finished or discarded").isEqualTo(1);
        }
        assertThat(rows(lake)).isEqualTo(cleanRows);
        assertThat(lake.resolve("_staging")).doesNotExist();
    }

    /** An export in its own JVM that stops at one step and waits there to be killed. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            String killAt = args[2];
            int[] moved = {0};
            try (Store store = Store.open(Path.of(args[0]))) {
                LakeExport.export(store, Path.of(args[1]), null, "box", "test", step -> {
                    boolean here = step.equals(killAt) || killAt.startsWith("moved ") && step.startsWith("moved ")
                            && ++moved[0] == Integer.parseInt(killAt.substring(6));
                    if (here) {
                        System.out.println("waiting");
                        System.out.flush();
                        try {
                            Thread.sleep(Long.MAX_VALUE);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
            }
        }
    }
}
