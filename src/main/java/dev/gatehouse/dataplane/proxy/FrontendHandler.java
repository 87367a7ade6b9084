package dev.gatehouse.dataplane.proxy;

import dev.gatehouse.dataplane.ClientOrigin;
import dev.gatehouse.dataplane.ConnectionFailure;
import dev.gatehouse.dataplane.ConnectionObserver;
import dev.gatehouse.dataplane.Route;
import dev.gatehouse.dataplane.health.ServerHealth;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an accepted client connection until the relay starts. It picks the listener (at once for
 * Tcp; after the TLS handshake, by SNI, for Tls), has {@link BackendConnector} open the backend side on this
 * channel's event loop, then passes on any client bytes that arrived early and hands the client channel to a
 * {@link RelayHandler}.
 * <p>While the backend connects, the client is read once (one read loop, then reading is off until the relay
 * starts), so that a client that speaks first has its first bytes leave with the PROXY header in one write: one
 * segment to the backend instead of two (measured: docs/benchmarks.md, Levers). Bytes can also arrive early
 * otherwise (the native transport drains the socket on a half-close; a TLS client may send right after its
 * Finished). Early bytes are held in order, bounded by that read loop, and written to the backend after the
 * PROXY header.
 * <p>Buffers: early bytes belong to this handler until written to the backend; if the connection ends first,
 * they are released in {@link #handlerRemoved} or {@link #channelInactive}, exactly once.
 * <p>Threading: every method runs on the client channel's event loop, {@link BackendConnector.Outcome}'s too.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter implements BackendConnector.Outcome {

    private static final Logger log = LoggerFactory.getLogger(FrontendHandler.class);

    private final ListenerState listener;
    private final Sites sites;
    /** Client bytes that arrived before the backend connection; owned here until written or released. */
    private final ArrayDeque<Object> early = new ArrayDeque<>(2);

    private final ConnectionStats stats = new ConnectionStats();
    private ChannelHandlerContext ctx;
    private Sites.Site site;
    private String sni;
    private long connectStarted;
    private boolean clientInputEnded;
    /** The relay's idle timeout, from the relay's start; cancelled when the client channel closes. */
    private IdleTimeout idle;
    /** Whether this connection's failure was reported: at most one per connection. */
    private boolean failureReported;

    /** Whom the connection is for when a PROXY header said so; {@code null}: the peer itself. */
    private final ClientOrigin origin;

    FrontendHandler(ListenerState listener, Sites sites, ClientOrigin origin) {
        this.listener = listener;
        this.sites = sites;
        this.origin = origin;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!sites.terminatesTls()) {
            start(ctx, sites.single());
        }
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx, Sites.Site chosen) {
        if (chosen == null) {
            ctx.close();
            return;
        }
        this.ctx = ctx;
        this.site = chosen;
        stats.listener = chosen.spec().name();
        stats.acceptedBy = listener;
        Channel client = ctx.channel();
        stats.origin = origin != null
                ? origin
                : ClientOrigin.direct(
                        (InetSocketAddress) client.remoteAddress(), (InetSocketAddress) client.localAddress());
        listener.observer().opened(listener.gatewayKey(), stats.listener);
        // Formatted only for an observer that reads them (the access log): two strings and an id per connection.
        boolean details = listener.observer().readsDetails();
        String clientAddress = details ? hostPort(stats.origin.client()) : null;
        String peerAddress = !details
                ? null
                : stats.origin.peer() == stats.origin.client() ? clientAddress : hostPort(stats.origin.peer());
        client.closeFuture().addListener(f -> {
            if (idle != null) {
                idle.cancel();
            }
            listener.observer()
                    .closed(new ConnectionObserver.ConnectionRecord(
                            listener.gatewayKey(),
                            stats.listener,
                            clientAddress,
                            peerAddress,
                            details ? stats.uniqueId() : null,
                            stats.backend,
                            stats.fromClient,
                            stats.toClient,
                            stats.connectNanos,
                            System.nanoTime() - stats.startedNanos));
        });
        RouteState route = chosen.route();
        if (route.servers.length == 0) {
            listener.warn(
                    "no-servers",
                    "Listener '" + chosen.spec().name() + "' has no backend servers; closing " + "connection from "
                            + client.remoteAddress());
            failed(ConnectionFailure.NO_HEALTHY_SERVER);
            ctx.close();
            return;
        }
        // Before the connect, so that the selector hears of the client's bytes first when both are ready at once.
        client.read();
        connectStarted = System.nanoTime();
        listener.connector().connect(client, route, route.nextOrder(), stats, this);
    }

    @Override
    public void connected(Channel backend, InetSocketAddress server, int serverIndex) {
        long now = System.nanoTime();
        stats.connectNanos = now - connectStarted;
        stats.backend = hostPort(server);
        Channel client = ctx.channel();
        ServerHealth health = site.route().healthAt(serverIndex);
        if (health != null) {
            health.track(client); // so the server can drain if it leaves its pool
        }
        for (Object msg; (msg = early.poll()) != null; ) {
            if (msg instanceof ByteBuf buf) {
                stats.fromClient += buf.readableBytes();
            }
            backend.write(msg, backend.voidPromise());
        }
        backend.flush();
        stats.reportRelayed();
        ctx.pipeline().replace(this, "relay", new RelayHandler(backend, stats, true));
        idle = IdleTimeout.start(
                client, backend, stats, site.route().route.idleTimeout().toNanos(), now);
        backend.config().setAutoRead(true);
        if (clientInputEnded) {
            ctx.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        } else {
            client.config().setAutoRead(true);
        }
    }

    @Override
    public void unreachable(InetSocketAddress lastTried, Throwable cause) {
        Channel client = ctx.channel();
        listener.warn(
                "connect-failed",
                "Listener '" + site.spec().name() + "': no backend server accepted "
                        + "a connection (last tried " + hostPort(lastTried) + ": " + cause.getMessage()
                        + "); closing client "
                        + client.remoteAddress());
        if (!site.route().anyRoutable()) {
            failed(ConnectionFailure.NO_HEALTHY_SERVER);
        } else if (cause instanceof ConnectTimeoutException) {
            failed(ConnectionFailure.CONNECT_TIMEOUT);
        } else {
            failed(ConnectionFailure.CONNECT_FAILED);
        }
        client.close();
    }

    @Override
    public void backendTlsFailed(String reason) {
        Channel client = ctx.channel();
        listener.warn(
                "backend-tls",
                "Listener '" + site.spec().name() + "': " + reason + "; closing client " + client.remoteAddress());
        failed(ConnectionFailure.BACKEND_TLS_FAILED);
        client.close();
    }

    /** Reports this connection's failure, under its listener or the one it would have been counted under. */
    private void failed(ConnectionFailure reason) {
        if (failureReported) {
            return;
        }
        failureReported = true;
        String name = site != null
                ? site.spec().name()
                : sites.countedUnder(sni).spec().name();
        listener.observer().failed(listener.gatewayKey(), name, reason);
    }

    /**
     * Reports a client TLS handshake that did not complete: timed out, or failed while the client was still
     * there. A client that closes or resets before finishing (a load balancer's TCP health check, a port scan)
     * is not a failure of the gateway and is not counted.
     */
    private void tlsFailed(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof SslHandshakeTimeoutException) {
            failed(ConnectionFailure.TLS_HANDSHAKE_TIMEOUT);
        } else if (!clientInputEnded && ctx.channel().isActive()) {
            failed(ConnectionFailure.TLS_HANDSHAKE_FAILED);
        }
    }

    /** {@code host:port} as users write it ({@code [::1]:443} for IPv6), without InetSocketAddress's slash. */
    static String hostPort(InetSocketAddress address) {
        return Route.Endpoint.hostPort(address.getHostString(), address.getPort());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        early.add(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SniCompletionEvent completion) {
            sni = completion.hostname();
            if (!completion.isSuccess()) {
                tlsFailed(ctx, completion.cause());
            }
        } else if (evt instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess() && site == null) {
                ctx.channel().config().setAutoRead(false);
                start(ctx, sites.forHostName(sni));
            } else if (!handshake.isSuccess()) {
                log.debug(
                        "TLS handshake with client {} failed: {}",
                        ctx.channel().remoteAddress(),
                        handshake.cause().toString());
                tlsFailed(ctx, handshake.cause());
                ctx.close();
            }
        } else if (evt instanceof ChannelInputShutdownEvent) {
            clientInputEnded = true;
            if (site == null) {
                ctx.close(); // a TLS client that left before finishing its handshake
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseEarly();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseEarly();
        ctx.fireChannelInactive();
    }

    private void releaseEarly() {
        for (Object msg; (msg = early.poll()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug(
                "Client connection {} failed before relaying: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
