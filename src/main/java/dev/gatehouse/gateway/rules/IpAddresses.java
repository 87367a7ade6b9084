package dev.gatehouse.gateway.rules;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Strict IP literal parsing for addresses in documents. Never touches DNS. Refuses what is ambiguous or
 * cannot be written into a PROXY header: IPv4 octets with leading zeros (octal to some parsers) and IPv6
 * zone ids.
 */
public final class IpAddresses {

    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern FQDN = Pattern.compile(
            "(?=.{1,253}\\.?$)[A-Za-z0-9_]([-A-Za-z0-9_]{0,61}[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([-A-Za-z0-9_]{0,61}[A-Za-z0-9_])?)*\\.?");

    private IpAddresses() {}

    /** The address, or {@code null} when the text is not a strict IPv4 or IPv6 literal. */
    public static InetAddress parse(String text) {
        if (text == null || text.indexOf('%') >= 0) {
            return null;
        }
        boolean v4 = IPV4.matcher(text).matches();
        if (!v4 && !NetUtil.isValidIpV6Address(text)) {
            return null;
        }
        try {
            return InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(text));
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * The one text of an address: dotted quad for IPv4 (an IPv4-mapped IPv6 address included), RFC 5952
     * for IPv6; {@code null} when the text is not a strict literal.
     */
    public static String canonical(String text) {
        InetAddress parsed = parse(text);
        if (parsed == null) {
            return null;
        }
        return parsed instanceof Inet4Address ? parsed.getHostAddress() : NetUtil.toAddressString(parsed);
    }

    public static boolean isFqdn(String text) {
        return text != null
                && FQDN.matcher(text).matches()
                && parse(text) == null
                && !IPV4_LIKE.matcher(text).matches();
    }

    private static final Pattern IPV4_LIKE = Pattern.compile("[0-9.]+");
}
