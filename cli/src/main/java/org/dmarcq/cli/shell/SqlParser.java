package org.dmarcq.cli.shell;

import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.DefaultParser;

/**
 * Tells JLine when a typed statement is complete (a dot command, or SQL ended by {@code ;}), so
 * Enter before that continues on a new line, and splits words for completion at anything that
 * cannot be part of a name ({@code count(source_} completes {@code source_}).
 */
final class SqlParser extends DefaultParser {
    SqlParser() {
        setQuoteChars(new char[0]);
        setEscapeChars(new char[0]);
    }

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
        if (context == ParseContext.ACCEPT_LINE && !Statements.isComplete(line)) {
            throw new EOFError(-1, cursor, "statement not ended by ;");
        }
        return super.parse(line, cursor, context);
    }

    @Override
    public boolean isDelimiterChar(CharSequence buffer, int pos) {
        char c = buffer.charAt(pos);
        return !(Character.isLetterOrDigit(c) || c == '_' || c == '.');
    }
}
