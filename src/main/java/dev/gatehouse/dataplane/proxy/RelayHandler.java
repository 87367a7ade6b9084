package dev.gatehouse.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays bytes from its channel to the peer channel; one instance on each side of a proxied connection,
 * both on the same event loop. Buffers are passed on, never copied: ownership moves to the peer's write.
 * <ul>
 * <li>Backpressure: when the peer's outbound buffer passes its high-water mark, reading this side stops;
 * it resumes when the peer drains below the low-water mark. Nothing buffers without bound.</li>
 * <li>Half-close: end of input on this side shuts down the peer's output (after pending writes); once
 * both directions have ended, both channels close.</li>
 * <li>Errors close both sides; an error is logged once per connection. The idle timeout is
 * {@link IdleTimeout}'s, which needs nothing from this handler but the counters.</li>
 * </ul>
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(RelayHandler.class);

    private final Channel peer;
    private final ConnectionStats stats;
    private final boolean fromClient;

    /**
     * @param stats      the connection's counters
     * @param fromClient whether this handler reads the client (else the backend)
     */
    RelayHandler(Channel peer, ConnectionStats stats, boolean fromClient) {
        this.peer = peer;
        this.stats = stats;
        this.fromClient = fromClient;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!peer.isActive()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        // When this write fills the peer past its high-water mark, the peer's channelWritabilityChanged
        // turns our reading off, synchronously; its flush turns it back on. Touching autoRead here too
        // would race with that and could leave both sides waiting.
        if (msg instanceof ByteBuf buf) {
            if (fromClient) {
                stats.fromClient += buf.readableBytes();
            } else {
                stats.toClient += buf.readableBytes();
            }
        }
        peer.write(msg, peer.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
        stats.reportRelayed();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // This side filled (or drained): the peer, whose bytes we write here, stops (or resumes) reading.
        // A peer whose input has ended has nothing left to read (and epoll refuses to re-arm it).
        if (peer.isActive() && !((DuplexChannel) peer).isInputShutdown()) {
            peer.config().setAutoRead(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (tls != null && !tls.handshakeFuture().isDone()) {
                // The backend hung up in the middle of its TLS handshake: it will never complete.
                closeBoth(ctx.channel());
                return;
            }
            halfClose(ctx.channel());
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    private void halfClose(Channel self) {
        if (!(peer instanceof DuplexChannel duplex) || !peer.isActive()) {
            closeBoth(self);
            return;
        }
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess() || ((DuplexChannel) self).isOutputShutdown()) {
                // Failed, or the other direction ended first (this side's output is already shut): both
                // directions are done, and the close sends the peer its FIN. Netty's shutdownOutput would cost a
                // system call and an exception with a stack trace for the same FIN (docs/benchmarks.md, Levers).
                closeBoth(self);
                return;
            }
            duplex.shutdownOutput().addListener((ChannelFutureListener) shut -> {
                // The peer's input ended earlier (it shut our output): both directions are done.
                if (!shut.isSuccess() || ((DuplexChannel) self).isOutputShutdown()) {
                    closeBoth(self);
                    return;
                }
                // The peer's output is shut, so the end of its input will end the connection: Netty then closes the
                // peer (and its relay's channelInactive this side) instead of shutting the input down first, which
                // costs a system call and, on a socket already in TIME_WAIT, an exception with a stack trace
                // (docs/benchmarks.md, Levers).
                peer.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
            });
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause.getCause() instanceof SSLException) {
            // Expected on the network (resets, TLS failures, which FrontendHandler reports rate-limited).
            log.debug("Connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("Relay error on {}; closing both sides", ctx.channel().remoteAddress(), cause);
        }
        closeBoth(ctx.channel());
    }

    private void closeBoth(Channel self) {
        self.close();
        peer.close();
    }
}
