package org.dmarcq.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.TimeZone;
import org.dmarcq.cli.output.HumanWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code dmarcq} command: wiring, {@code --debug}, and exceptions turned into exit codes. */
@Command(name = "dmarcq",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "DMARC aggregate reports turned into answers: ingest them into a DuckDB file, then ask.",
        footer = {"",
                "Exit status: 0 success; 1 some input could not be read, or a query or the database failed;",
                "2 wrong usage.",
                "",
                "Examples:",
                "  dmarcq ingest ~/rua/                 read every report under a folder",
                "  dmarcq fetch --config fetch.yaml     read new reports from the IMAP mailbox",
                "  dmarcq senders --failing             the sources that fail DMARC, and why",
                "  dmarcq domains                       pass rate and published policy per domain",
                "  dmarcq whatif --policy quarantine    who would break, and what to fix",
                "  dmarcq readiness                     ready for quarantine? for reject?",
                "  dmarcq unknown                       sending systems not in your inventory",
                "  dmarcq report -o dmarc.html          one HTML page for people: verdicts, charts, what to fix",
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
        if (HumanWriter.stdoutIsTerminal()) {
            out = HumanWriter.forTerminal(out); // standard output is a terminal: even JSON is read by a person
        }
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int status;
        try {
            status = commandLine(out, err, args).execute(args);
        } catch (OutOfMemoryError e) {
            // Errors pass through picocli: one line, never a trace, and never a hang.
            err.println("dmarcq: out of memory; what was stored before is kept. Give Java more heap, e.g."
                    + " DMARCQ_JAVA_OPTS=-Xmx1g, and run it again");
            status = FAILED;
        } catch (StackOverflowError e) {
            err.println("dmarcq: stopped: the input is nested too deeply to process; what was stored before is kept");
            status = FAILED;
        }
        out.flush();
        err.flush();
        if (shuttingDown()) {
            return; // SIGTERM: the JVM is ending already, and System.exit would wait for it forever
        }
        System.exit(status);
    }

    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    /** Whether {@code --debug} was given on the command line parsed, once known. */
    private Boolean debugGiven;

    /**
     * Whether {@code --debug} was given, on dmarcq or on the command run (or a command between).
     * Read from the parse once: picocli builds its parse result anew on every ask, and ingest and
     * fetch ask for every file.
     */
    static boolean debug(CommandLine.Model.CommandSpec spec) {
        CommandLine root = spec.commandLine();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Main main = root.getCommand();
        if (main.debugGiven == null) {
            if (root.getParseResult() == null) {
                return false; // not parsed yet
            }
            boolean given = false;
            for (CommandLine.ParseResult p = root.getParseResult(); p != null; p = p.subcommand()) {
                given |= p.matchedOptionValue("--debug", false);
            }
            main.debugGiven = given;
        }
        return main.debugGiven;
    }

    /** The commands, in the order help lists them. */
    private static final List<Class<?>> COMMANDS = List.of(IngestCommand.class, FetchCommand.class, SendersCommand.class,
            DomainsCommand.class, WhatIfCommand.class, ReadinessCommand.class, ReportCommand.class, UnknownCommand.class,
            InventoryCommand.class, SpfCommand.class, TlsCommand.class, SqlCommand.class, ExportCommand.class, ShellCommand.class,
            CommandLine.HelpCommand.class);

    /** The command line with its writers and every command. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, new String[0]);
    }

    /**
     * The command line for {@code args}: with only the command they name when they name one (picocli
     * takes a quarter second on this machine to model all fifteen, more than a small ingest's work),
     * else with all, for help, suggestions and usage errors. Tests call this in-process.
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, String[] args) {
        CommandLine cli = new CommandLine(new Main());
        Class<?> named = named(args);
        for (Class<?> command : COMMANDS) {
            if (named == null || command == named) {
                cli.addSubcommand(command);
            }
        }
        // Text from reports reaches these writers: they show control characters escaped.
        cli.setOut(HumanWriter.of(out));
        cli.setErr(HumanWriter.of(err));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter w = commandLine.getErr();
            if (debug(commandLine.getCommandSpec())) {
                e.printStackTrace(w);
            }
            // one line, unless an SQL error points at its statement with a caret on the lines below
            String message = message(e);
            w.println("dmarcq: " + (message.startsWith("SQL: ") ? message : HumanWriter.oneLine(message)));
            if (e instanceof UserException u && u.usage()) {
                w.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
                w.flush();
                return commandLine.getCommandSpec().exitCodeOnInvalidInput();
            }
            w.flush();
            return FAILED;
        });
        cli.setParameterExceptionHandler((e, given) -> {
            PrintWriter w = e.getCommandLine().getErr();
            w.println("dmarcq: " + e.getMessage());
            w.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            w.flush();
            return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
        });
        return cli;
    }

    /** The command the first word that is not an option names, or null (none, {@code help}, or not a command). */
    private static Class<?> named(String[] args) {
        for (String arg : args) {
            if (arg.startsWith("-")) {
                continue; // dmarcq's own options take no values
            }
            for (Class<?> command : COMMANDS) {
                Command c = command.getAnnotation(Command.class);
                if (command != CommandLine.HelpCommand.class
                        && (c.name().equals(arg) || Arrays.asList(c.aliases()).contains(arg))) {
                    return command;
                }
            }
            return null;
        }
        return null;
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
