package org.dmarcq.spf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/**
 * {@link SpfDns} from zone files in master-file syntax (RFC 1035 §5, as dnsjava reads it): to try
 * a record before publishing it, and to answer offline. Names the files do not hold are NXDOMAIN;
 * a name they hold without the type asked for has no records.
 */
public final class ZoneFileDns implements SpfDns {
    private final Map<String, List<Record>> records = new HashMap<>();

    private ZoneFileDns() {}

    /** The largest zone file read: far more than a domain's SPF records and what they include need. */
    static final long MAX_BYTES = 16_000_000;

    /**
     * Reads the files; an unreadable line is an error naming the file and line. {@code $INCLUDE}
     * is refused (it would read any file the user can): each file is given with its own option.
     */
    public static ZoneFileDns read(List<Path> files) throws IOException {
        ZoneFileDns dns = new ZoneFileDns();
        for (Path file : files) {
            if (!java.nio.file.Files.isRegularFile(file)) {
                throw new IOException(file + ": not a file");
            }
            if (java.nio.file.Files.size(file) > MAX_BYTES) {
                throw new IOException(file + ": " + java.nio.file.Files.size(file) + " bytes; a zone file of at most " + MAX_BYTES
                        + " is read");
            }
            List<String> lines = java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).stripLeading().regionMatches(true, 0, "$INCLUDE", 0, 8)) {
                    throw new IOException(file + ":" + (i + 1) + ": $INCLUDE is not followed; give each zone file with its own --zone");
                }
            }
            try (Master master = new Master(file.toString())) {
                for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
                    dns.records.computeIfAbsent(key(r.getName()), k -> new ArrayList<>()).add(r);
                }
            } catch (TextParseException e) {
                // dnsjava says "name:line: what"; the line and what, after the path as given
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^.*?:(\\d+): (.*)$", java.util.regex.Pattern.DOTALL)
                        .matcher(String.valueOf(e.getMessage()));
                throw new IOException(m.matches() ? file + ":" + m.group(1) + ": " + m.group(2) : file + ": " + e.getMessage(), e);
            }
        }
        return dns;
    }

    private static String key(Name name) {
        return name.toString().toLowerCase(Locale.ROOT);
    }

    @Override
    public Answer lookup(String name, Type type) {
        List<Record> held;
        try {
            held = records.get(key(ResolverDns.queryName(name, type)));
        } catch (TextParseException | IllegalArgumentException e) {
            return Answer.NXDOMAIN;
        }
        return held == null ? Answer.NXDOMAIN : Answer.of(ResolverDns.values(held, type));
    }
}
