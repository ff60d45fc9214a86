package org.dmarcq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.dmarcq.cli.shell.Shell;
import org.dmarcq.ingest.Ingest;
import org.dmarcq.store.Store;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Every query of docs/queries.md runs, read-only, on the fixtures and answers with rows. */
class QueriesTest {
    private static final Pattern QUERY = Pattern.compile("^## (.+?)\\n.*?```sql\\n(.*?)```", Pattern.DOTALL | Pattern.MULTILINE);

    @TempDir static Path temp;
    private static Path db;

    @BeforeAll
    static void ingest() throws Exception {
        db = temp.resolve("q.duckdb");
        List<String> fixtures = new ArrayList<>();
        for (String folder : List.of("testdata/reports", "testdata/tls")) {
            try (Stream<Path> files = Files.list(Path.of(folder))) {
                fixtures.addAll(files.map(Path::toString).sorted().toList());
            }
        }
        try (Store store = Store.open(db); Statement s = store.connection().createStatement()) {
            Ingest.into(store).run(fixtures);
            // as if dmarcq senders had looked it up
            s.execute("INSERT INTO reverse_dns VALUES ('209.85.220.41', 'mail-f41.google.com', true, NULL, TIMESTAMP '2025-11-06')");
            // as if dmarcq spf had looked the records up twice, and the record had changed between
            s.execute("INSERT INTO spf_snapshots VALUES (1, TIMESTAMP '2025-11-06', '192.0.2.53'), (2, TIMESTAMP '2025-11-07', '192.0.2.53')");
            s.execute("INSERT INTO spf_snapshot_domains VALUES (1, 'example.com', 'v=spf1 ip4:192.0.2.0/24 -all', 'valid', 0, true),"
                    + " (2, 'example.com', 'v=spf1 include:_spf.google.com -all', 'valid', 4, true)");
            s.execute("INSERT INTO spf_dns_answers VALUES (1, 'example.com', 'TXT', 'ok', 0, 'v=spf1 ip4:192.0.2.0/24 -all', NULL),"
                    + " (2, 'example.com', 'TXT', 'ok', 0, 'v=spf1 include:_spf.google.com -all', NULL)");
        }
    }

    @TestFactory
    Stream<DynamicTest> everyQueryAnswers() throws Exception {
        String cookbook = Files.readString(Path.of("docs/queries.md"));
        List<DynamicTest> tests = new ArrayList<>();
        Matcher m = QUERY.matcher(cookbook);
        while (m.find()) {
            String title = m.group(1);
            String sql = m.group(2);
            tests.add(DynamicTest.dynamicTest(title, () -> {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                try (Store store = Store.openReadOnly(db)) {
                    int status = new Shell(org.dmarcq.cli.shell.Session.of(store.connection()), db.toString(), true, new PrintWriter(out), new PrintWriter(err))
                            .script(".mode csv\n" + sql, title);
                    assertThat(status).as(err.toString()).isZero();
                }
                assertThat(out.toString().lines().count()).as("a header and at least one row:\n" + out).isGreaterThan(1);
            }));
        }
        assertThat(tests).as("the cookbook's queries").hasSizeGreaterThanOrEqualTo(15);
        return tests.stream();
    }
}
