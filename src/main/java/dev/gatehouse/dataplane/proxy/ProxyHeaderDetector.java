package dev.gatehouse.dataplane.proxy;

import dev.gatehouse.dataplane.ProxyHeaderV2;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The first handler of a connection that must start with a PROXY header: it waits for the header's signature
 * (haproxy's doc/proxy-protocol.txt: {@code "PROXY "} for v1, the 12-byte binary signature for v2) and then
 * replaces itself with Netty's {@link HAProxyMessageDecoder}, which receives the bytes held so far. Bytes that
 * can no longer start either signature fail at once with an {@link HAProxyProtocolException} (a TLS ClientHello
 * sent without a header fails at its first byte), as does an input that ends inside the signature.
 * <p>Buffers: the bytes held belong to {@link ByteToMessageDecoder}'s cumulation, handed on or released by it.
 */
final class ProxyHeaderDetector extends ByteToMessageDecoder {

    private static final byte[] V1 = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V2 = ProxyHeaderV2.signature();

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
            in.skipBytes(in.readableBytes());
            throw new HAProxyProtocolException("the connection does not start with a PROXY protocol header");
        }
        if (in.readableBytes() >= (v1 ? V1.length : V2.length)) {
            ctx.pipeline().replace(this, "proxy-decoder", new HAProxyMessageDecoder(maxTlvBytes));
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.isReadable()) {
            in.skipBytes(in.readableBytes());
            throw new HAProxyProtocolException("the connection ended inside the PROXY protocol signature");
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
