package org.dmarcq.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.dmarcq.rules.PublicSuffixList;
import org.duckdb.DuckDBConnection;

/**
 * The DuckDB database that holds ingested reports. {@link #open} creates or migrates the schema;
 * {@link #openReadOnly} never writes. DuckDB lets one process write, or several read, at a time:
 * the opening methods that take a {@link Wait} wait for the file while another process holds it.
 */
public final class Store implements AutoCloseable {
    /** Migrations in order; the schema version is the number of migrations applied. */
    private static final List<String> MIGRATIONS = List.of("001-initial.sql", "002-evaluation.sql", "003-reverse-dns.sql",
            "004-tls-reports.sql", "005-naming-macros.sql", "006-verdicts.sql", "007-warning-details.sql",
            "008-spf-snapshots.sql", "009-fetch.sql", "010-lake.sql", "011-verdicts-faster.sql");

    /** The schema version this dmarcq creates and understands. */
    static int currentVersion() {
        return MIGRATIONS.size();
    }

    private final Path file;
    private final DuckDBConnection connection;
    private final boolean readOnly;
    /** The memory limit of this reader's connection now, in bytes; 0 for a writer's or a fixed one. */
    private long memory;

    private Store(Path file, DuckDBConnection connection, boolean readOnly, long memory) {
        this.file = file;
        this.connection = connection;
        this.readOnly = readOnly;
        this.memory = memory;
    }

    /** A reader of the file: its connection starts with {@link #startingMemory}, when the cap is a size. */
    private static Store reader(Path file, Wait wait) {
        long memory = READER_CAP > 0 ? startingMemory(file) : 0;
        return new Store(file, connect(file, true, wait, memory), true, memory);
    }

    /** Opens the database for writing, creating it and bringing its schema up to date as needed. */
    public static Store open(Path file) {
        return open(file, Wait.NONE);
    }

