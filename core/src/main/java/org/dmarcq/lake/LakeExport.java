package org.dmarcq.lake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.dmarcq.store.Store;
import org.dmarcq.store.StoreException;

/**
 * Writes the store into a Parquet lake that Spark, Trino and DuckDB read: one dataset per table
 * under {@code LAKE/<dataset>/day=YYYY-MM-DD/} (the UTC day of the report's begin time), through
 * DuckDB's own Parquet writer, ZSTD-compressed. Incremental: a run writes the reports no run has
 * written into this lake ({@code lake_exports}, per lake). Safe at any crash: a run writes its files
 * under {@code LAKE/_staging/} (which readers skip), records its reports in the store in one
 * transaction, and only then moves the complete files into place, each by one rename; a run that
 * died is finished (recorded) or thrown away (not recorded) by the next run of the same writer.
 * The manifest is written last. Several machines write one lake, each under its own writer id
 * (in every file name and in every row); readers deduplicate reports on {@code dedupe_key}.
 */
public final class LakeExport {
    private LakeExport() {}

    /** The version of the lake's layout, in {@code _lake.json} and the manifest. */
    static final int LAYOUT = 1;

    /** Rows per Parquet row group: large groups for analytics engines, bounded for the writer's memory. */
    static final int ROW_GROUP_ROWS = 122_880;

    /** DuckDB's memory for an export: beyond it, it spills to disk. */
    static final String MEMORY = "256MB";

    /**
     * A dataset: the table it is written from, the store's key that says which report a row belongs
     * to ({@code kind} dmarc or tls), and the SELECT of its rows with the day they belong to.
     */
    record Dataset(String name, String kind, String select) {}

    private static final String DMARC_DAY = "JOIN reports p ON p.report_key = t.report_key";
    private static final String RECORD_DAY = "JOIN records r ON r.record_key = t.record_key JOIN reports p ON p.report_key = r.report_key";
    private static final String TLS_DAY = "JOIN tls_reports p ON p.tls_report_key = t.tls_report_key";

    static final List<Dataset> DATASETS = List.of(
            new Dataset("reports", "dmarc", "SELECT t.*, $writer AS writer, p.begin_time::DATE AS day FROM reports t "
                    + "JOIN reports p ON p.report_key = t.report_key WHERE t.report_key IN (SELECT report_key FROM lake_run_dmarc)"),
            dmarc("records", DMARC_DAY),
            dmarc("report_errors", DMARC_DAY),
            dmarc("warnings", DMARC_DAY),
            dmarc("dkim_results", RECORD_DAY),
            dmarc("spf_results", RECORD_DAY),
            dmarc("override_reasons", RECORD_DAY),
            dmarc("record_verdicts", DMARC_DAY),
            tls("tls_reports"),
            tls("tls_policies"),
            tls("tls_failures"),
            tls("tls_warnings"));

    private static Dataset dmarc(String table, String join) {
        return new Dataset(table, "dmarc", "SELECT t.*, $writer AS writer, p.begin_time::DATE AS day FROM " + table + " t " + join
                + " WHERE p.report_key IN (SELECT report_key FROM lake_run_dmarc)");
    }

    private static Dataset tls(String table) {
        return new Dataset(table, "tls", "SELECT t.*, $writer AS writer, p.begin_time::DATE AS day FROM " + table + " t " + TLS_DAY
                + " WHERE p.tls_report_key IN (SELECT report_key FROM lake_run_tls)");
    }

    /**
     * What a run did.
     *
     * @param writer the writer id in its file names and rows
     * @param recovered runs of this writer that had died: finished ({@code finished}) or thrown away
     */
    public record Summary(Path lake, String lakeId, String writer, String runId, long reports, long tlsReports, long records,
                          int files, long bytes, int finished, int discarded) {}

    /**
     * Exports the reports of {@code store} (opened for writing; held for the run) whose period begins
     * on or after {@code since} (all when null) that no earlier run wrote into {@code lake}.
     *
     * @param writerName names the machine in the writer id (letters, digits, {@code .}, {@code -} are kept)
     */
    public static Summary export(Store store, Path lake, LocalDate since, String writerName, String version) throws IOException {
        return export(store, lake, since, writerName, version, step -> { });
    }

