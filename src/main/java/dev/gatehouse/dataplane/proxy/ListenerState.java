package dev.gatehouse.dataplane.proxy;

import dev.gatehouse.dataplane.ClientAccess;
import dev.gatehouse.dataplane.ClientOrigin;
import dev.gatehouse.dataplane.ConnectionFailure;
import dev.gatehouse.dataplane.ConnectionObserver;
import dev.gatehouse.dataplane.InboundProxy;
import dev.gatehouse.dataplane.ListenerSpec;
import dev.gatehouse.dataplane.Route;
import dev.gatehouse.dataplane.channel.CloseStopsReading;
import dev.gatehouse.dataplane.health.ServerHealth;
import dev.gatehouse.dataplane.tls.TlsContexts;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bound socket: its server channel and what it serves ({@link Sites}). A change of routes or
 * certificates swaps the sites in place, so the socket and its open connections survive and new
 * connections get the new configuration. TLS contexts and route state are rebuilt only for what changed.
 * Thread-safety: {@code sites} is volatile, read on event loops, written by the applying thread.
 */
final class ListenerState {

    private static final Logger log = LoggerFactory.getLogger(ListenerState.class);

    private final BackendConnector connector;
    private final RateLimitedLog warnings;
    private final TlsContexts tls;
    private final long handshakeTimeoutMillis;
    private final Function<Route, ServerHealth[]> health;
    private final String gatewayKey;
    private final ConnectionObserver observer;
    private volatile Sites sites;
    /** The listening sockets: one, or one per event loop (each accepting onto its own loop). */
    private List<Channel> serverChannels = List.of();
    /** Every open client connection of this socket; closed channels leave it by themselves. */
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    private final int maxConnections;

    ListenerState(
            List<ListenerSpec> specs,
            BackendConnector connector,
            RateLimitedLog warnings,
            TlsContexts tls,
            long handshakeTimeoutMillis,
            int maxConnections,
            Function<Route, ServerHealth[]> health,
            String gatewayKey,
            ConnectionObserver observer)
            throws SiteFailure {
        this.maxConnections = maxConnections;
        this.health = health;
        this.gatewayKey = gatewayKey;
        this.observer = observer;
        this.connector = connector;
        this.warnings = warnings;
        this.tls = tls;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        update(specs);
    }

    /** A listener whose TLS material (certificate or trusted roots) cannot be loaded. */
    static final class SiteFailure extends Exception {

        final ListenerSpec listener;

        SiteFailure(ListenerSpec listener, Exception cause) {
            super(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
            this.listener = listener;
        }
    }

    /** Replaces what the socket serves; throws (keeping the old sites) when TLS material cannot be loaded. */
    void update(List<ListenerSpec> specs) throws SiteFailure {
        Map<String, Sites.Site> previous = new HashMap<>();
        if (sites != null) {
            sites.all().forEach(s -> previous.put(s.spec().name(), s));
        }
        List<Sites.Site> next = new ArrayList<>();
        for (ListenerSpec spec : specs) {
            Sites.Site old = previous.get(spec.name());
            try {
                RouteState route = old != null && old.spec().route().equals(spec.route())
                        ? old.route()
                        : new RouteState(spec.route(), tls, health.apply(spec.route()));
                SslContext server = null;
                if (spec.terminatesTls()) {
                    server = old != null && Objects.equals(old.spec().tls(), spec.tls())
                            ? old.serverContext()
                            : tls.server(spec.tls());
                }
                next.add(new Sites.Site(spec, route, server));
            } catch (GeneralSecurityException | SSLException | RuntimeException e) {
                throw new SiteFailure(spec, e);
            }
        }
        this.sites = new Sites(next);
    }

    String gatewayKey() {
        return gatewayKey;
    }

    ConnectionObserver observer() {
        return observer;
    }

    Sites sites() {
        return sites;
    }

    boolean terminatesTls() {
        return sites.terminatesTls();
    }

    String describe() {
        return sites.all().stream()
                .map(s -> "'" + s.spec().name() + "'")
                .reduce((a, b) -> a + ", " + b)
                .orElse("");
    }

    /** One listener of this socket (all share its address and port). */
    ListenerSpec anySpec() {
        return sites.single().spec();
    }

    String bindKey() {
        return anySpec().bindKey();
    }

    void bound(List<Channel> channels) {
        this.serverChannels = List.copyOf(channels);
    }

    List<Channel> serverChannels() {
        return serverChannels;
    }

