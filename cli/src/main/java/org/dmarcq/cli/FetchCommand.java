package org.dmarcq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.dmarcq.cli.output.HumanWriter;
import org.dmarcq.cli.output.ResultPrinter;
import org.dmarcq.fetch.Fetch;
import org.dmarcq.fetch.FetchException;
import org.dmarcq.fetch.FetchListener;
import org.dmarcq.fetch.FetchSummary;
import org.dmarcq.fetch.ImapMailbox;
import org.dmarcq.fetch.MailboxUrl;
import org.dmarcq.ingest.FileOutcome;
import org.dmarcq.ingest.IngestOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "fetch",
        description = {"Read DMARC aggregate reports and SMTP TLS reports from IMAP mailboxes into the database.",
                "Reads the messages that arrived since the last run (a checkpoint per folder is kept in the database),"
                        + " stores every report they hold as ingest does, and only then archives them (--archive), flags"
                        + " them \\Seen (--mark-seen) or leaves them (--leave, the default).",
                "The options (and --db) can also come from --config FILE (YAML; keys are the long option names without"
                        + " their leading dashes: archive, mark-seen, password-file) or from environment variables"
                        + " DMARCQ_FETCH_<OPTION> (DMARCQ_FETCH_ARCHIVE, DMARCQ_FETCH_PASSWORD_FILE); the command line wins,"
                        + " then the environment, then the file.",
                "One fetch at a time per database: a second one waits for the first (--wait)."},
        mixinStandardHelpOptions = true,
        footer = {"",
                "A message that cannot be read gives one line on standard error,",
                "'FOLDER UID n \"subject\": what is wrong', is recorded in the fetch_messages",
                "table and goes to the archive's Invalid folder; the rest goes on.",
                "",
                "Exit status: 0 every message was read; 1 some could not be (see the lines",
                "on standard error); 2 wrong usage, or the mailbox cannot be used (login",
                "refused, certificate not trusted, no such folder): nothing is stored then.",
                "",
                "Examples:",
                "  dmarcq fetch imaps://dmarc%%40example.com@imap.example.com/INBOX \\",
                "      --password-file ~/.dmarcq-pass --archive Reports",
                "  dmarcq fetch imaps://dmarc%%40example.com@outlook.office365.com/INBOX \\",
                "      --oauth2-token-command ~/bin/m365-token --archive Reports",
                "  dmarcq fetch --config /etc/dmarcq/fetch.yaml --watch",
                "",
                "Exchange Online and Gmail need an OAuth2 token command: see docs/mailboxes.md."})
final class FetchCommand implements Callable<Integer> {
    enum SummaryFormat { TEXT, JSON }

    /** The environment variables' prefix: DMARCQ_FETCH_PASSWORD_FILE is --password-file. */
    static final String ENVIRONMENT = "DMARCQ_FETCH_";

    @Mixin DatabaseOptions database;
    @Mixin SuffixOptions suffixes;

    @Parameters(paramLabel = "URL", arity = "0..*",
            description = "Mailboxes to read: imaps://user@host[:port]/FOLDER (implicit TLS, port 993) or imap://... (STARTTLS,"
                    + " port 143); write @ in the user name as %%40.")
    List<String> urls;

    @Option(names = "--host", paramLabel = "HOST", description = "The IMAP server, when no URL is given.")
    String host;
    @Option(names = "--port", paramLabel = "PORT", description = "Its port (default: 993, or 143 with --starttls).")
    Integer port;
    @Option(names = "--user", paramLabel = "USER", description = "The user to log in as, when no URL is given.")
    String user;
    @Option(names = "--starttls", description = "With --host: connect in plain text and require STARTTLS (default: implicit TLS).")
    Boolean starttls;
    @Option(names = "--folder", paramLabel = "FOLDER",
            description = "A folder to read (repeatable; default: the URL's folder, else INBOX).")
    List<String> folders;

