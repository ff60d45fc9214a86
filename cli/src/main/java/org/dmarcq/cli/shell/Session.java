package org.dmarcq.cli.shell;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The database a shell runs on: one connection held for the session, or one opened for each use
 * (a read-only shell holds the file only while a statement runs, so that an ingest can store
 * between statements).
 */
@FunctionalInterface
public interface Session {
    /** Runs {@code work} on a connection to the database. */
    void run(Work work) throws SQLException;

    /** What runs on the connection. */
    interface Work {
        void on(Connection connection) throws SQLException;
    }

    /** A session on one connection, held throughout. */
    static Session of(Connection connection) {
        return work -> work.on(connection);
    }
}
