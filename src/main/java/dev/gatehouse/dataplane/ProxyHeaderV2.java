package dev.gatehouse.dataplane;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * PROXY protocol version 2 headers (haproxy's doc/proxy-protocol.txt, section 2.2), written byte by byte: the
 * 12-byte signature, version 2 with the PROXY command, TCP over IPv4 ({@code 0x11}, 12 address bytes) or over
 * IPv6 ({@code 0x21}, 36 address bytes), then the TLVs (section 2.2.1 onwards) in the order given, and last
 * the optional CRC32C TLV computed over the whole header with its own value zeroed (section 2.2.3, RFC 4960
 * appendix B, as {@link CRC32C} computes it). The length field is exact: receivers such as HAProxy reject a
 * TLV that runs past it. Addresses follow {@link ProxyHeader}'s rule: both IPv4 (an IPv4-mapped IPv6 address
 * counts as its IPv4 address) is TCP4, anything else TCP6 with IPv4 addresses mapped.
 * <p>Hand-written rather than Netty's {@code HAProxyMessageEncoder}: one exact-size buffer, no address text
 * round trip, and the checksum, which Netty's encoder does not compute.
 */
public final class ProxyHeaderV2 {

    /** The constant first 12 bytes of every v2 header. */
    private static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private static final byte[] LOCAL = {
        0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x20, 0x00, 0x00, 0x00
    };

    /** PP2_TYPE_ALPN: the application protocol negotiated with the client. */
    public static final int TYPE_ALPN = 0x01;
    /** PP2_TYPE_AUTHORITY: the host name the client asked for (its TLS SNI). */
    public static final int TYPE_AUTHORITY = 0x02;
    /** PP2_TYPE_CRC32C: the header's checksum. */
    public static final int TYPE_CRC32C = 0x03;
    /** PP2_TYPE_NOOP: padding. */
    public static final int TYPE_NOOP = 0x04;
    /** PP2_TYPE_UNIQUE_ID: an opaque id of the connection, at most 128 bytes. */
    public static final int TYPE_UNIQUE_ID = 0x05;
    /** PP2_TYPE_SSL: facts about the client's TLS connection, with sub-TLVs. */
    public static final int TYPE_SSL = 0x20;

    static final int SUBTYPE_SSL_VERSION = 0x21;
    static final int SUBTYPE_SSL_CN = 0x22;
    static final int SUBTYPE_SSL_CIPHER = 0x23;

    /** PP2_CLIENT_SSL: the client connected over TLS. */
    static final int CLIENT_SSL = 0x01;
    /** PP2_CLIENT_CERT_CONN: the client presented a certificate on this connection. */
    static final int CLIENT_CERT_CONN = 0x02;
    /** PP2_CLIENT_CERT_SESS: the client presented a certificate in this TLS session. */
    static final int CLIENT_CERT_SESS = 0x04;

    /** The longest UNIQUE_ID value the spec allows. */
    public static final int MAX_UNIQUE_ID = 128;

    /** The fixed part of every v2 header: signature, version and command, family, length. */
    public static final int FIXED = 16;
    /** Byte 13, family and transport: TCP over IPv4 and over IPv6. */
    public static final int FAMILY_TCP4 = 0x11;

    public static final int FAMILY_TCP6 = 0x21;
    /** The address blocks of those families: two addresses and two ports. */
    public static final int ADDRESSES_TCP4 = 12;

    public static final int ADDRESSES_TCP6 = 36;

    private static final int TLV_HEAD = 3;
    private static final int CRC_TLV = TLV_HEAD + 4;

    private ProxyHeaderV2() {}

    /** A copy of the constant first 12 bytes of every v2 header. */
    public static byte[] signature() {
        return SIGNATURE.clone();
    }

    /**
     * The header a health probe sends: version 2, command LOCAL, family and protocol UNSPEC, no address block
     * (length 0). The receiver uses the real connection's endpoints. Exactly 16 bytes, a copy of its own.
     */
    public static byte[] local() {
        return LOCAL.clone();
    }

