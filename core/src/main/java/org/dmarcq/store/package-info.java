/**
 * The DuckDB database: {@link org.dmarcq.store.Store} opens it and keeps its schema current (SQL
 * migrations under {@code resources/org/dmarcq/store/migrations}); {@link org.dmarcq.store.ReportLoader}
 * bulk-loads reports through the Appender, each report whole or absent. The tables are documented in
 * {@code docs/schema.md}.
 */
package org.dmarcq.store;
