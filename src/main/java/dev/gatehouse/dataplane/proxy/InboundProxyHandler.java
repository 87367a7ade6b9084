package dev.gatehouse.dataplane.proxy;

import dev.gatehouse.dataplane.ClientOrigin;
import dev.gatehouse.dataplane.ConnectionFailure;
import dev.gatehouse.dataplane.ProxyHeaderV2;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for the PROXY header of a connection from a trusted load balancer, behind {@link ProxyHeaderDetector} and
 * Netty's decoder: once the header is decoded, the connection is {@link Admission#admit admitted} for the client
 * the header names, and this handler leaves the pipeline. A malformed header, an input that ends inside it, or
 * none complete within the header timeout closes the connection and is {@link Admission#reject rejected}.
 * <p>{@code channelActive} is held back from the handlers after this one and fired to them once the header is
 * accepted, so the listener's handlers (TLS, {@link FrontendHandler}) start as if the connection began after
 * the header. Reading is on while the header is awaited.
 * <p>Buffers: the decoded {@link HAProxyMessage} is released here, its TLV values copied first.
 * <p>Threading: every method runs on the channel's event loop, the timeout too.
 */
final class InboundProxyHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(InboundProxyHandler.class);

    /** What happens to a connection once its header is read, or could not be. */
    interface Admission {

        /** Serves {@code channel} for {@code origin} (or closes it, when the client is not allowed). */
        void admit(Channel channel, ClientOrigin origin);

        /** Counts {@code reason} and closes {@code channel}. */
        void reject(Channel channel, ConnectionFailure reason);
    }

    private final Admission admission;
    private final long timeoutMillis;
    private Future<?> timeout;
    private boolean done;

    InboundProxyHandler(Admission admission, long timeoutMillis) {
        this.admission = admission;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timeout = ctx.executor()
                .schedule(
                        () -> fail(ctx, ConnectionFailure.PROXY_HEADER_TIMEOUT), timeoutMillis, TimeUnit.MILLISECONDS);
        ctx.channel().config().setAutoRead(true);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Held back: fired to the listener's handlers once the header is accepted.
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (done || !(msg instanceof HAProxyMessage header)) {
            // Nothing but the header reaches this handler while it waits; anything else is a bug, not a client.
            ReferenceCountUtil.release(msg);
            fail(ctx, ConnectionFailure.PROXY_HEADER_REJECTED);
            return;
        }
        ClientOrigin origin;
        try {
            Channel channel = ctx.channel();
            origin = origin(
                    (InetSocketAddress) channel.remoteAddress(), (InetSocketAddress) channel.localAddress(), header);
        } finally {
            header.release();
        }
        if (origin == null) {
            fail(ctx, ConnectionFailure.PROXY_HEADER_REJECTED);
            return;
        }
        done = true;
        timeout.cancel(false);
        Channel channel = ctx.channel();
        channel.config().setAutoRead(false);
        admission.admit(channel, origin);
        if (channel.isActive()) {
            ctx.fireChannelActive();
        }
        ctx.pipeline().remove(this);
    }

    /**
     * The origin a decoded header gives: its addresses for a PROXY command over TCP; the connection's own for
     * LOCAL and for an unknown protocol (spec, section 2.1 and 2.2: the receiver then uses the real connection
     * endpoints); {@code null} for UDP and UNIX sockets, which a TCP listener cannot stand for.
     */
    static ClientOrigin origin(InetSocketAddress peer, InetSocketAddress local, HAProxyMessage header) {
        if (header.command() == HAProxyCommand.LOCAL) {
            return ClientOrigin.direct(peer, local);
        }
        return switch (header.proxiedProtocol()) {
            case UNKNOWN -> ClientOrigin.direct(peer, local);
            case TCP4, TCP6 ->
                new ClientOrigin(
                        peer,
                        address(header.sourceAddress(), header.sourcePort()),
                        address(header.destinationAddress(), header.destinationPort()),
                        tlvs(header.tlvs()));
            default -> null;
        };
    }

    private static InetSocketAddress address(String literal, int port) {
        // The decoder has checked the literal for its family: no name is resolved here. From the bytes, the JDK
        // makes an IPv4-mapped IPv6 address an IPv4 one, as it does for sockets: the client reads the same
        // whether it came through a header or straight to a dual-stack listener.
        try {
            return new InetSocketAddress(
                    InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(literal)), port);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The header's TLVs that describe the client, copied: all but CRC32C and NOOP. */
    private static List<ClientOrigin.Tlv> tlvs(List<HAProxyTLV> received) {
        if (received.isEmpty()) {
            return List.of();
        }
        List<ClientOrigin.Tlv> kept = new ArrayList<>(received.size());
        for (HAProxyTLV tlv : received) {
            int type = tlv.typeByteValue() & 0xFF;
            // CRC32C checks the header it came in and NOOP is padding: neither has anything to pass on.
            if (type != ProxyHeaderV2.TYPE_CRC32C && type != ProxyHeaderV2.TYPE_NOOP) {
                kept.add(new ClientOrigin.Tlv(type, ByteBufUtil.getBytes(tlv.content())));
            }
        }
        return kept;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && !done) {
            if (ctx.pipeline().get(ProxyHeaderDetector.class) != null) {
                // Not one byte came: a bare connect and close (a TCP health check), not a broken header.
                done = true;
                timeout.cancel(false);
                ctx.close();
            } else {
                fail(ctx, ConnectionFailure.PROXY_HEADER_REJECTED); // the input ended inside the header
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        done = true;
        timeout.cancel(false);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("PROXY header from {} refused: {}", ctx.channel().remoteAddress(), cause.toString());
        fail(ctx, ConnectionFailure.PROXY_HEADER_REJECTED);
    }

    private void fail(ChannelHandlerContext ctx, ConnectionFailure reason) {
        if (done) {
            return;
        }
        done = true;
        timeout.cancel(false);
        admission.reject(ctx.channel(), reason);
    }
}
