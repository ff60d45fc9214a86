package org.dmarcq.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.dmarcq.analysis.Scope;
import org.dmarcq.identity.DnsResolver;
import org.dmarcq.identity.ReverseDnsCache;
import org.dmarcq.identity.ReverseName;
import org.dmarcq.rules.PublicSuffixList;
import org.dmarcq.store.Store;
import org.dmarcq.store.StoreException;
import org.dmarcq.store.Wait;
import picocli.CommandLine.Option;

/** {@code --offline}, {@code --dns SERVER}: whether and where reverse DNS is looked up before names are shown. */
final class DnsOptions {
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final int PARALLELISM = 16;
    static final Duration RETRY_FAILED_AFTER = Duration.ofDays(1);

    @Option(names = "--offline", description = "Look nothing up: use only the reverse DNS already in the database and the service map.")
    boolean offline;

    @Option(names = "--dns", paramLabel = "SERVER",
            description = "The DNS server for reverse lookups: an IP address, with :PORT if not 53 (default: the system's).")
    String server;

    /** Whether reverse DNS is looked up at all (not {@code --offline}). */
    boolean looksUp() {
        return !offline;
    }

    /** Where SPF records are looked up: the server of --dns, or the system's. */
    org.dmarcq.spf.ResolverDns spfResolver() {
        try {
            return server == null ? org.dmarcq.spf.ResolverDns.system(TIMEOUT) : org.dmarcq.spf.ResolverDns.at(address(server), TIMEOUT);
        } catch (java.io.IOException e) {
            throw new UserException("no DNS resolver configured on this machine; use --dns SERVER, --zone FILE or --offline");
        }
    }

    /** The server SPF records are looked up at, in words. */
    String serverName() {
        return server == null ? "the system's DNS server" : server;
    }

    /**
     * Looks up the addresses of the scope that the database has no reverse DNS for, and keeps the
     * names: the file is read, then held only to store them. On a terminal, progress goes to
     * {@code err}; when lookups time out, one line says so. Returns how many were looked up.
     */
    int refresh(Path file, Wait wait, PublicSuffixList list, Scope scope, PrintWriter err) {
        if (offline) {
            return 0;
        }
        DnsResolver resolver;
        try {
            resolver = server == null ? DnsResolver.system(TIMEOUT) : DnsResolver.at(address(server), TIMEOUT);
        } catch (UnknownHostException e) {
            throw new UserException("no DNS resolver configured on this machine; use --dns SERVER or --offline");
        }
        List<String> ips;
        try (Store reader = Store.openReadOnly(file, wait)) {
            ips = ReverseDnsCache.missing(reader, scope == null ? null : scope.domain(), scope == null ? null : scope.since(),
                    scope == null ? null : scope.until(), RETRY_FAILED_AFTER);
        }
        if (ips.isEmpty()) {
            return 0;
        }
        boolean terminal = org.dmarcq.cli.output.HumanWriter.stderrIsTerminal();
        ReverseDnsCache.Lookups lookups = ReverseDnsCache.lookUp(ips, resolver, PARALLELISM, (done, total) -> {
            if (terminal && (done % 100 == 0 || done == total)) {
                err.printf(Locale.ROOT, "\rreverse DNS: %,d of %,d addresses", done, total);
                err.flush();
            }
        });
        if (terminal) {
            err.print("\r\033[K");
            err.flush();
        }
        if (lookups.gaveUp()) {
            err.printf(Locale.ROOT, "dmarcq: reverse DNS: no answer from %s to the first %,d lookups: names only from earlier"
                    + " runs; --offline skips the lookups%n", server == null ? "the system's DNS server" : server,
                    lookups.names().size());
        } else if (lookups.unanswered() > 0) {
            err.printf(Locale.ROOT, "dmarcq: reverse DNS: %,d of %,d lookups timed out (tried again tomorrow); --offline skips"
                    + " the lookups%n", lookups.unanswered(), ips.size());
        }
        err.flush();
        List<ReverseName> keep = lookups.gaveUp() ? List.of() : lookups.names();
        try (Store writer = Store.open(file, wait)) {
            ReverseDnsCache.save(writer, keep, list);
        } catch (StoreException e) {
            err.println("dmarcq: reverse DNS names not kept (" + e.getMessage() + "); they are looked up again next time");
            err.flush();
        }
        return keep.size();
    }

    private static InetSocketAddress address(String text) {
        String host = text.strip();
        int port = 53;
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(':') == colon) { // host:port, not a bare IPv6 address
            try {
                port = Integer.parseInt(host.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw UserException.usage("--dns '" + text + "': expected SERVER or SERVER:PORT, a port from 1 to 65535");
            }
            host = host.substring(0, colon);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (org.dmarcq.report.IpAddresses.canonical(host) == null) {
            throw UserException.usage("--dns '" + text + "': expected the server's IP address");
        }
        return new InetSocketAddress(host, port);
    }
}
