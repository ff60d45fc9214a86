package org.dmarcq.identity;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.dmarcq.report.IpAddresses;

/** An address range in CIDR notation, IPv4 or IPv6; a bare address is a range of one. */
record AddressRange(byte[] network, int bits) {
    static AddressRange parse(String cidr, String where) throws IOException {
        String[] parts = cidr.strip().split("/", 2);
        String ip = IpAddresses.canonical(parts[0]);
        if (ip == null) {
            throw new IOException(where + ": \"" + cidr + "\" is not an address range like 192.0.2.0/24");
        }
        byte[] network = bytes(ip);
        int bits;
        try {
            bits = parts.length == 1 ? network.length * 8 : Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException(where + ": \"" + cidr + "\" is not an address range like 192.0.2.0/24", e);
        }
        if (bits < 0 || bits > network.length * 8) {
            throw new IOException(where + ": \"" + cidr + "\" has a prefix longer than the address");
        }
        return new AddressRange(network, bits);
    }

    boolean contains(String ip) {
        return contains(bytes(ip));
    }

    /** @param address from {@link #bytes}, so that one address is parsed once for many ranges */
    boolean contains(byte[] address) {
        if (address == null || address.length != network.length) {
            return false;
        }
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((address[i / 8] & mask) != (network[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The address's bytes, or null when it is not an IP address. */
    static byte[] bytes(String canonicalIp) {
        try {
            return IpAddresses.canonical(canonicalIp) == null ? null : InetAddress.getByName(canonicalIp).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