    @Option(names = "--archive", paramLabel = "FOLDER",
            description = "Once stored, move messages into FOLDER/Aggregate, FOLDER/TLS or FOLDER/Invalid (created if missing).")
    String archive;
    @Option(names = "--mark-seen", description = "Once stored, flag messages \\Seen.")
    Boolean markSeen;
    @Option(names = "--leave", description = "Leave messages as they are (the default); the checkpoint keeps them from being read twice.")
    Boolean leave;

    @Option(names = "--password-file", paramLabel = "FILE", description = "Read the password from the first line of FILE.")
    Path passwordFile;
    @Option(names = "--password-command", paramLabel = "CMD", description = "Run CMD (with sh -c); its first line of output is the password.")
    String passwordCommand;
    @Option(names = "--oauth2-token-command", paramLabel = "CMD",
            description = "Log in with SASL XOAUTH2: run CMD (with sh -c) at each connection; its output is a fresh access token.")
    String tokenCommand;

    @Option(names = "--ca-file", paramLabel = "FILE",
            description = "Trust only the CA certificates in FILE (PEM) for the server, instead of the system's.")
    Path caFile;
    @Option(names = "--insecure-no-tls",
            description = "With imap:// only: go on in plain text when the server offers no STARTTLS. INSECURE: the password"
                    + " and the reports cross the network readable by anyone on the path.")
    Boolean insecureNoTls;
    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Network timeout (default: 60).")
    Integer timeoutSeconds;

    @Option(names = "--since", paramLabel = "DATE", description = "Only messages received on or after DATE (YYYY-MM-DD).")
    String since;
    @Option(names = "--batch", paramLabel = "N", description = "Messages per batch: downloaded at once, committed at once (default: 500).")
    Integer batch;
    @Option(names = "--retry-invalid", description = "Read the archive's Invalid folder again: what now parses moves to its folder.")
    Boolean retryInvalid;
    @Option(names = "--watch", description = "Keep running: wait for new mail (IDLE, or every --interval) and read it; stop with SIGTERM.")
    Boolean watch;
    @Option(names = "--interval", paramLabel = "SECONDS",
            description = "With --watch: the longest wait between two reads (default: 300); the only one where IDLE is missing"
                    + " or several folders are read.")
    Integer intervalSeconds;
    @Option(names = "--config", paramLabel = "FILE", description = "Read options from this YAML file.")
    Path config;
    @Option(names = "--format", paramLabel = "FORMAT", description = "Summary as text (default) or json: one JSON object on standard output.")
    SummaryFormat format;
    @Option(names = "--max-size", paramLabel = "SIZE", converter = Sizes.class,
            description = "Most bytes one message may decompress to (default: 1g), as for ingest.")
    Long maxSize;

    @Spec CommandSpec spec;

    private JsonNode file;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        file = config == null ? null : readConfig(config);
        for (String name : System.getenv().keySet()) {
            if (name.startsWith(ENVIRONMENT) && !CONFIG_KEYS.contains(name.substring(ENVIRONMENT.length()).toLowerCase(Locale.ROOT)
                    .replace('_', '-'))) {
                throw UserException.usage("$" + name + ": not an option of dmarcq fetch (known: DMARCQ_FETCH_ followed by "
                        + String.join(", ", CONFIG_KEYS.stream().map(k -> k.toUpperCase(Locale.ROOT).replace('-', '_')).toList()) + ")");
            }
        }
        if (database.db == null && configured("db") != null) {
            database.db = Path.of(configured("db"));
        }
        SummaryFormat summaryFormat = pick(format, "format", v -> SummaryFormat.valueOf(v.toUpperCase(Locale.ROOT)), SummaryFormat.TEXT);
        Map<MailboxUrl, List<String>> accounts = accounts();
        Fetch.Options options = options();
        Secret secret = secret(err);
        Path ca = pick(caFile, "ca-file", Path::of, null);
        if (ca != null && !Files.isReadable(ca)) {
            throw UserException.usage("--ca-file " + ca + ": no such file");
        }
        boolean insecure = pickFlag(insecureNoTls, "insecure-no-tls");
        Duration timeout = Duration.ofSeconds(pick(timeoutSeconds, "timeout", Integer::valueOf, 60));
        boolean watching = pickFlag(watch, "watch");
        Duration interval = Duration.ofSeconds(pick(intervalSeconds, "interval", Integer::valueOf, 300));
        if (interval.isNegative() || interval.isZero()) {
            throw UserException.usage("--interval " + interval.toSeconds() + ": expected seconds, 1 or more");
        }
        boolean terminal = HumanWriter.stderrIsTerminal() && summaryFormat == SummaryFormat.TEXT && !watching;

