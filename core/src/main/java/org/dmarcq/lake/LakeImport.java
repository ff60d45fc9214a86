package org.dmarcq.lake;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.TreeSet;
import org.dmarcq.rules.PublicSuffixList;
import org.dmarcq.store.ReportLoader;
import org.dmarcq.store.Store;
import org.dmarcq.store.Wait;

/**
 * Reads a Parquet lake written by {@link LakeExport} (one machine's, or several machines') into a
 * store: each report once, by its identity, whatever writers wrote it and whether the store holds
 * it already; keys renumbered; verdicts derived by this dmarcq. Days are committed in batches of
 * about {@link #COMMIT_RECORDS} records, so that what was read survives an interruption and a
 * re-run goes on, skipping what is stored as duplicates.
 */
public final class LakeImport {
    private LakeImport() {}

    /** Records staged in memory before they are committed: as an ingest's batches. */
    static final long COMMIT_RECORDS = 500_000;

    /**
     * The oldest schema version whose lakes this dmarcq reads: the migrations since changed no
     * table a lake holds (version 11 changed only how verdicts are computed, not what they are).
     * A migration that changes a lake's columns sets this to its own version.
     */
    static final int FIRST_READABLE = 10;

    private static boolean readable(String written, int schema) {
        try {
            int version = Integer.parseInt(written);
            return version >= FIRST_READABLE && version <= schema;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** What was read. */
    public record Summary(int days, long reports, long records, long messages, long tlsReports, long duplicates, long tlsDuplicates) {}

    public static Summary run(Path file, Wait wait, PublicSuffixList list, Path lake) throws IOException {
        Path root = lake.toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("_lake.json"))) {
            throw new IOException(root + ": not a lake written by dmarcq export (no _lake.json)");
        }
        LakeExport.lakeId(root); // a damaged identity is refused here, before anything is read
        int schema;
        try (Store store = Store.open(file, wait)) {
            schema = store.schemaVersion();
        }
        Path versionFile = root.resolve("_schema_version");
        String written = Files.exists(versionFile) ? Files.readString(versionFile).strip() : "?";
        if (!readable(written, schema)) {
            throw new IOException(root + ": written with schema version " + written + "; this dmarcq reads lakes of versions "
                    + FIRST_READABLE + " to " + schema);
        }
        TreeSet<LocalDate> days = new TreeSet<>();
        for (String dataset : List.of("reports", "tls_reports")) {
            Path dir = root.resolve(dataset);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, "day=*")) {
                for (Path p : parts) {
                    try {
                        days.add(LocalDate.parse(p.getFileName().toString().substring(4)));
                    } catch (DateTimeParseException e) {
                        throw new IOException(p + ": not a partition of a day (day=YYYY-MM-DD)", e);
                    }
                }
            }
        }
        long reports = 0;
        long records = 0;
        long messages = 0;
        long tls = 0;
        long duplicates = 0;
        long tlsDuplicates = 0;
        try (ReportLoader loader = ReportLoader.staging(file, wait, list, root)) {
            long staged = 0;
            LocalDate last = days.isEmpty() ? null : days.last();
            for (LocalDate day : days) {
                ReportLoader.LakeRows rows = loader.appendLake(day);
                staged += rows.records() + rows.tlsReports();
                // a commit moves the stage into the file and derives its verdicts: per batch of days, not per day
                if (staged >= COMMIT_RECORDS || day.equals(last)) {
                    loader.commit();
                    staged = 0;
                }
                reports += rows.reports();
                records += rows.records();
                messages += rows.messages();
                tls += rows.tlsReports();
                duplicates += rows.duplicates();
                tlsDuplicates += rows.tlsDuplicates();
            }
            ReportLoader.LateDuplicates late = loader.lateDuplicates();
            reports -= late.reports();
            records -= late.records();
            messages -= late.messages();
            duplicates += late.reports();
            tls -= late.tlsReports();
            tlsDuplicates += late.tlsReports();
        }
        return new Summary(days.size(), reports, records, messages, tls, duplicates, tlsDuplicates);
    }
}
