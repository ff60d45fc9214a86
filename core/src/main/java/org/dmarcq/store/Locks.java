package org.dmarcq.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Waiting for DuckDB's file lock: an attempt that fails because another process holds the file is
 * tried again until the {@link Wait} runs out, and the process that holds it is named in dmarcq's
 * words (its command line, read from {@code /proc} where there is one).
 */
final class Locks {
    private static final Pattern HOLDER = Pattern.compile("\\(PID (\\d+)\\)");
    private static final long PAUSE_MILLIS = 50;
    /** How long a wait lasts before the user is told about it. */
    private static final long QUIET_MILLIS = 500;

    private Locks() {}

    /** An attempt to open or attach the file. */
    interface Attempt<T> {
        T run() throws SQLException;
    }

    static boolean isLockConflict(SQLException e) {
        String m = e.getMessage();
        return m != null && m.contains("Could not set lock on file");
    }

    /** Runs the attempt until it gets the file or the wait runs out; other failures are thrown at once. */
    static <T> T retry(Path file, Wait wait, Attempt<T> attempt) throws SQLException {
        long start = System.nanoTime();
        boolean told = false;
        while (true) {
            try {
                return attempt.run();
            } catch (SQLException e) {
                if (!isLockConflict(e)) {
                    throw e;
                }
                long waited = (System.nanoTime() - start) / 1_000_000;
                String holder = holder(e.getMessage());
                if (waited >= wait.most().toMillis()) {
                    String waitedFor = wait.most().isZero() ? "" : " and was not free within " + seconds(wait.most().toMillis());
                    throw new StoreException(file + ": in use by " + holder + waitedFor + "; try again when it ends"
                            + wait.hint(), e);
                }
                if (!told && waited >= QUIET_MILLIS) {
                    wait.waiting().accept(file + ": in use by " + holder + "; waiting up to " + seconds(wait.most().toMillis()));
                    told = true;
                }
                try {
                    Thread.sleep(PAUSE_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new StoreException(file + ": interrupted while waiting for " + holder, interrupted);
                }
            }
        }
    }

    private static String seconds(long millis) {
        long s = Math.max(1, Math.round(millis / 1000.0));
        return s + (s == 1 ? " second" : " seconds");
    }

    /** The process DuckDB says holds the lock, as "another dmarcq (PID 1234: dmarcq shell)", or "another program". */
    static String holder(String message) {
        Matcher m = message == null ? null : HOLDER.matcher(message);
        if (m == null || !m.find()) {
            return "another program";
        }
        String pid = m.group(1);
        String command = command(Path.of("/proc", pid, "cmdline"));
        if (command == null) {
            return "another program (PID " + pid + ")";
        }
        return (command.startsWith("dmarcq") ? "another dmarcq" : "another program") + " (PID " + pid + ": " + command + ")";
    }

    /** A process's command in a few words: "dmarcq shell --write" for dmarcq, else the program's name. */
    static String command(Path cmdline) {
        List<String> args = new ArrayList<>();
        try {
            for (String a : Files.readString(cmdline, StandardCharsets.UTF_8).split("\0")) {
                if (!a.isEmpty()) {
                    args.add(a);
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (args.isEmpty()) {
            return null;
        }
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.endsWith("dmarcq.jar") || a.equals("org.dmarcq.cli.Main")) {
                StringBuilder sb = new StringBuilder("dmarcq");
                for (String rest : args.subList(i + 1, args.size())) {
                    if (rest.startsWith("-") && !rest.equals("--write")) {
                        continue;
                    }
                    if (rest.contains("/") || rest.contains(".")) {
                        continue; // file names and option values: not what the user needs to know
                    }
                    sb.append(' ').append(rest);
                    if (sb.length() > 40) {
                        break;
                    }
                }
                return sb.toString();
            }
        }
        return Path.of(args.get(0)).getFileName().toString();
    }
}