    /** Hears each step of a run as it is done: {@code copied DATASET}, {@code recorded}, {@code moved PATH}. */
    @FunctionalInterface
    public interface Listener {
        void step(String step);
    }

    /** The same, telling {@code listener} each step as it is done. */
    public static Summary export(Store store, Path lake, LocalDate since, String writerName, String version, Listener listener)
            throws IOException {
        Path root = lake.toAbsolutePath().normalize();
        Files.createDirectories(root);
        String lakeId = lakeId(root);
        Connection c = store.connection();
        try {
            String writer = safe(writerName) + "-" + storeId(c);
            String runId = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss", Locale.ROOT).format(Instant.now().atZone(ZoneOffset.UTC))
                    + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            int[] recovered = recover(c, root, lakeId, writer);
            String[] settings = settings(c, "memory_limit", "preserve_insertion_order");
            try (Statement s = c.createStatement()) {
                // the writer's buffers, one per open partition, within a bound; rows need no order across files
                s.execute("SET memory_limit = '" + MEMORY + "'");
                s.execute("SET preserve_insertion_order = false");
            }
            try {
                return run(store, c, root, lakeId, writer, runId, since, version, recovered, listener);
            } finally {
                try (Statement s = c.createStatement()) {
                    s.execute("SET memory_limit = " + quote(settings[0]));
                    s.execute("SET preserve_insertion_order = " + settings[1]);
                }
            }
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": cannot export to " + root + ": " + Store.problem(e), e);
        }
    }

    private static Summary run(Store store, Connection c, Path root, String lakeId, String writer, String runId, LocalDate since,
                               String version, int[] recovered, Listener listener) throws SQLException, IOException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE TEMP TABLE lake_run_dmarc AS SELECT report_key FROM reports WHERE report_key NOT IN"
                    + " (SELECT report_key FROM lake_exports WHERE kind = 'dmarc' AND lake_id = " + quote(lakeId) + ")"
                    + (since == null ? "" : " AND begin_time >= TIMESTAMP '" + since + " 00:00:00'"));
            s.execute("CREATE OR REPLACE TEMP TABLE lake_run_tls AS SELECT tls_report_key AS report_key FROM tls_reports WHERE"
                    + " tls_report_key NOT IN (SELECT report_key FROM lake_exports WHERE kind = 'tls' AND lake_id = "
                    + quote(lakeId) + ")" + (since == null ? "" : " AND begin_time >= TIMESTAMP '" + since + " 00:00:00'"));
        }
        long reports = count(c, "SELECT count(*) FROM lake_run_dmarc");
        long tlsReports = count(c, "SELECT count(*) FROM lake_run_tls");
        long records = count(c, "SELECT coalesce(sum(record_count), 0) FROM reports WHERE report_key IN (SELECT report_key FROM lake_run_dmarc)");
        int files = 0;
        long bytes = 0;
        if (reports + tlsReports > 0) {
            Path run = root.resolve("_staging").resolve(writer + "-" + runId);
            Files.createDirectories(run);
            try (Statement s = c.createStatement()) {
                for (Dataset d : DATASETS) {
                    if ((d.kind().equals("dmarc") ? reports : tlsReports) == 0) {
                        continue;
                    }
                    s.execute("COPY (" + d.select().replace("$writer", quote(writer)) + ") TO "
                            + quote(run.resolve(d.name()).toString()) + " (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (day),"
                            + " ROW_GROUP_SIZE " + ROW_GROUP_ROWS + ", FILENAME_PATTERN " + quote(writer + "-" + runId + "-{i}")
                            + ")");
                    listener.step("copied " + d.name());
                }
            }
            // the run's reports are the lake's from here: recorded before any of its files is visible
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                String now = "TIMESTAMP '" + Instant.now().atZone(ZoneOffset.UTC).toLocalDateTime() + "'";
                s.execute("INSERT INTO lake_exports SELECT " + quote(lakeId) + ", " + quote(runId) + ", 'dmarc', report_key, " + now
                        + " FROM lake_run_dmarc");
                s.execute("INSERT INTO lake_exports SELECT " + quote(lakeId) + ", " + quote(runId) + ", 'tls', report_key, " + now
                        + " FROM lake_run_tls");
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
            listener.step("recorded");
            long[] moved = publish(run, root, listener);
            files = (int) moved[0];
            bytes = moved[1];
        }
        Path staging = root.resolve("_staging");
        try (Stream<Path> left = Files.isDirectory(staging) ? Files.list(staging) : Stream.empty()) {
            if (left.findAny().isEmpty()) {
                Files.deleteIfExists(staging); // another writer may have just made it: then it is not empty
            }
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            // another writer's run began meanwhile
        }
        Manifest.write(c, root, lakeId, version, store.schemaVersion());
        return new Summary(root, lakeId, writer, runId, reports, tlsReports, records, files, bytes, recovered[0], recovered[1]);
    }

    /** The connection's current values of the settings named. */
    private static String[] settings(Connection c, String... names) throws SQLException {
        String[] values = new String[names.length];
        try (Statement s = c.createStatement()) {
            for (int i = 0; i < names.length; i++) {
                try (ResultSet rs = s.executeQuery("SELECT current_setting(" + quote(names[i]) + ")")) {
                    rs.next();
                    values[i] = rs.getString(1);
                }
            }
        }
        return values;
    }

    /**
     * Runs of this writer that died: a run recorded in the store is finished (its files moved into
     * place); one that is not is thrown away. Other writers' runs may be in progress: left alone.
     */
    private static int[] recover(Connection c, Path root, String lakeId, String writer) throws IOException, SQLException {
        Path staging = root.resolve("_staging");
        int finished = 0;
        int discarded = 0;
        if (!Files.isDirectory(staging)) {
            return new int[] {0, 0};
        }
        List<Path> runs = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(staging, writer + "-*")) {
            dirs.forEach(runs::add);
        }
        for (Path run : runs) {
            String runId = run.getFileName().toString().substring(writer.length() + 1);
            boolean recorded;
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) > 0 FROM lake_exports WHERE lake_id = ? AND run_id = ?")) {
                s.setString(1, lakeId);
                s.setString(2, runId);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    recorded = rs.getBoolean(1);
                }
            }
            if (recorded) {
                publish(run, root, step -> { });
                finished++;
            } else {
                deleteTree(run);
                discarded++;
            }
        }
        return new int[] {finished, discarded};
    }

    /**
     * Moves every complete file of a run from its staging folder to its place in the lake, each by
     * one rename (a reader sees a file whole or not at all), then removes the folder. Files already
     * moved by a run that died are skipped. Returns the files and bytes moved.
     */
    private static long[] publish(Path run, Path root, Listener listener) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(run)) {
            files = walk.filter(p -> p.getFileName().toString().endsWith(".parquet") && Files.isRegularFile(p)).sorted().toList();
        }
        long bytes = 0;
        for (Path f : files) {
            Path target = root.resolve(run.relativize(f));
            Files.createDirectories(target.getParent());
            bytes += Files.size(f);
            try {
                Files.move(f, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(root + ": the lake's staging folder and its datasets must be on one file system: " + e.getMessage(), e);
            }
            listener.step("moved " + root.relativize(target));
        }
        deleteTree(run);
        return new long[] {files.size(), bytes};
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The lake's identity, kept in {@code _lake.json}: made by the first writer, read by every other. */
    static String lakeId(Path root) throws IOException {
        Path file = root.resolve("_lake.json");
        ObjectMapper json = new ObjectMapper();
        if (!Files.exists(file)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lake_id", java.util.UUID.randomUUID().toString());
            m.put("layout", LAYOUT);
            m.put("created", Instant.now().toString());
            Path temp = root.resolve("._lake.json." + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
            Files.writeString(temp, json.writeValueAsString(m) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            try {
                // a link is made whole or not at all, and never over another writer's
                Files.createLink(file, temp);
            } catch (FileAlreadyExistsException e) {
                // another writer made it first: theirs counts
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        try {
            String id = json.readTree(file.toFile()).path("lake_id").asText("");
            if (!id.matches("[0-9a-f-]{36}")) {
                throw new IOException(file + ": not a dmarcq lake's identity (no lake_id)");
            }
            return id;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": not a dmarcq lake's identity: " + e.getOriginalMessage(), e);
        }
    }

    /** The store's own random id, made at its first export: with the machine's name, the writer id. */
    private static String storeId(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT value FROM settings WHERE name = 'store_id'")) {
                if (rs.next()) {
                    return rs.getString(1);
                }
            }
            String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            s.execute("INSERT INTO settings VALUES ('store_id', '" + id + "')");
            return id;
        }
    }

    static String safe(String name) {
        String s = name == null ? "" : name.replaceAll("[^A-Za-z0-9.-]+", "-").replaceAll("^[-.]+|[-.]+$", "");
        return s.isEmpty() ? "dmarcq" : s.length() > 40 ? s.substring(0, 40) : s;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The manifest: written last, whole, from what the lake holds. */
    static final class Manifest {
        private Manifest() {}

        static void write(Connection c, Path root, String lakeId, String version, int schemaVersion) throws SQLException, IOException {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layout", LAYOUT);
            m.put("lake_id", lakeId);
            m.put("dmarcq_version", version);
            m.put("schema_version", schemaVersion);
            m.put("written", Instant.now().toString());
            Map<String, Object> datasets = new LinkedHashMap<>();
            Map<String, Long> highest = new TreeMap<>();
            for (Dataset d : DATASETS) {
                Path dir = root.resolve(d.name());
                List<Map<String, Object>> files = new ArrayList<>();
                TreeMap<String, Long> partitions = new TreeMap<>();
                long rows = 0;
                if (Files.isDirectory(dir)) {
                    List<Path> parquet;
                    try (Stream<Path> walk = Files.walk(dir)) {
                        parquet = walk.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
                    }
                    if (!parquet.isEmpty()) {
                        Map<String, Long> counts = rowCounts(c, dir);
                        for (Path p : parquet) {
                            String relative = root.relativize(p).toString().replace('\\', '/');
                            long n = counts.getOrDefault(p.toString(), 0L);
                            String day = p.getParent().getFileName().toString().replaceFirst("^day=", "");
                            Map<String, Object> f = new LinkedHashMap<>();
                            f.put("path", relative);
                            f.put("day", day);
                            f.put("rows", n);
                            f.put("bytes", Files.size(p));
                            files.add(f);
                            partitions.merge(day, n, Long::sum);
                            rows += n;
                        }
                    }
                }
                Map<String, Object> ds = new LinkedHashMap<>();
                ds.put("rows", rows);
                ds.put("partitions", partitions);
                ds.put("files", files);
                datasets.put(d.name(), ds);
            }
            if (Files.isDirectory(root.resolve("reports"))) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT writer, max(report_key) FROM read_parquet("
                        + quote(root.resolve("reports") + "/*/*.parquet") + ") GROUP BY ALL ORDER BY 1")) {
                    while (rs.next()) {
                        highest.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            m.put("highest_report_key", highest);
            m.put("datasets", datasets);
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            writeWhole(root.resolve("_schema_version"), schemaVersion + "\n");
            writeWhole(root.resolve("manifest.json"), json.writeValueAsString(m) + "\n");
        }

        /** Rows per file of a dataset, from the Parquet footers (no data read). */
        private static Map<String, Long> rowCounts(Connection c, Path dir) throws SQLException {
            Map<String, Long> counts = new LinkedHashMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT file_name, sum(row_group_num_rows) FROM"
                    + " (SELECT DISTINCT file_name, row_group_id, row_group_num_rows FROM parquet_metadata(" + quote(dir + "/*/*.parquet")
                    + ")) GROUP BY ALL")) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
            return counts;
        }

        private static void writeWhole(Path file, String content) throws IOException {
            Path temp = file.resolveSibling("." + file.getFileName() + "." + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
            try {
                Files.writeString(temp, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }
}
