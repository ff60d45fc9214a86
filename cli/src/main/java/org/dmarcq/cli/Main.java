package org.dmarcq.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.TimeZone;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code dmarcq} command: wiring, {@code --debug}, and exceptions turned into exit codes. */
@Command(name = "dmarcq",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "DMARC aggregate reports turned into answers: ingest them into a DuckDB file, then ask.",
        subcommands = {IngestCommand.class, SendersCommand.class, DomainsCommand.class, WhatIfCommand.class, ReadinessCommand.class,
                UnknownCommand.class, InventoryCommand.class, TlsCommand.class, SqlCommand.class, ShellCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"",
                "Exit status: 0 success; 1 some input could not be read, or a query or the database failed;",
                "2 wrong usage.",
                "",
                "Examples:",
                "  dmarcq ingest ~/rua/                 read every report under a folder",
                "  dmarcq senders --failing             the sources that fail DMARC, and why",
                "  dmarcq domains                       pass rate and published policy per domain",
                "  dmarcq whatif --policy quarantine    who would break, and what to fix",
                "  dmarcq readiness                     ready for quarantine? for reject?",
                "  dmarcq unknown                       sending systems not in your inventory",
                "  dmarcq sql \"SELECT org_name, count(*) FROM reports GROUP BY ALL\""})
public final class Main implements Runnable {
    /** Exit status when some input could not be read, or the work could not be done. */
    static final int FAILED = 1;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show stack traces of errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // Every time dmarcq reads or writes is UTC; never let the machine's zone creep in.
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int status = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** The command line with its writers; tests call this in-process. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean debug = parseResult.matchedOptionValue("--debug", false)
                    || parseResult.subcommand() != null && parseResult.subcommand().matchedOptionValue("--debug", false);
            PrintWriter w = commandLine.getErr();
            if (debug) {
                e.printStackTrace(w);
            }
            w.println("dmarcq: " + message(e));
            w.flush();
            return FAILED;
        });
        cli.setParameterExceptionHandler((e, args) -> {
            PrintWriter w = e.getCommandLine().getErr();
            w.println("dmarcq: " + e.getMessage());
            w.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            w.flush();
            return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
        });
        return cli;
    }

    private static String message(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"dmarcq " + (v == null ? "(development build)" : v)};
        }
    }
}
