package dev.gatehouse.net;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A range of IP addresses in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}; a bare address is a range
 * of one). IPv4-mapped IPv6 addresses ({@code ::ffff:10.1.2.3}) are IPv4 addresses, in ranges and in
 * {@link #contains}, so a client that reaches a dual-stack socket over IPv4 matches the IPv4 range it belongs to.
 * Shared by validation (which reports why a text is not a range) and the data plane (which matches clients).
 *
 * @param network the first address of the range (its host bits are zero)
 * @param prefix  the number of leading bits every address of the range shares: 0-32 for IPv4, 0-128 for IPv6
 */
public record AddressRange(InetAddress network, int prefix) {

    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern PREFIX = Pattern.compile("0|[1-9]\\d{0,2}");
    private static final int MAPPED_PREFIX_BITS = 96;

    public AddressRange {
        Objects.requireNonNull(network, "network");
        int max = network.getAddress().length * 8;
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("prefix out of range: " + prefix);
        }
    }

    /**
     * The range a text names, or why it names none.
     *
     * @param text {@code address} or {@code address/prefix}; the address a strict literal (no IPv4 octet with a
     *             leading zero, no IPv6 zone id), the prefix without host bits set beyond it
     * @return the range
     * @throws IllegalArgumentException with a message fit for a user, when the text is no such range
     */
    public static AddressRange parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an address range is needed, like 10.0.0.0/8 or 2001:db8::/32");
        }
        int slash = text.indexOf('/');
        String literal = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes =
                literal.indexOf('%') < 0 && (IPV4.matcher(literal).matches() || NetUtil.isValidIpV6Address(literal))
                        ? NetUtil.createByteArrayFromIpAddressString(literal)
                        : null;
        if (bytes == null) {
            throw new IllegalArgumentException("'" + literal + "' is not an IPv4 or IPv6 address");
        }
        int bits = bytes.length * 8;
        if (slash >= 0) {
            String digits = text.substring(slash + 1);
            if (!PREFIX.matcher(digits).matches() || Integer.parseInt(digits) > bits) {
                throw new IllegalArgumentException(
                        "'" + digits + "' is not a prefix length; use 0-" + bits + " for this address");
            }
            bits = Integer.parseInt(digits);
        }
        if (bytes.length == 16 && isMapped(bytes)) {
            if (bits < MAPPED_PREFIX_BITS) {
                throw new IllegalArgumentException("an IPv4-mapped range needs a prefix of at least 96 bits");
            }
            bytes = Arrays.copyOfRange(bytes, 12, 16);
            bits -= MAPPED_PREFIX_BITS;
        }
        AddressRange range = new AddressRange(address(bytes), bits);
        AddressRange canonical = range.canonical();
        if (!canonical.equals(range)) {
            throw new IllegalArgumentException(
                    "'" + text + "' has host bits set beyond its prefix; did you mean " + canonical.text() + "?");
        }
        return range;
    }

    /** Each text {@link #parse}d, in order; {@code null} is an empty list. */
    public static List<AddressRange> parseAll(List<String> texts) {
        return texts == null
                ? List.of()
                : texts.stream().map(AddressRange::parse).toList();
    }

    /** Whether {@code address} lies in this range; an IPv4-mapped IPv6 address is taken as its IPv4 address. */
    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length == 16 && isMapped(candidate)) {
            candidate = Arrays.copyOfRange(candidate, 12, 16);
        }
        byte[] net = network.getAddress();
        if (candidate.length != net.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (candidate[i] != net[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        return rest == 0 || ((candidate[full] ^ net[full]) & (0xff << (8 - rest))) == 0;
    }

    /** This range with the host bits of its address cleared. */
    private AddressRange canonical() {
        byte[] net = network.getAddress();
        for (int bit = prefix; bit < net.length * 8; bit++) {
            net[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return new AddressRange(address(net), prefix);
    }

    /** {@code address/prefix}, the address as {@link NetUtil#toAddressString} writes it (RFC 5952 for IPv6). */
    public String text() {
        String host = network instanceof Inet4Address ? network.getHostAddress() : NetUtil.toAddressString(network);
        return host + "/" + prefix;
    }

    @Override
    public String toString() {
        return text();
    }

    private static boolean isMapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
