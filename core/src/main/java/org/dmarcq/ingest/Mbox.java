package org.dmarcq.ingest;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Splits an mbox file into its messages as streams, one at a time, without holding a message in
 * memory. A message starts at a line beginning "From " that follows an empty line (or the start
 * of the file). Quoted ">From " lines are unquoted (mboxrd).
 */
final class Mbox {
    private final BufferedInputStream in;
    private boolean started;
    private boolean eof;
    private Message current;

    Mbox(InputStream in) {
        this.in = new BufferedInputStream(in, 64 * 1024);
    }

    /** The next message, or null after the last. Any unread rest of the previous message is skipped. */
    InputStream next() throws IOException {
        if (current != null) {
            current.skipRest();
            current = null;
        }
        if (!started) {
            started = true;
            byte[] fromLine = readLine();
            if (fromLine == null) {
                return null;
            }
        } else if (eof) {
            return null;
        }
        current = new Message();
        return current;
    }

    private byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                break;
            }
        }
        if (b < 0 && line.size() == 0) {
            eof = true;
            return null;
        }
        if (b < 0) {
            eof = true;
        }
        return line.toByteArray();
    }

    private static boolean isBlank(byte[] line) {
        return line.length == 1 && line[0] == '\n' || line.length == 2 && line[0] == '\r' && line[1] == '\n';
    }

    private static boolean startsWithFrom(byte[] line, int offset) {
        return line.length >= offset + 5 && line[offset] == 'F' && line[offset + 1] == 'r' && line[offset + 2] == 'o'
                && line[offset + 3] == 'm' && line[offset + 4] == ' ';
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

        private boolean advance() throws IOException {
            if (done) {
                return false;
            }
            if (held != null) {
                byte[] next = readLine();
                if (next == null || startsWithFrom(next, 0)) {
                    done = true; // the blank line belonged to the separator
                    return false;
                }
                line = held;
                held = next;
                position = 0;
                if (!isBlank(held)) {
                    line = concat(line, unquote(held));
                    held = null;
                }
                return true;
            }
            byte[] next = readLine();
            if (next == null) {
                done = true;
                return false;
            }
            if (isBlank(next)) {
                held = next;
                return advance();
            }
            line = unquote(next);
            position = 0;
            return true;
        }

        private byte[] unquote(byte[] l) {
            int quotes = 0;
            while (quotes < l.length && l[quotes] == '>') {
                quotes++;
            }
            if (quotes > 0 && startsWithFrom(l, quotes)) {
                byte[] out = new byte[l.length - 1];
                System.arraycopy(l, 1, out, 0, out.length);
                return out;
            }
            return l;
        }

        private byte[] concat(byte[] a, byte[] b) {
            byte[] out = new byte[a.length + b.length];
            System.arraycopy(a, 0, out, 0, a.length);
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
