package org.dmarcq.cli.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into statements at the semicolons that are not inside a string, a quoted name
 * or a comment; lines that start with a dot between statements are dot commands.
 */
final class Statements {
    private Statements() {}

    /** One statement (without its semicolon) or dot command, and the line (from 1) it starts on. */
    record Input(String text, int line) {
        boolean isDotCommand() {
            return text.startsWith(".");
        }
    }

    /** The statements and dot commands of a script; text after the last semicolon is a statement too. */
    static List<Input> script(String text) {
        List<Input> inputs = new ArrayList<>();
        int line = 1;
        int start = 0;
        int startLine = 1;
        boolean blank = true;
        Scanner scanner = new Scanner(text);
        while (scanner.pos < text.length()) {
            if (blank && scanner.state == State.CODE && atLineStart(text, scanner.pos)) {
                int end = text.indexOf('\n', scanner.pos);
                String rest = text.substring(scanner.pos, end < 0 ? text.length() : end).strip();
                if (rest.startsWith(".")) {
                    inputs.add(new Input(rest, line));
                    scanner.pos = end < 0 ? text.length() : end + 1;
                    line++;
                    start = scanner.pos;
                    continue;
                }
            }
            char c = text.charAt(scanner.pos);
            boolean code = scanner.state == State.CODE;
            boolean ends = scanner.step();
            if (c == '\n') {
                line++;
            }
            if (blank && code && !Character.isWhitespace(c) && c != ';' && !scanner.inComment()) {
                blank = false;
                startLine = line;
            }
            if (ends) {
                String statement = meaningful(text.substring(start, scanner.pos - 1));
                if (statement != null) {
                    inputs.add(new Input(statement, startLine));
                }
                start = scanner.pos;
                blank = true;
            }
        }
        String last = meaningful(text.substring(start));
        if (last != null) {
            inputs.add(new Input(last, startLine));
        }
        return inputs;
    }

    /** Whether the text, typed at the prompt, is ready to run: a dot command, or SQL ended by a semicolon. */
    static boolean isComplete(String text) {
        String t = text.strip();
        if (t.isEmpty() || t.startsWith(".")) {
            return true;
        }
        Scanner scanner = new Scanner(text);
        int lastEnd = -1;
        while (scanner.pos < text.length()) {
            if (scanner.step()) {
                lastEnd = scanner.pos;
            }
        }
        return lastEnd >= 0 && meaningful(text.substring(lastEnd)) == null;
    }

    private static final java.util.regex.Pattern REFUSED = java.util.regex.Pattern.compile(
            "(?<![a-z0-9_$])(enable_logging(?![a-z0-9_$])|(query|query_table)\\s*\\()");

    /**
     * What in the statement dmarcq refuses to run, or null: DuckDB's {@code enable_logging}, a
     * call that the locked configuration does not stop (logging to a file that the lock-down
     * forbids aborts the process at the next statement), and {@code query()} and
     * {@code query_table()}, which run SQL from a string past any check of the text. Strings count
     * (they may be SQL to run), comments do not.
     */
    static String refused(String statement) {
        StringBuilder text = new StringBuilder(statement.length());
        Scanner scanner = new Scanner(statement);
        while (scanner.pos < statement.length()) {
            char c = statement.charAt(scanner.pos);
            State before = scanner.state;
            scanner.step();
            boolean comment = before == State.LINE_COMMENT || before == State.BLOCK_COMMENT || scanner.inComment();
            text.append(comment ? ' ' : Character.toLowerCase(c));
        }
        java.util.regex.Matcher m = REFUSED.matcher(text);
        return m.find() ? (m.group(1).startsWith("enable_logging") ? "enable_logging" : m.group(2) + "()") : null;
    }

    /** The statement without surrounding blanks, or null when it is only blanks and comments. */
    private static String meaningful(String text) {
        Scanner scanner = new Scanner(text);
        boolean any = false;
        while (scanner.pos < text.length()) {
            char c = text.charAt(scanner.pos);
            State before = scanner.state;
            scanner.step();
            if (before == State.CODE && scanner.state == State.CODE && !Character.isWhitespace(c)
                    || before == State.CODE && (scanner.state == State.STRING || scanner.state == State.NAME)) {
                any = true;
            }
        }
        return any ? text.strip() : null;
    }

    private static boolean atLineStart(String text, int pos) {
        for (int i = pos - 1; i >= 0; i--) {
            char c = text.charAt(i);
            if (c == '\n') {
                return true;
            }
            if (!Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    private enum State { CODE, STRING, NAME, LINE_COMMENT, BLOCK_COMMENT }

    /** Walks SQL text character by character, knowing whether it is in a string, name or comment. */
    private static final class Scanner {
        private final String text;
        int pos;
        State state = State.CODE;

        Scanner(String text) {
            this.text = text;
        }

        boolean inComment() {
            return state == State.LINE_COMMENT || state == State.BLOCK_COMMENT;
        }

        /** Moves past one character (two for a comment's delimiters); true when it ended a statement. */
        boolean step() {
            char c = text.charAt(pos++);
            char next = pos < text.length() ? text.charAt(pos) : 0;
            switch (state) {
                case CODE -> {
                    if (c == ';') {
                        return true;
                    } else if (c == '\'') {
                        state = State.STRING;
                    } else if (c == '"') {
                        state = State.NAME;
                    } else if (c == '-' && next == '-') {
                        state = State.LINE_COMMENT;
                        pos++;
                    } else if (c == '/' && next == '*') {
                        state = State.BLOCK_COMMENT;
                        pos++;
                    }
                }
                case STRING -> {
                    if (c == '\'' && next == '\'') {
                        pos++;
                    } else if (c == '\'') {
                        state = State.CODE;
                    }
                }
                case NAME -> {
                    if (c == '"' && next == '"') {
                        pos++;
                    } else if (c == '"') {
                        state = State.CODE;
                    }
                }
                case LINE_COMMENT -> {
                    if (c == '\n') {
                        state = State.CODE;
                    }
                }
                case BLOCK_COMMENT -> {
                    if (c == '*' && next == '/') {
                        state = State.CODE;
                        pos++;
                    }
                }
            }
            return false;
        }
    }
}
