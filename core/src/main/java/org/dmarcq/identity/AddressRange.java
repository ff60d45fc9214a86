package org.dmarcq.identity;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.dmarcq.report.IpAddresses;

/** An address range in CIDR notation, IPv4 or IPv6; a bare address is a range of one. */
public record AddressRange(byte[] network, int bits) {
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
    public boolean contains(byte[] address) {
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

    /**
     * The first or last address of the range as the key of the {@code ip_key} SQL macro: '4' or
     * '6', then the address in fixed-width hexadecimal.
     */
    public String key(boolean last) {
        StringBuilder sb = new StringBuilder(network.length * 2 + 1).append(network.length == 4 ? '4' : '6');
        for (int i = 0; i < network.length; i++) {
            int kept = Math.max(0, Math.min(8, bits - i * 8)); // bits of this byte inside the prefix
            int mask = kept == 0 ? 0 : (0xff << (8 - kept)) & 0xff;
            int b = network[i] & mask;
            if (last) {
                b |= ~mask & 0xff;
            }
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 15, 16));
        }
        return sb.toString();
    }

    /** The address's bytes, or null when it is not an IP address. */
    public static byte[] bytes(String canonicalIp) {
        try {
            return IpAddresses.canonical(canonicalIp) == null ? null : InetAddress.getByName(canonicalIp).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
