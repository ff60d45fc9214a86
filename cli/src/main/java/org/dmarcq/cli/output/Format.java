package org.dmarcq.cli.output;

/** How a command prints its rows: an aligned table for people, CSV or JSON for programs. */
public enum Format {
    TABLE, CSV, JSON
}
