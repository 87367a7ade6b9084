package dev.gatehouse.dataplane.proxy;

import io.netty.util.NetUtil;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/** PROXY protocol headers written byte by byte from haproxy's doc/proxy-protocol.txt, for tests. */
final class ProxyHeaders {

    static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    /** Version 2 with the LOCAL command; with the PROXY command. */
    static final int LOCAL = 0x20;

    static final int PROXY = 0x21;
    /** Address family and transport: AF_UNSPEC, TCP over IPv4, TCP over IPv6, UDP over IPv4. */
    static final int UNSPEC = 0x00;

    static final int TCP4 = 0x11;
    static final int TCP6 = 0x21;
    static final int UDP4 = 0x12;

    private ProxyHeaders() {}

    static byte[] v1(String line) {
        return (line + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A v2 header: signature, version and command, family and transport, length, then the blocks as given. */
    static byte[] v2(int command, int family, byte[]... blocks) {
        int length = 0;
        for (byte[] b : blocks) {
            length += b.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);
        out.write(command);
        out.write(family);
        out.write(length >>> 8);
        out.write(length & 0xFF);
        for (byte[] b : blocks) {
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    /** The address block of TCP4 or TCP6: source and destination addresses, then the two ports. */
    static byte[] addresses(String source, String destination, int sourcePort, int destinationPort) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(NetUtil.createByteArrayFromIpAddressString(source));
        out.writeBytes(NetUtil.createByteArrayFromIpAddressString(destination));
        out.write(sourcePort >>> 8);
        out.write(sourcePort & 0xFF);
        out.write(destinationPort >>> 8);
        out.write(destinationPort & 0xFF);
        return out.toByteArray();
    }

    static byte[] tlv(int type, byte[] value) {
        return tlv(type, value.length, value);
    }

    /** A TLV whose length field says {@code declaredLength}, whatever the value holds. */
    static byte[] tlv(int type, int declaredLength, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        out.write(declaredLength >>> 8);
        out.write(declaredLength & 0xFF);
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static final byte[] CRC_PLACEHOLDER = {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF};

    /** A CRC32C TLV whose value {@link #sealed} computes. */
    static byte[] crc32cTlv() {
        return tlv(0x03, CRC_PLACEHOLDER);
    }

    /**
     * {@code header} with the value of its {@link #crc32cTlv} computed as the spec says (section 2.2.3): the CRC-32C
     * of the whole header with that value taken as zero, in network byte order.
     */
    static byte[] sealed(byte[] header) {
        byte[] tlv = crc32cTlv();
        int at = -1;
        for (int i = 0; i + tlv.length <= header.length && at < 0; i++) {
            if (Arrays.equals(header, i, i + tlv.length, tlv, 0, tlv.length)) {
                at = i + 3;
            }
        }
        if (at < 0) {
            throw new IllegalArgumentException("no crc32cTlv() in the header");
        }
        byte[] sealed = header.clone();
        Arrays.fill(sealed, at, at + 4, (byte) 0);
        CRC32C crc = new CRC32C();
        crc.update(sealed);
        ByteBuffer.wrap(sealed, at, 4).putInt((int) crc.getValue());
        return sealed;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