        if (watching && accounts.size() > 1) {
            throw UserException.usage("--watch reads one account; run one dmarcq fetch --watch per account");
        }
        FetchSummary total = null;
        List<FileOutcome> invalid = new ArrayList<>();
        try (Progress progress = terminal ? new Progress() : null) {
            FetchListener listener = listener(progress, err, watching, invalid);
            List<Fetch> running = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread main = Thread.currentThread();
            Thread stop = new Thread(() -> {
                running.forEach(Fetch::stop);
                try {
                    main.join(TimeUnit.SECONDS.toMillis(120));
                } catch (InterruptedException ignored) {
                    // the JVM ends now
                }
            }, "dmarcq-stop");
            Runtime.getRuntime().addShutdownHook(stop);
            try {
                if (accounts.size() > 1) {
                    // a wrong setting for a later account must not leave the first one's mail half read
                    for (Map.Entry<MailboxUrl, List<String>> account : accounts.entrySet()) {
                        try (ImapMailbox m = ImapMailbox.connect(new ImapMailbox.Settings(account.getKey(), secret.login(), secret.value(),
                                ca, insecure, timeout))) {
                            for (String folder : account.getValue()) {
                                m.select(folder, false);
                            }
                        }
                    }
                }
                for (Map.Entry<MailboxUrl, List<String>> account : accounts.entrySet()) {
                    ImapMailbox.Settings settings = new ImapMailbox.Settings(account.getKey(), secret.login(), secret.value(), ca,
                            insecure, timeout);
                    Fetch fetch = new Fetch(() -> ImapMailbox.connect(settings), database.path(), database.waiting(err),
                            suffixes.list(), options, listener);
                    running.add(fetch);
                    if (watching) {
                        err.println(line("watching " + account.getKey().withFolder(null) + " " + account.getValue()
                                + "; SIGTERM stops it after the batch in progress"));
                        err.flush();
                        long[] stored = {0, 0};
                        fetch.watch(account.getValue(), interval, pass -> {
                            stored[0] += pass.reports();
                            stored[1] += pass.tlsReports();
                            if (summaryFormat == SummaryFormat.JSON) {
                                json(pass, out);
                            }
                        });
                        err.println(line("stopped; " + stored[0] + " reports and " + stored[1] + " TLS reports stored while watching"));
                        err.flush();
                        return 0;
                    }
                    FetchSummary one = fetch.once(account.getValue());
                    total = total == null ? one : total.plus(one);
                    if (fetch.stopping()) {
                        break;
                    }
                }
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(stop);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running
                }
            }
            if (progress != null) {
                progress.close();
                for (FileOutcome o : invalid) {
                    report(o, err);
                }
            }
        } catch (FetchException e) {
            err.println("dmarcq: fetch: " + HumanWriter.oneLine(e.getMessage()));
            if (Main.debug(spec)) {
                e.printStackTrace(err);
            }
            err.flush();
            return spec.exitCodeOnInvalidInput();
        }
        if (summaryFormat == SummaryFormat.JSON) {
            json(total, out);
        } else {
            text(total, out);
        }
        return total.problems().isEmpty() ? 0 : Main.FAILED;
    }

    /** Follows the fetch: the bar on a terminal (error lines kept in {@code invalid} until it is gone), else the lines as they come. */
    private FetchListener listener(Progress progress, PrintWriter err, boolean watching, List<FileOutcome> invalid) {
        return new FetchListener() {
            @Override
            public void folderStarted(String folder, int messages) {
                if (progress != null && messages > 0) {
                    progress.start("Fetching " + folder, messages, " messages");
                }
            }

            @Override
            public void messageDone(String folder, long uid, String outcome, FileOutcome ingested) {
                if (progress != null) {
                    progress.fileDone(ingested);
                    if (outcome.equals("invalid")) {
                        invalid.add(ingested);
                    }
                } else {
                    report(ingested, err);
                }
            }

            @Override
            public void batchDone(String folder, FetchSummary batch) {
                if (watching) {
                    err.println(line(String.format(Locale.ROOT, "%s: %d messages: %d stored, %d duplicate, %d invalid; %d reports"
                            + " and %d TLS reports new", folder, batch.read(), batch.stored(), batch.duplicate(), batch.invalid(),
                            batch.reports(), batch.tlsReports())));
                    err.flush();
                }
            }

            @Override
            public void note(String line) {
                err.println(line(line));
                err.flush();
            }
        };
    }

    /** A log line: the time, then the text (one line: it may carry a folder name the server chose). */
    private static String line(String text) {
        return "dmarcq: fetch: " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + HumanWriter.oneLine(text);
    }

    private void report(FileOutcome outcome, PrintWriter err) {
        SummaryLines.problems(outcome, err, Main.debug(spec));
        err.flush();
    }

    /** Accounts to connect to, each with its folders, from the URLs or --host/--user. */
    private Map<MailboxUrl, List<String>> accounts() {
        List<String> given = urls != null && !urls.isEmpty() ? urls : strings("url");
        List<String> extraFolders = folders != null && !folders.isEmpty() ? folders : strings("folder");
        Map<MailboxUrl, List<String>> accounts = new LinkedHashMap<>();
        if (given.isEmpty()) {
            String h = pickString(host, "host");
            String u = pickString(user, "user");
            if (h == null || u == null) {
                throw UserException.usage("which mailbox? give imaps://user@host/FOLDER, or --host and --user");
            }
            boolean plain = pickFlag(starttls, "starttls");
            int p = pick(port, "port", Integer::valueOf, plain ? 143 : 993);
            MailboxUrl account = new MailboxUrl(!plain, u, h.toLowerCase(Locale.ROOT), p, null);
            accounts.put(account, new ArrayList<>(extraFolders.isEmpty() ? List.of("INBOX") : extraFolders));
            return accounts;
        }
        for (String text : given) {
            MailboxUrl url;
            try {
                url = MailboxUrl.parse(text);
            } catch (IllegalArgumentException e) {
                throw UserException.usage(e.getMessage());
            }
            List<String> list = accounts.computeIfAbsent(url.withFolder(null), k -> new ArrayList<>());
            if (url.folder() != null && !list.contains(url.folder())) {
                list.add(url.folder());
            }
        }
        for (List<String> list : accounts.values()) {
            for (String f : extraFolders) {
                if (!list.contains(f)) {
                    list.add(f);
                }
            }
            if (list.isEmpty()) {
                list.add("INBOX");
            }
        }
        return accounts;
    }

    private Fetch.Options options() {
        // one setting in three options: given on the command line, the environment's and the file's do not count
        boolean onCommandLine = archive != null || markSeen != null || leave != null;
        String archiveFolder = onCommandLine ? archive : pickString(null, "archive");
        boolean seen = onCommandLine ? Boolean.TRUE.equals(markSeen) : pickFlag(null, "mark-seen");
        boolean left = onCommandLine ? Boolean.TRUE.equals(leave) : pickFlag(null, "leave");
        if ((archiveFolder != null ? 1 : 0) + (seen ? 1 : 0) + (left ? 1 : 0) > 1) {
            throw UserException.usage("--archive, --mark-seen and --leave exclude each other: give one");
        }
        Fetch.After after = archiveFolder != null ? Fetch.After.ARCHIVE : seen ? Fetch.After.MARK_SEEN : Fetch.After.LEAVE;
        boolean retry = pickFlag(retryInvalid, "retry-invalid");
        if (retry && archiveFolder == null) {
            throw UserException.usage("--retry-invalid reads the archive's Invalid folder: give --archive FOLDER");
        }
        int n = pick(batch, "batch", Integer::valueOf, 500);
        if (n < 1) {
            throw UserException.usage("--batch " + n + ": expected a number of messages, 1 or more");
        }
        String sinceText = pickString(since, "since");
        LocalDate from;
        try {
            from = sinceText == null ? null : LocalDate.parse(sinceText);
        } catch (DateTimeParseException e) {
            throw UserException.usage("--since " + sinceText + ": expected a date, YYYY-MM-DD");
        }
        long most = pick(maxSize, "max-size", v -> new Sizes().convert(v), 1L << 30);
        return new Fetch.Options(after, archiveFolder, n, from, retry, IngestOptions.defaults().withMaxBytes(most));
    }

    /** How to log in, and the password or token, asked for at each connection (a token command gives a fresh one). */
    private record Secret(ImapMailbox.Login login, Supplier<String> value) {}

    private Secret secret(PrintWriter err) {
        boolean onCommandLine = passwordFile != null || passwordCommand != null || tokenCommand != null;
        Path pf = onCommandLine ? passwordFile : pick(null, "password-file", Path::of, null);
        String pc = onCommandLine ? passwordCommand : pickString(null, "password-command");
        String tc = onCommandLine ? tokenCommand : pickString(null, "oauth2-token-command");
        int given = (pf != null ? 1 : 0) + (pc != null ? 1 : 0) + (tc != null ? 1 : 0);
        if (given == 0) {
            throw UserException.usage("how to log in? give --password-file FILE, --password-command CMD or --oauth2-token-command CMD");
        }
        if (given > 1) {
            throw UserException.usage("--password-file, --password-command and --oauth2-token-command exclude each other: give one");
        }
        if (pf != null) {
            if (!Files.isReadable(pf)) {
                throw UserException.usage("--password-file " + pf + ": no such file");
            }
            warnIfReadableByOthers(pf, err);
            return new Secret(ImapMailbox.Login.PASSWORD, () -> {
                try {
                    return firstLine(Files.readString(pf, StandardCharsets.UTF_8), "--password-file " + pf);
                } catch (IOException e) {
                    throw new FetchException("--password-file " + pf + ": " + e.getMessage(), e);
                }
            });
        }
        String command = pc != null ? pc : tc;
        String option = pc != null ? "--password-command" : "--oauth2-token-command";
        return new Secret(pc != null ? ImapMailbox.Login.PASSWORD : ImapMailbox.Login.XOAUTH2,
                () -> firstLine(SecretCommand.run(command, option), option));
    }

    private static String firstLine(String text, String what) {
        String line = text.lines().findFirst().orElse("").strip();
        if (line.isEmpty()) {
            throw new FetchException(what + ": it gave nothing (expected the secret on its first line)", null);
        }
        return line;
    }

    private static void warnIfReadableByOthers(Path file, PrintWriter err) {
        try {
            if (Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_READ)) {
                err.println("dmarcq: fetch: warning: " + file + " can be read by every user of this machine (chmod 600 it)");
                err.flush();
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // not a POSIX file system: nothing to say
        }
    }

    private static JsonNode readConfig(Path path) {
        if (!Files.isRegularFile(path)) {
            throw UserException.usage("--config " + path + ": no such file");
        }
        try {
            JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(path.toFile());
            if (node == null || node.isMissingNode() || node.isNull()) {
                return null;
            }
            if (!node.isObject()) {
                throw UserException.usage("--config " + path + ": expected options as 'name: value' lines");
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!CONFIG_KEYS.contains(name)) {
                    throw UserException.usage("--config " + path + ": unknown option '" + name + "' (known: " + String.join(", ", CONFIG_KEYS)
                            + ")");
                }
            }
            return node;
        } catch (IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getOriginalMessage() != null
                    ? j.getOriginalMessage().lines().findFirst().orElse("")
                    + (j.getLocation() != null ? " (line " + j.getLocation().getLineNr() + ")" : "")
                    : String.valueOf(e.getMessage());
            throw UserException.usage("--config " + path + ": not YAML: " + HumanWriter.oneLine(why));
        }
    }

    static final List<String> CONFIG_KEYS = List.of("db", "url", "host", "port", "user", "starttls", "folder", "archive", "mark-seen", "leave",
            "password-file", "password-command", "oauth2-token-command", "ca-file", "insecure-no-tls", "timeout", "since", "batch",
            "retry-invalid", "watch", "interval", "format", "max-size");

    /** An option's value: the command line's, else the environment's, else the config file's, else {@code otherwise}. */
    private <T> T pick(T given, String name, java.util.function.Function<String, T> parse, T otherwise) {
        if (given != null) {
            return given;
        }
        String text = configured(name);
        if (text == null) {
            return otherwise;
        }
        try {
            return parse.apply(text);
        } catch (NumberFormatException e) {
            throw UserException.usage(name + " " + text + ": expected a number");
        } catch (IllegalArgumentException e) {
            throw UserException.usage(name + " " + text + ": " + e.getMessage());
        }
    }

    private String pickString(String given, String name) {
        return pick(given, name, v -> v, null);
    }

    private boolean pickFlag(Boolean given, String name) {
        return pick(given, name, v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off", "" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        }, false);
    }

    /** The environment's or the config file's value of an option, as text. */
    private String configured(String name) {
        String env = System.getenv(ENVIRONMENT + name.toUpperCase(Locale.ROOT).replace('-', '_'));
        if (env != null && !env.isBlank()) {
            return env;
        }
        if (file != null && file.has(name) && !file.get(name).isNull()) {
            JsonNode v = file.get(name);
            return v.isArray() ? (v.size() == 0 ? null : v.get(0).asText()) : v.asText();
        }
        return null;
    }

    /** A list option from the environment (separated by spaces) or the config file (a list or one value). */
    private List<String> strings(String name) {
        String env = System.getenv(ENVIRONMENT + name.toUpperCase(Locale.ROOT).replace('-', '_'));
        if (env != null && !env.isBlank()) {
            return List.of(env.strip().split("\\s+"));
        }
        if (file == null || !file.has(name) || file.get(name).isNull()) {
            return List.of();
        }
        JsonNode v = file.get(name);
        List<String> values = new ArrayList<>();
        if (v.isArray()) {
            v.forEach(e -> values.add(e.asText()));
        } else {
            values.add(v.asText());
        }
        return values;
    }

    private static void text(FetchSummary s, PrintWriter out) {
        Object[][] lines = {
                {"folders read", s.folders()},
                {"messages read", s.read()},
                {"  stored", s.stored()},
                {"  duplicate", s.duplicate()},
                {"  invalid", s.invalid()},
                {"reports new", s.reports()},
                {"duplicates", s.duplicateReports()},
                {"records", s.records()},
                {"messages", s.messages()},
        };
        SummaryLines.counts(out, lines);
        SummaryLines.tls(out, s.tlsReports(), s.tlsSessions());
        if (s.warnings() > 0) {
            out.printf(Locale.ROOT, "%-18s %,12d   (query the warnings and tls_warnings tables)%n", "warnings", s.warnings());
        }
        out.flush();
    }

    /** The contract of {@code fetch --format json}: see docs/cli.md. */
    private static void json(FetchSummary s, PrintWriter out) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("folders", s.folders());
        summary.put("messages_read", s.read());
        summary.put("messages_stored", s.stored());
        summary.put("messages_duplicate", s.duplicate());
        summary.put("messages_invalid", s.invalid());
        summary.put("reports", s.reports());
        summary.put("duplicates", s.duplicateReports());
        summary.put("records", s.records());
        summary.put("messages", s.messages());
        summary.put("warnings", s.warnings());
        summary.put("tls_reports", s.tlsReports());
        summary.put("tls_sessions", s.tlsSessions());
        summary.put("errors", SummaryLines.errors(s.problems()));
        ResultPrinter.printJson(out, summary);
    }
}
