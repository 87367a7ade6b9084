package dev.gatehouse.dataplane.proxy;

import dev.gatehouse.dataplane.ConnectionObserver;
import dev.gatehouse.dataplane.ProxyHeader;
import dev.gatehouse.dataplane.Route;
import dev.gatehouse.dataplane.health.ServerHealth;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an accepted client connection until the relay starts. It picks the listener
 * (at once for Tcp; after the TLS handshake, by SNI, for Tls), then connects to the listener's servers
 * round robin, trying the next server when one fails, on the client channel's own event loop (so both
 * sides of the relay share one thread and need no locks). Once connected it writes the PROXY header
 * when the route asks for it, in cleartext, before the backend TLS handshake when there is one; then
 * any client bytes that arrived early; then hands both channels to {@link RelayHandler}s.
 * <p>Client reading is off while the backend connects, but bytes can still arrive early (the native
 * transport drains the socket on a half-close; a TLS client may send right after its Finished): they
 * are held in order, bounded by one read loop, and passed on after the header.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(FrontendHandler.class);

    private final ListenerState listener;
    private final Sites sites;
    /** Client bytes that arrived before the backend connection; owned here until written or released. */
    private final ArrayDeque<Object> early = new ArrayDeque<>(2);
    private Sites.Site site;
    private String sni;
    private final ConnectionStats stats = new ConnectionStats();
    private boolean clientInputEnded;

    FrontendHandler(ListenerState listener, Sites sites) {
        this.listener = listener;
        this.sites = sites;
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
        this.site = chosen;
        stats.listener = chosen.spec().name();
        listener.observer().opened(listener.gatewayKey(), stats.listener);
        Channel client = ctx.channel();
        String clientAddress = hostPort((InetSocketAddress) client.remoteAddress());
        client.closeFuture().addListener(f -> listener.observer().closed(new ConnectionObserver.ConnectionRecord(
                listener.gatewayKey(), stats.listener, clientAddress,
                stats.backend, stats.fromClient, stats.toClient, stats.connectNanos,
                System.nanoTime() - stats.startedNanos)));
        RouteState route = chosen.route();
        ctx.pipeline().addFirst("idle", new IdleStateHandler(0, 0, route.route.idleTimeout().toMillis(),
                TimeUnit.MILLISECONDS));
        if (route.servers.length == 0) {
            listener.warn("no-servers", "Listener '" + chosen.spec().name() + "' has no backend servers; closing "
                    + "connection from " + ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        connect(ctx, route, route.nextOrder(), 0);
    }

    private void connect(ChannelHandlerContext ctx, RouteState route, int[] order, int attempt) {
        Channel inbound = ctx.channel();
        InetSocketAddress server = route.servers[order[attempt]];
        Bootstrap b = listener.backendBootstrap()
                .group(inbound.eventLoop())
                .option(ChannelOption.AUTO_READ, false)
                .handler(new RelayHandler(inbound, stats, false));
        long connectStarted = System.nanoTime();
        ChannelFuture connecting = b.connect(server);
        connecting.addListener(f -> {
            if (f.isSuccess()) {
                stats.connectNanos = System.nanoTime() - connectStarted + Math.max(stats.connectNanos, 0);
                stats.backend = hostPort(server);
                ServerHealth health = route.healthAt(order[attempt]);
                if (health != null) {
                    health.track(inbound); // so the server can drain if it leaves its pool
                }
                relay(ctx, connecting.channel(), route, server);
            } else if (!inbound.isActive()) {
                connecting.channel().close();
            } else if (attempt + 1 < order.length) {
                stats.connectNanos = System.nanoTime() - connectStarted + Math.max(stats.connectNanos, 0);
                log.debug("Connecting to backend {} for {} failed: {}; trying the next server", server,
                        inbound.remoteAddress(), f.cause().toString());
                connect(ctx, route, order, attempt + 1);
            } else {
                listener.warn("connect-failed", "Listener '" + site.spec().name() + "': no backend server accepted "
                        + "a connection (last tried " + hostPort(server) + ": " + f.cause().getMessage() + "); closing client "
                        + inbound.remoteAddress());
                inbound.close();
            }
        });
    }

    private void relay(ChannelHandlerContext ctx, Channel backend, RouteState route, InetSocketAddress server) {
        Channel inbound = ctx.channel();
        if (!inbound.isActive()) {
            backend.close();
            return;
        }
        if (route.route.sendProxyHeader()) {
            // Written before any TLS handler exists on this channel: it leaves in cleartext, first.
            backend.write(ProxyHeader.encode(backend.alloc(), (InetSocketAddress) inbound.remoteAddress(),
                    (InetSocketAddress) inbound.localAddress()), backend.voidPromise());
        }
        if (route.backendContext != null) {
            startBackendTls(backend, route, server, inbound);
        }
        for (Object msg; (msg = early.poll()) != null;) {
            backend.write(msg, backend.voidPromise());
        }
        backend.flush();
        ctx.pipeline().replace(this, "relay", new RelayHandler(backend, stats, true));
        backend.config().setAutoRead(true);
        if (clientInputEnded) {
            ctx.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        } else {
            inbound.config().setAutoRead(true);
        }
    }

    private void startBackendTls(Channel backend, RouteState route, InetSocketAddress server, Channel inbound) {
        String sniHost = route.sniFor(server);
        SslHandler tls = sniHost == null ? route.backendContext.newHandler(backend.alloc())
                : route.backendContext.newHandler(backend.alloc(), sniHost, server.getPort());
        tls.setHandshakeTimeoutMillis(listener.handshakeTimeoutMillis());
        backend.pipeline().addFirst("tls", tls);
        tls.handshakeFuture().addListener(f -> {
            if (!f.isSuccess()) {
                Throwable cause = f.cause();
                while (cause.getCause() != null && cause.getCause() != cause) {
                    cause = cause.getCause();
                }
                boolean sent = sniHost != null && io.netty.util.NetUtil.createByteArrayFromIpAddressString(sniHost) == null;
                String reason = String.valueOf(cause.getMessage()).replaceAll("\\.+$", "");
                listener.warn("backend-tls", "Listener '" + site.spec().name() + "': TLS handshake with backend "
                        + hostPort(server) + (sent ? " (SNI " + sniHost + ")" : "") + " failed: " + reason
                        + "; closing client " + inbound.remoteAddress());
                inbound.close();
            }
        });
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
        } else if (evt instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess() && site == null) {
                ctx.channel().config().setAutoRead(false);
                start(ctx, sites.forHostName(sni));
            } else if (!handshake.isSuccess()) {
                log.debug("TLS handshake with client {} failed: {}", ctx.channel().remoteAddress(),
                        handshake.cause().toString());
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
        for (Object msg; (msg = early.poll()) != null;) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Client connection {} failed before relaying: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
