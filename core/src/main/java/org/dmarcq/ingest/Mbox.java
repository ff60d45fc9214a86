package org.dmarcq.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits an mbox file into its messages as streams, one at a time, without holding a message (or
 * a line of one) in memory: lines are read in chunks of at most {@link #CHUNK} bytes.
 *
 * <p>A message starts at a line beginning "From " that follows an empty line (or starts the file)
 * and is followed by a header field: in the mboxo format, "From " lines inside bodies are not
 * quoted, and one that is not followed by a header is body text, not a new message. A "From "
 * line in the full form of a separator ({@code From sender Thu Nov  6 10:00:00 2025}) followed by
 * a header field starts a message even without the empty line before it. Quoted
 * {@code >From } lines lose one {@code >} (mboxrd).
 */
final class Mbox {
    /** Longest piece of a line held at once; longer lines are passed on in pieces. */
    static final int CHUNK = 64 * 1024;
    /** How far ahead the line after a "From " line is looked at, to tell a separator from body text. */
    private static final int PEEK = 1024;

    private final BufferedInputStream in;
    private boolean started;
    private boolean eof;
    /** The last piece read did not end its line: the next piece continues it. */
    private boolean midLine;
    private Message current;

    Mbox(InputStream in) {
        this.in = new BufferedInputStream(in, CHUNK + PEEK);
    }

    /** The next message, or null after the last. Any unread rest of the previous message is skipped. */
    InputStream next() throws IOException {
        if (current != null) {
            current.skipRest();
            current = null;
        }
        if (!started) {
            started = true;
            if (readPiece() == null) {
                return null; // the file's first line is the first message's "From " line
            }
            skipRestOfLine();
        } else if (eof) {
            return null;
        }
        current = new Message();
        return current;
    }

    /** The next piece of a line: the whole line with its end when it is short, else up to {@link #CHUNK} bytes. */
    private byte[] readPiece() throws IOException {
        byte[] piece = new byte[Math.min(CHUNK, 256)];
        int n = 0;
        int b;
        while ((b = in.read()) >= 0) {
            if (n == piece.length) {
                piece = Arrays.copyOf(piece, Math.min(CHUNK, piece.length * 2));
            }
            piece[n++] = (byte) b;
            if (b == '\n' || n == CHUNK) {
                break;
            }
        }
        if (n == 0) {
            eof = true;
            return null;
        }
        if (b < 0) {
            eof = true;
        }
        midLine = b != '\n' && b >= 0;
        return Arrays.copyOf(piece, n);
    }

    private void skipRestOfLine() throws IOException {
        while (midLine && readPiece() != null) {
            // the rest of a long "From " line
        }
    }

    private static boolean isBlank(byte[] line) {
        return line.length == 1 && line[0] == '\n' || line.length == 2 && line[0] == '\r' && line[1] == '\n';
    }

    private static boolean startsWithFrom(byte[] line, int offset) {
        return line.length >= offset + 5 && line[offset] == 'F' && line[offset + 1] == 'r' && line[offset + 2] == 'o'
                && line[offset + 3] == 'm' && line[offset + 4] == ' ';
    }

    /**
     * A whole "From " line in a form mbox writers give it: {@code From sender Thu Nov  6 10:00:00 2025},
     * or with an RFC 5322 date, {@code From sender Thu, 06 Nov 2025 10:00:00 +0000}.
     */
    private static final String MONTH = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
    private static final java.util.regex.Pattern ENVELOPE = java.util.regex.Pattern.compile(
            "From \\S+ +(Mon|Tue|Wed|Thu|Fri|Sat|Sun),? +(" + MONTH + " +\\d{1,2} +\\d{1,2}:\\d\\d(:\\d\\d)?\\b.*\\b\\d{4}\\b"
                    + "|\\d{1,2} +" + MONTH + " +\\d{4} +\\d{1,2}:\\d\\d(:\\d\\d)?\\b).*\\r?\\n");

    private static boolean isEnvelopeLine(byte[] line) {
        return line[line.length - 1] == '\n'
                && ENVELOPE.matcher(new String(line, java.nio.charset.StandardCharsets.ISO_8859_1)).matches();
    }

    /** Whether the line the stream is at looks like a header field ({@code Name: value}), without consuming it. */
    private boolean headerFollows() throws IOException {
        in.mark(PEEK);
        try {
            int length = 0;
            for (int b; length < PEEK && (b = in.read()) >= 0; length++) {
                if (b == ':') {
                    return length > 0;
                }
                if (b <= ' ' || b >= 127) {
                    return false; // header names are printable ASCII without blanks
                }
            }
            return false;
        } finally {
            in.reset();
        }
    }

    /** One message: its lines up to the next "From " separator line. */
    private final class Message extends InputStream {
        private byte[] line;
        private int position;
        private byte[] held; // a blank line that may be the separator's
        private boolean done;

        @Override
        public int read() throws IOException {
            while (true) {
                if (line != null && position < line.length) {
                    return line[position++] & 0xff;
                }
                if (!advance()) {
                    return -1;
                }
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n = 0;
            while (n < len) {
                if (line == null || position >= line.length) {
                    if (n > 0 && in.available() == 0) {
                        break;
                    }
                    if (!advance()) {
                        break;
                    }
                    continue;
                }
                int chunk = Math.min(len - n, line.length - position);
                System.arraycopy(line, position, b, off + n, chunk);
                position += chunk;
                n += chunk;
            }
            return n == 0 ? -1 : n;
        }

        /** Moves to the next piece of the message; false at its end. */
        private boolean advance() throws IOException {
            if (done) {
                return false;
            }
            boolean lineStart = !midLine;
            byte[] next = readPiece();
            if (next == null) {
                done = true;
                return false;
            }
            if (!lineStart) {
                line = next; // the rest of a long line: never a separator
            } else if (held != null) {
                if (startsWithFrom(next, 0) && headerFollowsLine()) {
                    done = true; // the blank line belonged to the separator
                    return false;
                }
                line = held;
                held = null;
                if (isBlank(next) && !midLine) {
                    held = next;
                } else {
                    line = concat(line, unquote(next));
                }
            } else if (isBlank(next) && !midLine) {
                held = next;
                return advance();
            } else if (startsWithFrom(next, 0) && isEnvelopeLine(next) && headerFollowsLine()) {
                done = true; // a separator line that a careless writer put right after the last line of a message
                return false;
            } else {
                line = unquote(next);
            }
            position = 0;
            return true;
        }

        /** After a "From " piece: whether a header field starts the next line (a long "From " line is skipped first). */
        private boolean headerFollowsLine() throws IOException {
            if (midLine) {
                return false; // a "From " line longer than a chunk is no separator
            }
            return headerFollows();
        }

        private byte[] unquote(byte[] l) {
            int quotes = 0;
            while (quotes < l.length && l[quotes] == '>') {
                quotes++;
            }
            if (quotes > 0 && startsWithFrom(l, quotes)) {
                return Arrays.copyOfRange(l, 1, l.length);
            }
            return l;
        }

        private byte[] concat(byte[] a, byte[] b) {
            byte[] out = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }

        void skipRest() throws IOException {
            while (advance()) {
                position = line.length;
            }
        }
    }
}
