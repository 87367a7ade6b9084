package dev.gatehouse.dataplane.proxy;

import dev.gatehouse.dataplane.DataPlaneSettings;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens and closes the listening sockets of a {@link ListenerState}: binds them with the options every accepted
 * connection gets (one socket whose connections go round robin to every event loop, or, with
 * {@code accept-per-event-loop}, one socket per event loop), and stops them with a drain of what they accepted.
 * <p>Thread-safety: called by the data plane's one applying thread; binds and closes are awaited on it, never on
 * an event loop.
 */
final class ListenerSockets {

    private static final Logger log = LoggerFactory.getLogger(ListenerSockets.class);

    private final DataPlaneSettings settings;
    private final Transport transport;
    private final EventLoopGroup group;

    ListenerSockets(DataPlaneSettings settings, Transport transport, EventLoopGroup group) {
        this.settings = settings;
        this.transport = transport;
        this.group = group;
    }

    /** The allocator of every channel: Netty's pooled one unless the settings turn it off. */
    static ByteBufAllocator allocator(DataPlaneSettings settings) {
        return settings.pooledAllocator() ? PooledByteBufAllocator.DEFAULT : ByteBufAllocator.DEFAULT;
    }

    /** The write-buffer marks of every channel: the settings' high mark, and half of it. */
    static WriteBufferWaterMark waterMark(DataPlaneSettings settings) {
        int high = Math.max(2, settings.writeBufferHighWaterMark());
        return new WriteBufferWaterMark(high / 2, high);
    }

    /**
     * Binds the state's socket(s) on {@code address}, waiting up to the bind timeout; returns why it could not
     * (nothing stays bound then), or {@code null} once the state holds its bound channels.
     */
    String bind(ListenerState state, InetSocketAddress address) {
        List<EventLoopGroup> acceptors = new ArrayList<>();
        if (settings.acceptPerEventLoop()) {
            group.forEach(loop -> acceptors.add((EventLoopGroup) loop));
        } else {
            acceptors.add(group);
        }
        List<Channel> bound = new ArrayList<>();
        for (EventLoopGroup acceptor : acceptors) {
            ChannelFuture bind = server(acceptor, state).bind(address);
            String reason = null;
            if (!bind.awaitUninterruptibly(settings.bindTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                bind.cancel(false);
                bind.channel().close();
                reason = "did not bind within " + settings.bindTimeout().toMillis() + " ms";
            } else if (!bind.isSuccess()) {
                reason = describe(bind.cause());
            }
            if (reason != null) {
                bound.forEach(c ->
                        c.close().awaitUninterruptibly(settings.bindTimeout().toMillis()));
                return reason;
            }
            bound.add(bind.channel());
        }
        state.bound(bound);
        return null;
    }

    private ServerBootstrap server(EventLoopGroup acceptor, ListenerState state) {
        return transport
                .keepAliveAccepted(new ServerBootstrap())
                .group(acceptor, acceptor)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(transport.reusePort(), settings.reusePort() || settings.acceptPerEventLoop())
                .childOption(ChannelOption.AUTO_READ, false)
                // TCP_NODELAY: every transport's socket channel turns it on when made, io_uring's by inheriting it
                // from the listening socket (TransportTests); setting it again would be one more setsockopt per
                // connection
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(settings))
                .childOption(ChannelOption.ALLOCATOR, allocator(settings))
                .childHandler(state.childInitializer());
    }

    /** The OS's reason without the syscall Netty's native transport prefixes it with ("bind(..) failed: "). */
    static String describe(Throwable cause) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        int colon = message.indexOf("failed: ");
        return colon >= 0 ? message.substring(colon + "failed: ".length()) : message;
    }

    /**
     * Stops accepting on the socket at once; its open connections may finish within the drain timeout,
     * after which those still open are closed.
     */
    void stop(ListenerState state) {
        if (state.serverChannels().isEmpty()) {
            return;
        }
        state.serverChannels()
                .forEach(c ->
                        c.close().awaitUninterruptibly(settings.bindTimeout().toMillis()));
        int open = state.connections().size();
        Duration drain = state.drainTimeout();
        log.info(
                "Listener {} stopped accepting on {}{}",
                state.describe(),
                state.bindKey(),
                open == 0 ? "" : "; draining " + open + " connection(s) for up to " + drain);
        if (open > 0) {
            group.next()
                    .schedule(
                            () -> {
                                if (!state.connections().isEmpty()) {
                                    log.info(
                                            "Drain timeout on {}: closing {} connection(s)",
                                            state.bindKey(),
                                            state.connections().size());
                                    state.connections().close();
                                }
                            },
                            drain.toMillis(),
                            TimeUnit.MILLISECONDS);
        }
    }
}
