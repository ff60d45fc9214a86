package org.dmarcq.cli;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.dmarcq.identity.DnsResolver;
import org.dmarcq.identity.ReverseDnsCache;
import org.dmarcq.store.Store;
import picocli.CommandLine.Option;

/** {@code --offline}, {@code --dns SERVER}: whether and where reverse DNS is looked up before names are shown. */
final class DnsOptions {
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final int PARALLELISM = 16;
    static final Duration RETRY_FAILED_AFTER = Duration.ofDays(1);

    @Option(names = "--offline", description = "Look nothing up: use only the reverse DNS already in the database and the service map.")
    boolean offline;

    @Option(names = "--dns", paramLabel = "SERVER[:PORT]", description = "The DNS server for reverse lookups (default: the system's).")
    String server;

    /** Looks up the addresses the database has no reverse DNS for; returns how many were looked up. */
    int refresh(Store store) {
        if (offline) {
            return 0;
        }
        DnsResolver resolver;
        try {
            resolver = server == null ? DnsResolver.system(TIMEOUT) : DnsResolver.at(address(server), TIMEOUT);
        } catch (UnknownHostException e) {
            throw new UserException("no DNS resolver configured on this machine; use --dns SERVER or --offline");
        }
        return ReverseDnsCache.refresh(store, resolver, PARALLELISM, RETRY_FAILED_AFTER);
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
