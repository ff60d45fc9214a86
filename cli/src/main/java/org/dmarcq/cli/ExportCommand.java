package org.dmarcq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dmarcq.cli.output.Format;
import org.dmarcq.cli.output.Lines;
import org.dmarcq.lake.LakeExport;
import org.dmarcq.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "export",
        description = {"Writes the store as Parquet files that Spark, Trino and DuckDB read: one dataset per table under"
                + " DIR/<table>/day=YYYY-MM-DD/, ZSTD-compressed, with record_verdicts (dmarcq's alignment and reason per"
                + " record) materialised. A re-run writes only the reports no run wrote into this lake; a crash at any point"
                + " leaves no partial file where readers look, and the next run finishes or discards it. Several machines may"
                + " write one lake: each file and row carries its writer id; readers deduplicate reports on dedupe_key."},
        mixinStandardHelpOptions = true,
        footer = {"",
                "Examples:",
                "  dmarcq export --parquet /data/dmarc-lake",
                "  dmarcq export --parquet /data/dmarc-lake --since 2026-11-01 --writer ingest-eu-1 --format json"})
final class ExportCommand implements Callable<Integer> {
    @Mixin DatabaseOptions database;
    @Mixin OutputOptions output;

    @Option(names = "--parquet", required = true, paramLabel = "DIR", description = "The lake folder (made when missing).")
    Path lake;

    @Option(names = "--since", paramLabel = "DATE", converter = ScopeOptions.Dates.class,
            description = "Only reports whose period begins on or after this UTC day.")
    LocalDate since;

    @Option(names = "--writer", paramLabel = "NAME",
            description = "This machine's name in the writer id (default: the host name); the id adds the store's own.")
    String writer;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path file = database.existing();
        String version = Main.class.getPackage().getImplementationVersion();
        LakeExport.Summary summary;
        try (Store store = Store.open(file, database.waiting(err))) {
            summary = LakeExport.export(store, lake, since, writer != null ? writer : hostName(), version == null ? "development" : version);
        } catch (IOException e) {
            throw new UserException("export to " + lake + ": " + e.getMessage(), e);
        }
        if (output.format == Format.JSON) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lake", summary.lake().toString());
            m.put("lake_id", summary.lakeId());
            m.put("writer", summary.writer());
            m.put("run_id", summary.runId());
            m.put("reports", summary.reports());
            m.put("tls_reports", summary.tlsReports());
            m.put("records", summary.records());
            m.put("files", summary.files());
            m.put("bytes", summary.bytes());
            m.put("runs_finished", summary.finished());
            m.put("runs_discarded", summary.discarded());
            org.dmarcq.cli.output.ResultPrinter.printJson(out, m);
        } else {
            if (summary.finished() + summary.discarded() > 0) {
                Lines.printf(out, "An earlier export of this writer had stopped: %d finished, %d discarded (its reports are exported"
                        + " now).%n", summary.finished(), summary.discarded());
            }
            Lines.printf(out, "Exported %,d reports (%,d records) and %,d TLS reports to %s as writer %s: %,d files, %,d KB.%n",
                    summary.reports(), summary.records(), summary.tlsReports(), summary.lake(), summary.writer(), summary.files(),
                    (summary.bytes() + 1023) / 1024);
        }
        out.flush();
        return 0;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "dmarcq";
        }
    }
}