    /** The same, waiting as {@code wait} says while another process holds the file. */
    public static Store open(Path file, Wait wait) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new StoreException(file + ": the folder " + parent + " does not exist");
        }
        Store store = new Store(file, connect(file, false, wait, 0), false, 0);
        try {
            store.migrate();
            store.verifyObjects();
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Opens an existing database without the right to change it. */
    public static Store openReadOnly(Path file) {
        return openReadOnly(file, Wait.NONE);
    }

    /** The same, waiting as {@code wait} says while another process writes to the file. */
    public static Store openReadOnly(Path file, Wait wait) {
        if (!Files.isRegularFile(file)) {
            throw new StoreException(file + ": no such database; create it with dmarcq ingest");
        }
        Store store = reader(file, wait);
        int version = store.schemaVersion();
        if (version > MIGRATIONS.size()) {
            store.close();
            throw new StoreException(file + ": schema version " + version + " is newer than this dmarcq understands ("
                    + MIGRATIONS.size() + "); upgrade dmarcq");
        }
        if (version < MIGRATIONS.size()) {
            store.close();
            throw new StoreException(file + ": schema version " + version + " is older than this dmarcq's ("
                    + MIGRATIONS.size() + "); open it once for writing, e.g. with dmarcq ingest, to upgrade it");
        }
        try {
            store.verifyObjects();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /** The tables dmarcq reads and writes: each must be a table, not a view someone put in its place. */
    static final List<String> TABLES = List.of("schema_version", "reports", "report_errors", "records", "override_reasons",
            "dkim_results", "spf_results", "warnings", "domains", "settings", "reverse_dns", "record_verdicts", "tls_reports",
            "tls_policies", "tls_failures", "tls_warnings", "lake_exports");

    /**
     * Refuses a database in which dmarcq's own queries could run more than SQL over its tables: one
     * of its tables replaced by a view, or a view or macro that calls {@code enable_logging} (a call
     * the locked configuration does not stop, and which aborts the process when it logs to a file
     * the lock-down forbids) or {@code query()}/{@code query_table()} (SQL from a string). Such
     * objects can only have been made with {@code dmarcq sql --write} or another DuckDB client.
     */
    private void verifyObjects() {
        try (Statement s = connection.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
                    + " AND table_type <> 'BASE TABLE' AND table_name IN ('" + String.join("', '", TABLES) + "') ORDER BY 1")) {
                if (rs.next()) {
                    throw new StoreException(file + ": " + rs.getString(1) + " is not dmarcq's table but a view in its place;"
                            + " dmarcq does not use this database until it is a table again");
                }
            }
            try (ResultSet rs = s.executeQuery("""
                    SELECT kind, name FROM (
                        SELECT 'view' AS kind, view_name AS name, lower(sql) AS body FROM duckdb_views() WHERE NOT internal
                        UNION ALL
                        SELECT CASE function_type WHEN 'table_macro' THEN 'macro table' ELSE 'macro' END, function_name,
                               lower(macro_definition) FROM duckdb_functions()
                        WHERE function_type IN ('macro', 'table_macro') AND NOT internal)
                    WHERE regexp_matches(body, '(^|[^a-z0-9_$])(enable_logging|query\\s*\\(|query_table\\s*\\()')
                    ORDER BY 2 LIMIT 1""")) {
                if (rs.next()) {
                    String kind = rs.getString(1);
                    throw new StoreException(file + ": the " + (kind.startsWith("macro") ? "macro" : kind) + " " + rs.getString(2)
                            + " calls enable_logging, query() or query_table(), which dmarcq does not run; drop it (dmarcq sql"
                            + " --write \"DROP " + kind.toUpperCase(java.util.Locale.ROOT) + " " + rs.getString(2)
                            + "\") and run this again");
                }
            }
        } catch (SQLException e) {
            throw new StoreException(file + ": cannot read the database's catalog: " + firstLine(e.getMessage()), e);
        }
    }

    public Path file() {
        return file;
    }

    public boolean readOnly() {
        return readOnly;
    }

    /** The JDBC connection, for queries of one's own (as {@code dmarcq sql} does). Owned by the store. */
    public Connection connection() {
        return connection;
    }

    /**
     * Where DuckDB would install extensions, once {@link #lockDown} has run: a path that cannot be
     * a folder, so that an {@code INSTALL} fails before it downloads anything.
     */
    public static final String NO_EXTENSIONS = "/dev/null/dmarcq-installs-no-extensions";

    /**
     * Locks the connection for SQL of one's own: from here on DuckDB installs and loads no
     * extension and changes no setting, and unless {@code allowFiles}, reads and writes no file but
     * the database (no {@code COPY ... TO}, {@code EXPORT DATABASE}, {@code read_csv},
     * {@code read_text}, {@code glob}, {@code ATTACH}). It cannot be undone on this connection.
     */
    public void lockDown(boolean allowFiles) {
        try {
            lockDown(connection, List.of(), allowFiles ? List.of("/") : List.of());
        } catch (SQLException e) {
            throw new StoreException(file + ": cannot restrict the database connection: " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * Restricts the connection for dmarcq's own questions as {@link #lockDown(boolean)} does, no file
     * allowed, but leaves its settings open so that {@link #withMemory} can raise the memory limit:
     * no SQL of anyone else's runs on it, and a view or macro cannot change a setting.
     */
    public void restrictForQuestions() {
        try {
            restrict(connection, List.of(), List.of(), false);
        } catch (SQLException e) {
            throw new StoreException(file + ": cannot restrict the database connection: " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * Locks a connection down as {@link #lockDown(boolean)} describes, but for the files in
     * {@code paths} and the folders in {@code folders} (paths ending in {@code /}).
     */
    static void lockDown(Connection c, List<String> paths, List<String> folders) throws SQLException {
        restrict(c, paths, folders, true);
    }

    private static void restrict(Connection c, List<String> paths, List<String> folders, boolean lockConfiguration)
            throws SQLException {
        try (Statement s = c.createStatement()) {
            if (!paths.isEmpty()) {
                s.execute("SET allowed_paths = " + sqlList(paths));
            }
            if (!folders.isEmpty()) {
                s.execute("SET allowed_directories = " + sqlList(folders));
            }
            s.execute("SET enable_external_access = false");
            s.execute("SET extension_directory = '" + NO_EXTENSIONS + "'");
            s.execute("SET allow_community_extensions = false");
            if (lockConfiguration) {
                s.execute("SET lock_configuration = true");
            }
        }
    }

    private static String sqlList(List<String> values) {
        return values.stream().map(v -> "'" + v.replace("'", "''") + "'").collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }

    /**
     * A loader for a batch of reports, storing into this store's connection; see {@link ReportLoader}.
     * What it stores is derived (domains, verdicts) by {@code list} in the same transaction.
     */
    public ReportLoader loader(PublicSuffixList list) {
        if (readOnly) {
            throw new IllegalStateException("the store is open read-only");
        }
        return ReportLoader.direct(connection, list);
    }

    /**
     * The file opened read-only, as {@link #openReadOnly} does, when nothing in it needs a write
     * first: its schema is this dmarcq's and what is derived from the reports is current for
     * {@code list}. Else null, and the file is not held: open it for writing to bring it up to date
     * ({@link #refreshDomains}).
     */
    public static Store openReadOnlyIfCurrent(Path file, PublicSuffixList list, Wait wait) {
        Store store = openAnyVersion(file, wait);
        try {
            if (store.schemaVersion() != MIGRATIONS.size() || !Derived.current(store.connection, list)) {
                store.close();
                return null;
            }
            store.verifyObjects();
            return store;
        } catch (SQLException e) {
            store.close();
            throw new StoreException(file + ": cannot read the database: " + firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private static Store openAnyVersion(Path file, Wait wait) {
        if (!Files.isRegularFile(file)) {
            throw new StoreException(file + ": no such database; create it with dmarcq ingest");
        }
        return reader(file, wait);
    }

    /**
     * Brings what dmarcq derives from the reports up to date: every domain name the reports and the
     * reverse DNS lookups mention gets its A-label form and organizational domain, which alignment
     * compares, and every record its row of {@code record_verdicts}. Names are added incrementally;
     * all are recomputed, and every verdict, when the list differs from the one used before.
     *
     * @return how many names were added
     */
    public int refreshDomains(PublicSuffixList list) {
        if (readOnly) {
            throw new IllegalStateException("the store is open read-only");
        }
        try {
            connection.setAutoCommit(false);
            int added = Derived.refresh(connection, list);
            connection.commit();
            return added;
        } catch (SQLException e) {
            rollbackQuietly();
            throw new StoreException(file + ": cannot update the domains table: " + firstLine(e.getMessage()), e);
        } finally {
            autoCommit();
        }
    }

    /**
     * Adds rows to the {@code domains} table for those of the names it lacks (reverse DNS names),
     * in the caller's transaction when there is one. Returns how many were added.
     */
    public int addDomainNames(PublicSuffixList list, java.util.Collection<String> names) {
        if (readOnly) {
            throw new IllegalStateException("the store is open read-only");
        }
        List<String> missing = new java.util.ArrayList<>();
        try (Statement s = connection.createStatement()) {
            java.util.Set<String> known = new java.util.HashSet<>();
            try (ResultSet rs = s.executeQuery("SELECT name FROM domains")) {
                while (rs.next()) {
                    known.add(rs.getString(1));
                }
            }
            for (String n : names) {
                if (!known.contains(n)) {
                    missing.add(n);
                }
            }
            Derived.insertNames(connection, list, missing);
            return missing.size();
        } catch (SQLException e) {
            throw new StoreException(file + ": cannot update the domains table: " + firstLine(e.getMessage()), e);
        }
    }

    /** Current schema version: the number of migrations applied (0 for an empty database). */
    public int schemaVersion() {
        try (Statement s = connection.createStatement()) {
            try (ResultSet rs = s.executeQuery(
                    "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return 0;
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new StoreException(file + ": cannot read the schema version: " + e.getMessage(), e);
        }
    }

    private void migrate() {
        int version = schemaVersion();
        if (version > MIGRATIONS.size()) {
            throw new StoreException(file + ": schema version " + version + " is newer than this dmarcq understands ("
                    + MIGRATIONS.size() + "); upgrade dmarcq");
        }
        for (int i = version; i < MIGRATIONS.size(); i++) {
            String name = MIGRATIONS.get(i);
            try (Statement s = connection.createStatement()) {
                connection.setAutoCommit(false);
                if (i == 0) {
                    s.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)");
                }
                for (String statement : statements(resource("migrations/" + name))) {
                    s.execute(statement);
                }
                s.execute("INSERT INTO schema_version VALUES (" + (i + 1) + ", '" + name + "', now()::TIMESTAMP)");
                connection.commit();
            } catch (SQLException e) {
                rollbackQuietly();
                throw new StoreException(file + ": cannot upgrade the schema to version " + (i + 1) + ": " + e.getMessage(), e);
            } finally {
                autoCommit();
            }
        }
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the original failure is what the user needs to see
        }
    }

    private void autoCommit() {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            throw new StoreException(file + ": " + e.getMessage(), e);
        }
    }

    static List<String> statements(String script) {
        StringBuilder sql = new StringBuilder();
        for (String line : script.split("\n")) {
            int comment = line.indexOf("--");
            sql.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
        }
        return java.util.Arrays.stream(sql.toString().split(";"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    static String resource(String name) {
        try (InputStream in = Store.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The most memory DuckDB may use for a reader's queries before it spills to {@link #SPILL}:
     * {@code $DMARCQ_MEMORY} (DuckDB's units, e.g. {@code 1GB}) when set.
     */
    static final String READER_MEMORY = System.getenv().getOrDefault("DMARCQ_MEMORY", "1GB");

    /** {@link #READER_MEMORY} in bytes, or -1 when it is not a size this class can read (DuckDB then judges it). */
    private static final long READER_CAP = bytes(READER_MEMORY);

    /**
     * What a reader starts with: 192 MB, or four times the file for a larger one, at most
     * {@link #READER_CAP}. A small limit makes most questions faster (they touch less memory); one
     * that needs more gets it from {@link #withMemory}. Measured on months of 1M and 10M records:
     * with less, their largest steps ran out of memory and ran again (a quarter second at 1M, a
     * second of ten at 10M); with more, the 1M answers took more memory and no less time.
     */
    private static long startingMemory(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            size = 0;
        }
        return Math.min(READER_CAP, Math.max(192_000_000L, 4 * size));
    }

    /** A size in DuckDB's units (KB, MB, GB, TB by 1000; KiB, MiB, GiB, TiB by 1024; B), or -1. */
    static long bytes(String size) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([kmgt]i?b|b)?\\s*")
                .matcher(size);
        if (!m.matches()) {
            return -1;
        }
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(java.util.Locale.ROOT);
        int power = "bkmgt".indexOf(unit.charAt(0));
        double base = unit.contains("i") ? 1024 : 1000;
        return (long) (Double.parseDouble(m.group(1)) * Math.pow(base, power));
    }

    /** Work on the connection that can be run again from the start: a query, or a statement that replaces what it makes. */
    public interface Rerunnable<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work}; when DuckDB runs out of a reader's memory, again with twice the memory, up
     * to {@code $DMARCQ_MEMORY}. Past that, the failure is thrown ({@link #problem} words it).
     */
    public <T> T withMemory(Rerunnable<T> work) throws SQLException {
        while (true) {
            try {
                return work.run();
            } catch (SQLException e) {
                if (memory <= 0 || memory >= READER_CAP || !outOfMemory(e)) {
                    throw e;
                }
                memory = Math.min(READER_CAP, memory * 2);
                try (Statement s = connection.createStatement()) {
                    s.execute("SET memory_limit = '" + memory / 1_000_000 + "MB'");
                }
            }
        }
    }

    private static boolean outOfMemory(SQLException e) {
        return e.getMessage() != null && firstLine(e.getMessage()).contains("Out of Memory Error");
    }

    /**
     * A query's failure in words a user can act on: DuckDB's first line, or for memory it could not
     * get, how to give it more.
     */
    public static String problem(SQLException e) {
        String first = firstLine(e.getMessage());
        if (outOfMemory(e)) {
            return "the question needs more memory than DuckDB may use here (DMARCQ_MEMORY=" + READER_MEMORY
                    + "): give it more, e.g. DMARCQ_MEMORY=2GB, or ask for fewer rows with --limit";
        }
        return first;
    }

    /**
     * Where a reader's queries and an ingest's stage spill what does not fit their memory: a folder of this
     * process's own (DuckDB clears a temporary folder it starts with), removed when empty.
     */
    static final Path SPILL = Path.of(System.getProperty("java.io.tmpdir"), "dmarcq-spill-" + ProcessHandle.current().pid());

    /** The settings of every DuckDB dmarcq opens. */
    private static Properties settings() {
        Properties properties = new Properties();
        // Extensions must never be fetched: only those built in (parquet, json, icu) exist offline.
        properties.setProperty("autoinstall_known_extensions", "false");
        properties.setProperty("autoload_known_extensions", "false");
        return properties;
    }

    /**
     * An in-memory DuckDB that holds at most {@code limit} (DuckDB's units) and spills the rest to
     * {@link #SPILL}: a reader's, or an ingest's stage. Whoever closes it calls {@link #removeSpill}.
     */
    static DuckDBConnection inMemory(String limit) throws SQLException {
        Properties properties = settings();
        properties.setProperty("memory_limit", limit);
        properties.setProperty("temp_directory", SPILL.toString());
        return (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", properties);
    }

    /** Removes {@link #SPILL} once no database of this process spills there any more. */
    static void removeSpill() {
        try {
            Files.deleteIfExists(SPILL);
        } catch (IOException | SecurityException notEmptyOrNotOurs) {
            // another database of this process still spills there, or DuckDB left a file: it goes with the next close
        }
    }

    /**
     * A connection to the file. A reader's is an in-memory database with the file attached read-only
     * under the name DuckDB would give it: there the temporary tables of a question can spill to
     * disk, so that its memory stays bounded (a file opened read-only cannot spill them). Its limit
     * is {@code memory} bytes, or {@link #READER_MEMORY} as written when that is 0.
     */
    private static DuckDBConnection connect(Path file, boolean readOnly, Wait wait, long memory) {
        try {
            if (!readOnly) {
                Properties properties = settings();
                return Locks.retry(file, wait,
                        () -> (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), properties));
            }
            DuckDBConnection connection = inMemory(memory > 0 ? memory / 1_000_000 + "MB" : READER_MEMORY);
            try {
                String name = '"' + catalogName(file).replace("\"", "\"\"") + '"';
                // a statement per attempt: the driver closes one whose statement failed
                Locks.retry(file, wait, () -> {
                    try (Statement s = connection.createStatement()) {
                        return s.execute("ATTACH '" + file.toAbsolutePath().toString().replace("'", "''") + "' AS " + name
                                + " (READ_ONLY)");
                    }
                });
                try (Statement s = connection.createStatement()) {
                    s.execute("USE " + name);
                }
                return connection;
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(file + ": cannot open the database: " + firstLine(e.getMessage()), e);
        }
    }

    /** The catalog name DuckDB gives a file it opens: its name without the extension (another when that is taken). */
    private static String catalogName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return stem.isEmpty() || List.of("memory", "temp", "system", "main").contains(stem.toLowerCase(java.util.Locale.ROOT))
                ? "dmarcq" : stem;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        String first = nl < 0 ? message : message.substring(0, nl);
        // the driver wraps a statement's failure in this line, the cause on the next
        if (first.contains("unsuccessful or closed pending query result") && nl >= 0) {
            String rest = message.substring(nl + 1).replaceFirst("^Error: ", "");
            int end = rest.indexOf('\n');
            return end < 0 ? rest : rest.substring(0, end);
        }
        return first;
    }

    @Override
    public void close() {
        try {
            connection.close();
            if (readOnly) {
                removeSpill();
            }
        } catch (SQLException e) {
            throw new StoreException(file + ": cannot close the database: " + e.getMessage(), e);
        }
    }
}
