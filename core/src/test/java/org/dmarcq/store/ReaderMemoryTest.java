package org.dmarcq.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reader starts with little memory and gets more when a question needs it. */
class ReaderMemoryTest {
    @TempDir Path temp;

    @Test
    void aStatementThatRunsOutOfMemoryRunsAgainWithMore() throws Exception {
        Path file = temp.resolve("m.duckdb");
        Store.open(file).close();
        try (Store reader = Store.openReadOnly(file)) {
            reader.restrictForQuestions();
            try (Statement s = reader.connection().createStatement()) {
                s.execute("SET memory_limit = '8MB'"); // far below what the sort needs
            }
            String sort = "CREATE OR REPLACE TEMP TABLE sorted AS SELECT i, md5(i::VARCHAR) AS h FROM range(3000000) t(i) ORDER BY h";
            int[] attempts = {0};
            reader.withMemory(() -> {
                attempts[0]++;
                try (Statement s = reader.connection().createStatement()) {
                    return s.execute(sort);
                }
            });
            assertThat(attempts[0]).as("the first attempt ran out of memory").isGreaterThan(1);
            try (Statement s = reader.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM sorted")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(3_000_000);
            }
        }
    }

    @Test
    void otherFailuresAreNotRunAgain() throws Exception {
        Path file = temp.resolve("m.duckdb");
        Store.open(file).close();
        try (Store reader = Store.openReadOnly(file)) {
            int[] attempts = {0};
            assertThatThrownBy(() -> reader.withMemory(() -> {
                attempts[0]++;
                try (Statement s = reader.connection().createStatement()) {
                    return s.execute("SELECT * FROM no_such_table");
                }
            })).isInstanceOf(SQLException.class);
            assertThat(attempts[0]).isEqualTo(1);
        }
    }

    @Test
    void sizesAreReadInDuckDbUnits() {
        assertThat(Store.bytes("512MB")).isEqualTo(512_000_000L);
        assertThat(Store.bytes("1GB")).isEqualTo(1_000_000_000L);
        assertThat(Store.bytes("2GiB")).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThat(Store.bytes(" 1.5 gb ")).isEqualTo(1_500_000_000L);
        assertThat(Store.bytes("100000")).isEqualTo(100_000L);
        assertThat(Store.bytes("lots")).isEqualTo(-1);
    }
}
