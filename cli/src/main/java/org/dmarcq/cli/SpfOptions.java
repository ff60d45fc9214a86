package org.dmarcq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.dmarcq.spf.SpfAudit;
import org.dmarcq.spf.SpfDns;
import org.dmarcq.spf.SpfSnapshots;
import org.dmarcq.spf.ZoneFileDns;
import org.dmarcq.store.Store;
import org.dmarcq.store.StoreException;
import picocli.CommandLine.Option;

/**
 * Where the SPF commands get their DNS answers: {@code --zone FILE} (kept nowhere), {@code --offline}
 * (the last snapshot), or DNS ({@code --dns}, the system's), whose answers are kept as a snapshot.
 */
final class SpfOptions {
    @Option(names = "--zone", paramLabel = "FILE",
            description = "Answer the SPF lookups from this zone file (master-file syntax; repeatable) instead of DNS;"
                    + " names it does not hold do not exist. Nothing is kept.")
    List<Path> zones;

    /**
     * The answers, where they come from in words, what to keep afterwards (null: nothing), and the
     * stored snapshots before them, newest first, to compare with.
     */
    record Answers(SpfDns dns, String source, SpfSnapshots.Recording recording, List<SpfSnapshots.Snapshot> earlier) {}

    /** Snapshots compared with: the records as they were these many lookups ago, at most. */
    private static final int EARLIER = 3;

    /** Checks the zone files before the database is opened: a wrong path costs nothing. */
    SpfDns zone() {
        if (zones == null || zones.isEmpty()) {
            return null;
        }
        for (Path z : zones) {
            if (!Files.isReadable(z)) {
                throw new UserException("--zone " + z + ": no such file");
            }
        }
        try {
            return ZoneFileDns.read(zones);
        } catch (IOException e) {
            throw new UserException("--zone: " + e.getMessage());
        }
    }

    Answers answers(SpfDns zone, Store store, DnsOptions dns) {
        if (zone != null || !dns.looksUp()) {
            Answers stored = stored(zone, store);
            if (stored == null) {
                throw new UserException("no SPF records in the database yet: run dmarcq spf once without --offline (it looks them"
                        + " up and keeps them), or give --zone FILE");
            }
            return stored;
        }
        SpfSnapshots.Recording recording = new SpfSnapshots.Recording(dns.spfResolver());
        return new Answers(recording, "DNS (" + dns.serverName() + ")", recording, SpfSnapshots.newest(store, EARLIER));
    }

    /** The answers without DNS: the zone files when given, else the last snapshot; null when there is neither. */
    Answers stored(SpfDns zone, Store store) {
        if (zone != null) {
            return new Answers(zone, "the zone file" + (zones.size() == 1 ? " " + zones.get(0) : "s " + zones), null,
                    SpfSnapshots.newest(store, EARLIER));
        }
        List<SpfSnapshots.Snapshot> snapshots = SpfSnapshots.newest(store, EARLIER + 1);
        if (snapshots.isEmpty()) {
            return null;
        }
        SpfSnapshots.Snapshot snapshot = snapshots.get(0);
        return new Answers(snapshot.dns(), "the records as looked up on "
                + snapshot.takenAt().toString().replace('T', ' ').replaceAll("\\.\\d+$", "") + " UTC from " + snapshot.dnsServer(),
                null, snapshots.subList(1, snapshots.size()));
    }

    /** Keeps what was looked up, unless nothing answered (then the last snapshot stays the latest). */
    static void keep(Answers answers, List<SpfAudit.Result> audits, NamingOptions naming, PrintWriter err) {
        if (answers.recording() == null) {
            return;
        }
        if (!answers.recording().answered()) {
            err.println("dmarcq: spf: no answer from " + naming.dns.serverName() + "; nothing kept (--offline uses the records"
                    + " of the last run)");
            err.flush();
            return;
        }
        try (Store writer = Store.open(naming.database.existing(), naming.database.waiting(err))) {
            SpfSnapshots.save(writer, answers.recording(), naming.dns.serverName(), LocalDateTime.now(ZoneOffset.UTC), audits,
                    naming.suffixes.list());
        } catch (StoreException e) {
            err.println("dmarcq: the SPF records were not kept (" + e.getMessage() + "); they are looked up again next time");
            err.flush();
        }
    }
}
