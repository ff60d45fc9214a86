/** The Parquet lake: the store written as hive-partitioned datasets that Spark, Trino and DuckDB read. */
package org.dmarcq.lake;
