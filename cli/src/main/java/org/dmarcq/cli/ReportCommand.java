package org.dmarcq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dmarcq.analysis.Disposition;
import org.dmarcq.analysis.Overview;
import org.dmarcq.analysis.Proposal;
import org.dmarcq.analysis.Readiness;
import org.dmarcq.analysis.Scope;
import org.dmarcq.analysis.Wording;
import org.dmarcq.cli.output.Lines;
import org.dmarcq.html.ReportPage;
import org.dmarcq.spf.SpfDns;
import org.dmarcq.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "report",
        description = {"Writes one self-contained HTML page for people: per domain the readiness verdict and next step, the"
                + " pass rate and the volume per sending system per day as charts, who would break under the proposed policy"
                + " explained for the owner of each system, senders to confirm, forwarders, spoofing, the SPF inventory and"
                + " the MTA-STS verdict where the database has them, and what it all rests on.",
                "The page needs nothing else: no request leaves it when it is opened, from a web server or as a file."
                        + " With --per-system, also one short page per sending system that needs action, to forward to its owner."},
        mixinStandardHelpOptions = true,
        footer = {"",
                "Examples:",
                "  dmarcq report -o dmarc.html",
                "  dmarcq report --domain example.com --policy reject --per-system owners/ -o owners/index.html",
                "  dmarcq report --since 2026-11-01 --zone spf.zone"})
final class ReportCommand implements Callable<Integer> {
    enum Policy { QUARANTINE, REJECT }

    @Mixin NamingOptions namingOptions;
    @Mixin ScopeOptions scope;
    @Mixin SpfOptions spf;

    @Option(names = "--policy", paramLabel = "POLICY", defaultValue = "quarantine",
            description = "The policy whose effects the page explains: quarantine or reject (default: ${DEFAULT-VALUE}).")
    Policy policy;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "dmarcq-report.html",
            description = "The page to write (default: ${DEFAULT-VALUE}); replaced whole when it is complete.")
    Path output;

    @Option(names = "--per-system", paramLabel = "DIR",
            description = "Also write one page per sending system that needs action into DIR, linked from the overview.")
    Path perSystem;

    @Spec CommandSpec spec;

    /** Days of TLS reports for an MTA-STS verdict: the default of {@code dmarcq tls whatif}. */
    private static final int TLS_MIN_DAYS = 7;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (Files.isDirectory(output)) {
            throw UserException.usage("-o " + output + ": is a folder; give the file to write, e.g. " + output.resolve("report.html"));
        }
        if (perSystem != null && Files.exists(perSystem) && !Files.isDirectory(perSystem)) {
            throw UserException.usage("--per-system " + perSystem + ": is a file; give a folder (it is made when missing)");
        }
        Scope asked = scope.toScope();
        SpfDns zone = spf.zone();
        Proposal proposal = Proposal.of(Disposition.of(policy.name()));
        Overview overview;
        try (Store store = namingOptions.openForReport(asked, err)) {
            SpfOptions.Answers answers = spf.stored(zone, store); // the report looks nothing up: what the database keeps
            overview = Overview.collect(store, asked, proposal, Readiness.Thresholds.defaults(), namingOptions.classes(),
                    namingOptions.naming(), answers == null ? null : answers.dns(), answers == null ? null : answers.source(),
                    answers == null ? List.of() : answers.earlier(), TLS_MIN_DAYS);
        }
        String version = Main.class.getPackage().getImplementationVersion();
        ReportPage.Written written;
        try {
            written = ReportPage.write(overview, new ReportPage.About(version == null ? "(development build)" : version, Instant.now(),
                    namingOptions.database.path().getFileName().toString()), output, perSystem);
        } catch (IOException e) {
            throw new UserException("cannot write the report: " + e.getMessage(), e);
        }
        long size;
        try {
            size = Files.size(written.overview());
        } catch (IOException e) {
            size = -1;
        }
        Lines.printf(out, "Wrote %s (%s, %s)%s.%n", output, size < 0 ? "?" : String.format(Locale.ROOT, "%,d KB", (size + 1023) / 1024),
                Wording.count(overview.domains().size(), "domain"), written.ownerPages().isEmpty() ? ""
                        : " and " + Wording.count(written.ownerPages().size(), "page") + " for owners in " + perSystem);
        Lines.println(out, "Open it in a browser: " + output.toAbsolutePath().normalize().toUri());
        out.flush();
        return 0;
    }
}