    /**
     * The header for a connection from {@code source} to {@code destination} in a new buffer of exactly its
     * length, owned by the caller, who must write or release it.
     *
     * @param tlvs   written in this order after the address block; each value at most 65535 bytes
     * @param crc32c append a CRC32C TLV over the whole header
     * @throws IllegalArgumentException when the header would pass 65535 + 16 bytes
     */
    public static ByteBuf encode(
            ByteBufAllocator alloc,
            InetSocketAddress source,
            InetSocketAddress destination,
            List<ClientOrigin.Tlv> tlvs,
            boolean crc32c) {
        InetAddress src = ProxyHeader.unmapped(source.getAddress());
        InetAddress dst = ProxyHeader.unmapped(destination.getAddress());
        boolean v4 = src instanceof Inet4Address && dst instanceof Inet4Address;
        int length = (v4 ? ADDRESSES_TCP4 : ADDRESSES_TCP6) + (crc32c ? CRC_TLV : 0);
        for (ClientOrigin.Tlv tlv : tlvs) {
            length += TLV_HEAD + tlv.value().length;
        }
        if (length > 0xFFFF) {
            throw new IllegalArgumentException(
                    "a PROXY v2 header holds at most 65535 bytes after its first 16, not " + length);
        }
        ByteBuf buf = alloc.directBuffer(FIXED + length);
        int start = buf.writerIndex();
        buf.writeBytes(SIGNATURE);
        buf.writeByte(0x21); // version 2, PROXY
        buf.writeByte(v4 ? FAMILY_TCP4 : FAMILY_TCP6);
        buf.writeShort(length);
        buf.writeBytes(v4 ? src.getAddress() : v6Bytes(src));
        buf.writeBytes(v4 ? dst.getAddress() : v6Bytes(dst));
        buf.writeShort(source.getPort());
        buf.writeShort(destination.getPort());
        for (ClientOrigin.Tlv tlv : tlvs) {
            buf.writeByte(tlv.type());
            buf.writeShort(tlv.value().length);
            buf.writeBytes(tlv.value());
        }
        if (crc32c) {
            buf.writeByte(TYPE_CRC32C);
            buf.writeShort(4);
            int at = buf.writerIndex();
            buf.writeInt(0);
            CRC32C crc = new CRC32C();
            crc.update(buf.nioBuffer(start, FIXED + length));
            buf.setInt(at, (int) crc.getValue());
        }
        return buf;
    }

    /** A TLV whose value is {@code text} in UTF-8 (AUTHORITY, ALPN, UNIQUE_ID). */
    public static ClientOrigin.Tlv text(int type, String text) {
        return new ClientOrigin.Tlv(type, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The PP2_TYPE_SSL TLV of a client that connected over TLS (section 2.2.6): the client flags, the verify
     * field, then the sub-TLVs VERSION, CN (only with a client certificate) and CIPHER.
     *
     * @param clientCertificate the client presented a certificate on this connection (and so in its session)
     * @param verified          that certificate was verified; {@code verify} is 0 only then, as the spec says
     * @param version           the TLS version, for example {@code TLSv1.3}
     * @param commonName        the client certificate's CN, or {@code null}
     * @param cipher            the cipher suite's name
     */
    public static ClientOrigin.Tlv ssl(
            boolean clientCertificate, boolean verified, String version, String commonName, String cipher) {
        ByteArrayOutputStream value = new ByteArrayOutputStream(64);
        value.write(CLIENT_SSL | (clientCertificate ? CLIENT_CERT_CONN | CLIENT_CERT_SESS : 0));
        int verify = clientCertificate && verified ? 0 : 1;
        value.write(verify >>> 24);
        value.write(verify >>> 16);
        value.write(verify >>> 8);
        value.write(verify);
        subTlv(value, SUBTYPE_SSL_VERSION, version);
        if (commonName != null) {
            subTlv(value, SUBTYPE_SSL_CN, commonName);
        }
        subTlv(value, SUBTYPE_SSL_CIPHER, cipher);
        return new ClientOrigin.Tlv(TYPE_SSL, value.toByteArray());
    }

    private static void subTlv(ByteArrayOutputStream out, int type, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(type);
        out.write(bytes.length >>> 8);
        out.write(bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    /** 16 bytes; an IPv4 address (only when the other side is IPv6) as {@code ::ffff:a.b.c.d}. */
    private static byte[] v6Bytes(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 16) {
            return b;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(b, 0, mapped, 12, 4);
        return mapped;
    }
}
