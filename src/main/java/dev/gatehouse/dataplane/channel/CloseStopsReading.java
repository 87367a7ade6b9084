package dev.gatehouse.dataplane.channel;

import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;

/**
 * Stops reading once a channel starts to close (decision (bi)). On io_uring Netty defers a close while a write is in
 * flight, and a read asked for in that window (by auto-read, or by SslHandler, which asks for one whenever a handshake
 * is unfinished) arms a new POLLIN poll that the close does not cancel: the descriptor closes, but the poll holds the
 * socket open until the peer sends or hangs up. A client that sent no TLS to a Tls listener kept its connection that
 * way. Here the close turns auto-read off and every later read is dropped, so nothing is armed; it also turns
 * half-closure off, so that an end of input read during the close is not shut down first. First in every client,
 * backend and probe pipeline, next to the head, so that every close and read passes it, SslHandler's included. One per
 * channel; writes and flushes skip it.
 */
public final class CloseStopsReading extends ChannelOutboundHandlerAdapter {

    /** Its name in a pipeline: a TLS handler added later goes right after it ({@code addAfter}). */
    public static final String NAME = "close-stops-reading";

    private boolean closing;

    private CloseStopsReading() {}

    /** Puts a new one first in {@code pipeline}, next to the head, where every close and read passes it. */
    public static ChannelPipeline addFirst(ChannelPipeline pipeline) {
        return pipeline.addFirst(NAME, new CloseStopsReading());
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (!closing) {
            ctx.read();
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        closing = true;
        ChannelConfig config = ctx.channel().config();
        config.setAutoRead(false);
        // An end of input or a reset read while the close is under way closes (again: nothing) instead of shutting
        // the input down: Netty would make a shutdown(SHUT_RD) call that fails with ENOTCONN on a socket the peer
        // already reset, and create an exception with a stack trace for it (docs/benchmarks.md, Levers).
        config.setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
        ctx.close(promise);
    }
}