    /** Opens the backend side of this socket's connections. */
    BackendConnector connector() {
        return connector;
    }

    void warn(String kind, String message) {
        warnings.warn(bindKey() + "/" + kind, message);
    }

    ChannelGroup connections() {
        return connections;
    }

    /** The longest drain timeout of the routes this socket serves. */
    Duration drainTimeout() {
        return sites.all().stream()
                .map(s -> s.spec().route().drainTimeout())
                .max(Duration::compareTo)
                .orElse(Duration.ZERO);
    }

    /**
     * The most bytes of TLVs a PROXY v2 header in front may carry (cloud load balancers send tens of bytes);
     * a longer header is refused.
     */
    static final int MAX_PROXY_TLV_BYTES = 4096;

    /**
     * Sets up each accepted connection with the sites current at accept time: behind a load balancer that sends a
     * PROXY header, the header is read first (from a trusted peer only); then the client access lists are
     * applied to the client, and the connection is served.
     */
    ChannelInitializer<SocketChannel> childInitializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                CloseStopsReading.addFirst(ch.pipeline());
                if (connections.size() >= maxConnections) {
                    // Slow or idle clients cannot take every descriptor and event-loop slot of the process.
                    warnings.warn(
                            bindKey() + "/max-connections",
                            "Listener " + describe() + " has "
                                    + maxConnections
                                    + " open connections (gatehouse.dataplane.max-connections-per-listener);"
                                    + " closing new ones until some finish");
                    observer.failed(
                            gatewayKey, sites.countedUnder(null).spec().name(), ConnectionFailure.MAX_CONNECTIONS);
                    ch.close();
                    return;
                }
                Sites current = sites;
                InboundProxy proxy = current.proxyProtocol();
                if (proxy == null) {
                    connections.add(ch);
                    admit(ch, current, null);
                } else if (!proxy.trusts(ch.remoteAddress().getAddress())) {
                    // Closed before anything is read: an untrusted peer cannot even make the header be parsed.
                    reject(ch, current, ConnectionFailure.PROXY_HEADER_REJECTED);
                } else {
                    connections.add(ch);
                    ch.pipeline()
                            .addLast("proxy-detector", new ProxyHeaderDetector(MAX_PROXY_TLV_BYTES))
                            .addLast(
                                    "proxy-header",
                                    new InboundProxyHandler(
                                            new InboundProxyHandler.Admission() {
                                                @Override
                                                public void admit(Channel channel, ClientOrigin origin) {
                                                    ListenerState.this.admit(channel, current, origin);
                                                }

                                                @Override
                                                public void reject(Channel channel, ConnectionFailure reason) {
                                                    ListenerState.this.reject(channel, current, reason);
                                                }
                                            },
                                            proxy.headerTimeout().toMillis()));
                }
            }
        };
    }

    /**
     * Serves a connection for {@code origin} ({@code null}: the peer is the client), unless the client access
     * lists refuse its client; a socket without lists pays nothing here.
     */
    private void admit(Channel ch, Sites current, ClientOrigin origin) {
        ClientAccess access = current.clientAccess();
        if (access != null) {
            InetSocketAddress client = origin == null ? (InetSocketAddress) ch.remoteAddress() : origin.client();
            if (!access.admits(client.getAddress())) {
                reject(ch, current, ConnectionFailure.CLIENT_DENIED);
                return;
            }
        }
        if (current.terminatesTls()) {
            // The handshake needs reads; FrontendHandler turns reading off again once it is done.
            ch.config().setAutoRead(true);
            Sites.Site sole = current.soleTlsSite();
            if (sole != null) {
                // No host names to choose by: straight to the handshake, without parsing the ClientHello
                // for its SNI first (measured: docs/benchmarks.md, TLS handshakes).
                SslHandler tls = sole.serverContext().newHandler(ch.alloc());
                tls.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
                ch.pipeline().addLast("tls", tls);
            } else {
                ch.pipeline().addLast("sni", new SniHandler(current, handshakeTimeoutMillis));
            }
        }
        ch.pipeline().addLast("frontend", new FrontendHandler(ListenerState.this, current, origin));
    }

    /** Counts a connection refused before it was served, and closes it. */
    private void reject(Channel ch, Sites current, ConnectionFailure reason) {
        if (log.isDebugEnabled()) {
            log.debug("Listener {} refused {}: {}", describe(), ch.remoteAddress(), reason.tag());
        }
        observer.failed(gatewayKey, current.countedUnder(null).spec().name(), reason);
        ch.close();
    }
}
