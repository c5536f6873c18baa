package io.keyledger.auth;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A key's address allow-list: IPv4 and IPv6 CIDRs, parsed from literals only (never a name, so never a DNS lookup),
 * and the check of a client address against them. An address that is not a literal is outside every range.
 */
public final class AddressRanges {

    public static final int MAX_RANGES = 20;

    private AddressRanges() {
    }

    /** Why {@code cidrs} cannot be a key's allow-list, or null when it can. */
    public static String problem(List<String> cidrs) {
        if (cidrs.isEmpty() || cidrs.size() > MAX_RANGES) {
            return "Must list 1 to " + MAX_RANGES + " CIDRs";
        }
        Set<String> seen = new HashSet<>();
        for (String cidr : cidrs) {
            if (parse(cidr) == null) {
                return "Not an IPv4 or IPv6 CIDR (such as 10.0.0.0/8 or 2001:db8::/32): " + cidr;
            }
            if (!seen.add(normalized(cidr))) {
                return "CIDRs must be distinct: " + cidr + " is listed twice";
            }
        }
        return null;
    }

    /** The canonical form of a valid CIDR: its network address (host bits cleared) and prefix length. */
    public static String normalized(String cidr) {
        Range range = parse(cidr);
        return InetAddresses.toAddrString(range.network()) + "/" + range.prefix();
    }

    public static List<String> normalized(List<String> cidrs) {
        List<String> out = new ArrayList<>(cidrs.size());
        cidrs.forEach(cidr -> out.add(normalized(cidr)));
        return List.copyOf(out);
    }

    /** True when {@code cidrs} is null (no allow-list) or one of them holds {@code address}. */
    public static boolean allows(List<String> cidrs, String address) {
        if (cidrs == null) {
            return true;
        }
        if (address == null || !InetAddresses.isInetAddress(address)) {
            return false;
        }
        byte[] client = InetAddresses.forString(address).getAddress();
        for (String cidr : cidrs) {
            Range range = parse(cidr);
            if (range != null && range.contains(client)) {
                return true;
            }
        }
        return false;
    }

    private record Range(InetAddress network, int prefix) {
        boolean contains(byte[] address) {
            byte[] net = network.getAddress();
            if (net.length != address.length) {
                return false;
            }
            return masked(address, prefix).equals(masked(net, prefix));
        }
    }

    private static String masked(byte[] address, int prefix) {
        byte[] copy = address.clone();
        for (int i = 0; i < copy.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            copy[i] = (byte) (copy[i] & (0xff << (8 - bits)));
        }
        return java.util.HexFormat.of().formatHex(copy);
    }

    private static Range parse(String cidr) {
        if (cidr == null) {
            return null;
        }
        int slash = cidr.indexOf('/');
        String host = slash < 0 ? cidr : cidr.substring(0, slash);
        if (!InetAddresses.isInetAddress(host)) {
            return null;
        }
        InetAddress address = InetAddresses.forString(host);
        int bits = address.getAddress().length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        if (prefix < 0 || prefix > bits || (slash >= 0 && !cidr.substring(slash + 1).matches("\\d{1,3}"))) {
            return null;
        }
        byte[] net = address.getAddress().clone();
        for (int i = 0; i < net.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            net[i] = (byte) (net[i] & (0xff << (8 - keep)));
        }
        try {
            return new Range(InetAddress.getByAddress(net), prefix);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }
}
