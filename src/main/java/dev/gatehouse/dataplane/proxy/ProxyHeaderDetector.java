package dev.gatehouse.dataplane.proxy;

import dev.gatehouse.dataplane.ProxyHeaderV2;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The first handler of a connection that must start with a PROXY header: it waits for the header's signature
 * (haproxy's doc/proxy-protocol.txt: {@code "PROXY "} for v1, the 12-byte binary signature for v2) and then
 * replaces itself with Netty's {@link HAProxyMessageDecoder}, which receives the bytes held so far. Bytes that
 * can no longer start either signature fail at once with an {@link HAProxyProtocolException} (a TLS ClientHello
 * sent without a header fails at its first byte), as does an input that ends inside the signature or, for v2, the
 * header.
 * <p>A v2 header is held here until it is complete, so that its CRC32C TLV, when it has one, is checked over the
 * bytes as they came (section 2.2.3: the CRC-32C of the whole header with the TLV's value taken as zero; a header
 * whose checksum does not match "MUST" be treated as invalid, as HAProxy does): Netty's decoder keeps the TLV's
 * value but not the bytes it was computed over. Checked for the PROXY command over TCP4 and TCP6, as HAProxy
 * checks it; a LOCAL header stands for the connection itself and is not checked, and the other families are
 * refused by the decoder anyway.
 * <p>Buffers: the bytes held belong to {@link ByteToMessageDecoder}'s cumulation, handed on or released by it.
 */
final class ProxyHeaderDetector extends ByteToMessageDecoder {

    private static final byte[] V1 = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V2 = ProxyHeaderV2.signature();

    /** The longest address block (UNIX sockets); the TLVs come on top. */
    private static final int V2_UNIX_ADDRESSES = 216;

    private final int maxTlvBytes;

    /** @param maxTlvBytes the most bytes of TLVs a v2 header may carry; longer headers fail */
    ProxyHeaderDetector(int maxTlvBytes) {
        this.maxTlvBytes = maxTlvBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        boolean v1 = startsLike(in, V1);
        boolean v2 = startsLike(in, V2);
        if (!v1 && !v2) {
            throw invalid(in, "the connection does not start with a PROXY protocol header");
        }
        if (v1 ? in.readableBytes() >= V1.length : v2HeaderChecked(in)) {
            ctx.pipeline().replace(this, "proxy-decoder", new HAProxyMessageDecoder(maxTlvBytes));
        }
    }

    /**
     * Whether the v2 header can go to the decoder: it is all here, and its CRC32C, if it carries one, matches. A
     * mismatch, or a header longer than the decoder takes (the length field says so at once), throws.
     */
    private boolean v2HeaderChecked(ByteBuf in) {
        if (in.readableBytes() < ProxyHeaderV2.FIXED) {
            return false;
        }
        int start = in.readerIndex();
        int length = ProxyHeaderV2.FIXED + in.getUnsignedShort(start + 14);
        if (length > ProxyHeaderV2.FIXED + V2_UNIX_ADDRESSES + maxTlvBytes) {
            throw invalid(in, "a v2 header of " + length + " bytes, more than " + maxTlvBytes + " bytes of TLVs");
        }
        if (in.readableBytes() < length) {
            return false;
        }
        boolean proxy = (in.getUnsignedByte(start + 12) & 0x0F) == 1;
        // TCP over IPv4 or IPv6, the families a listener takes (the decoder refuses the others).
        int family = in.getUnsignedByte(start + 13);
        if (proxy && family == ProxyHeaderV2.FAMILY_TCP4) {
            checkCrc32c(in, start, length, ProxyHeaderV2.FIXED + ProxyHeaderV2.ADDRESSES_TCP4);
        } else if (proxy && family == ProxyHeaderV2.FAMILY_TCP6) {
            checkCrc32c(in, start, length, ProxyHeaderV2.FIXED + ProxyHeaderV2.ADDRESSES_TCP6);
        }
        return true;
    }

    /**
     * Checks the CRC32C TLV among the TLVs from {@code offset} to {@code length}, if there is one. TLVs that run past
     * the header are left to the decoder, which refuses them.
     */
    private static void checkCrc32c(ByteBuf in, int start, int length, int offset) {
        int crcAt = -1;
        while (offset + 3 <= length) {
            int type = in.getUnsignedByte(start + offset);
            int size = in.getUnsignedShort(start + offset + 1);
            if (offset + 3 + size > length) {
                return;
            }
            if (type == ProxyHeaderV2.TYPE_CRC32C) {
                if (size != 4 || crcAt >= 0) {
                    throw invalid(in, "a CRC32C TLV must occur once, with 4 bytes");
                }
                crcAt = offset + 3;
            }
            offset += 3 + size;
        }
        if (crcAt < 0) {
            return;
        }
        CRC32C crc = new CRC32C();
        crc.update(in.nioBuffer(start, crcAt));
        crc.update(new byte[4]);
        crc.update(in.nioBuffer(start + crcAt + 4, length - crcAt - 4));
        if ((int) crc.getValue() != in.getInt(start + crcAt)) {
            throw invalid(in, "the header's CRC32C does not match its bytes");
        }
    }

    /** Fails the header; its bytes go, so that nothing decodes them again before the connection is closed. */
    private static HAProxyProtocolException invalid(ByteBuf in, String why) {
        in.skipBytes(in.readableBytes());
        return new HAProxyProtocolException(why);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.isReadable()) {
            throw invalid(in, "the connection ended inside the PROXY protocol header");
        }
    }

    /** Whether the readable bytes, as far as they go, are a prefix of {@code signature} or start with it. */
    private static boolean startsLike(ByteBuf in, byte[] signature) {
        int n = Math.min(in.readableBytes(), signature.length);
        int start = in.readerIndex();
        for (int i = 0; i < n; i++) {
            if (in.getByte(start + i) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
