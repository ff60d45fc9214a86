package org.dmarcq.cli;

import org.dmarcq.cli.output.Format;
import picocli.CommandLine.Option;

/** {@code --format table|csv|json}. */
final class OutputOptions {
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default), csv, or json (see docs/cli.md for the fields).")
    Format format;
}
