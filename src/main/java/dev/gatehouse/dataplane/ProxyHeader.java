package dev.gatehouse.dataplane;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * PROXY protocol version 1 headers (haproxy's doc/proxy-protocol.txt, section 2.1), written byte by
 * byte rather than with Netty's encoder, which fails on UNKNOWN and writes zone ids. What real receivers
 * (nginx, HAProxy, go-proxyproto) accept: single spaces, canonical address text (RFC 5952 for IPv6,
 * dotted quad without leading zeros for IPv4), no zone ids, decimal ports, CRLF, at most 107 bytes.
 * An IPv4-mapped IPv6 address is sent as the IPv4 address it maps, so a dual-stack listener reports
 * IPv4 clients as TCP4.
 */
public final class ProxyHeader {

    private static final byte[] UNKNOWN = "PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII);

    /** The longest v1 header the spec allows, CRLF included. */
    public static final int MAX_LENGTH = 107;

    /** The header a health probe sends: the client is unknown. Exactly 15 bytes, a copy of its own. */
    public static byte[] unknown() {
        return UNKNOWN.clone();
    }

    private ProxyHeader() {}

    /** The header text for a connection from {@code source} to {@code destination}. */
    public static String text(InetSocketAddress source, InetSocketAddress destination) {
        InetAddress src = unmapped(source.getAddress());
        InetAddress dst = unmapped(destination.getAddress());
        boolean v4 = src instanceof Inet4Address && dst instanceof Inet4Address;
        return new StringBuilder(MAX_LENGTH)
                .append(v4 ? "PROXY TCP4 " : "PROXY TCP6 ")
                .append(v4 ? src.getHostAddress() : v6Text(src))
                .append(' ')
                .append(v4 ? dst.getHostAddress() : v6Text(dst))
                .append(' ')
                .append(source.getPort())
                .append(' ')
                .append(destination.getPort())
                .append("\r\n")
                .toString();
    }

    /** The header in a new buffer owned by the caller, who must write or release it. */
    public static ByteBuf encode(ByteBufAllocator alloc, InetSocketAddress source, InetSocketAddress destination) {
        String text = text(source, destination);
        ByteBuf buf = alloc.directBuffer(text.length());
        buf.writeCharSequence(text, StandardCharsets.US_ASCII);
        return buf;
    }

    /** Java already maps most IPv4-mapped addresses to Inet4Address; this catches the rest. */
    static InetAddress unmapped(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = b[i] == 0;
            }
            if (mapped) {
                try {
                    return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException impossible) {
                    throw new IllegalStateException(impossible);
                }
            }
        }
        return address;
    }

    /** RFC 5952 text without a zone id; an IPv4 address (only when the other side is IPv6) is mapped. */
    private static String v6Text(InetAddress address) {
        if (address instanceof Inet4Address) {
            return "::ffff:" + address.getHostAddress();
        }
        return NetUtil.toAddressString(address);
    }
}
