package org.dmarcq.report;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Canonical text form of IP addresses (RFC 5952 for IPv6). Never touches DNS. */
public final class IpAddresses {
    private IpAddresses() {}

    /**
     * The canonical form of an IPv4 or IPv6 literal: IPv4 dotted decimal, IPv6 lowercase and
     * compressed, IPv4-mapped IPv6 ({@code ::ffff:192.0.2.1}) as the IPv4 address. Null when the
     * text is not an IP address.
     */
    public static String canonical(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        int zone = t.indexOf('%');
        if (zone >= 0) {
            t = t.substring(0, zone);
        }
        if (t.indexOf(':') < 0) {
            return ipv4(t);
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            boolean ok = c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return null;
            }
        }
        InetAddress address;
        try {
            // Safe: the text is a literal (hex digits, colons, dots), so no name lookup happens.
            address = InetAddress.getByName(t);
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        if (address instanceof Inet6Address) {
            return compress(address.getAddress());
        }
        return null;
    }

    private static String ipv4(String t) {
        int[] parts = new int[4];
        int part = 0;
        int digits = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '.') {
                if (digits == 0 || ++part > 3) {
                    return null;
                }
                digits = 0;
            } else if (c >= '0' && c <= '9' && digits < 3) {
                parts[part] = parts[part] * 10 + (c - '0');
                digits++;
            } else {
                return null;
            }
        }
        if (part != 3 || digits == 0 || parts[0] > 255 || parts[1] > 255 || parts[2] > 255 || parts[3] > 255) {
            return null;
        }
        boolean canonical = true;
        for (int i = 0; i + 1 < t.length(); i++) {
            // a leading zero ("010") is the only way canonical text differs from valid input
            if (t.charAt(i) == '0' && (i == 0 || t.charAt(i - 1) == '.') && t.charAt(i + 1) != '.') {
                canonical = false;
            }
        }
        return canonical ? t : parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3];
    }

    /** RFC 5952 section 4: lowercase, no leading zeros, the longest run (2+) of zero groups as "::". */
    private static String compress(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}
