package dev.gatehouse.dataplane.proxy;

import dev.gatehouse.dataplane.ProxyProtocol;
import dev.gatehouse.dataplane.Route;
import dev.gatehouse.dataplane.channel.CloseStopsReading;
import dev.gatehouse.dataplane.tls.TlsContexts;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the backend side of a client connection, ready for the relay: connects to the route's servers in the
 * given order, each at most once, trying the next when one fails; then writes the PROXY header when the route
 * sends one ({@link BackendProxyHeader}), and only then adds the backend {@link SslHandler} when the route uses
 * TLS, so the header leaves in cleartext before the ClientHello.
 * <p>Threading: the backend channel is registered on the client channel's event loop (HexDumpProxy's shape), so
 * both sides of the relay share one thread, and every {@link Outcome} call happens on it. Nothing blocks.
 * <p>A server given as an IP address (the common case, and the whole of the new-connection hot path) gets its
 * channel made, configured, registered and connected here, with the template's options read once: cloning a
 * {@link Bootstrap} per attempt copies its option map under a lock, looks the resolver up under another and
 * connects one event-loop task later (docs/benchmarks.md, Levers). A host name (resolved by the template's
 * non-blocking resolver), or a channel that cannot be made (out of file descriptors), goes through a clone of the
 * template, as before; the failure then reaches {@link Outcome} the same way.
 * <p>Buffers: the PROXY header is a new buffer from the backend channel's allocator, owned by that channel once
 * written. The connector never touches client bytes.
 * <p>Stateless apart from its settings: one instance serves every connection of a data plane.
 */
final class BackendConnector {

    private static final Logger log = LoggerFactory.getLogger(BackendConnector.class);

    private final Bootstrap template;
    /** A new channel for a server's IP address. */
    private final Function<InetAddress, ? extends Channel> channels;
    /** The template's channel options, read once, applied to each channel made here. */
    private final Map.Entry<ChannelOption<?>, Object>[] options;

    private final long handshakeTimeoutMillis;

    /**
     * @param template               backend channel options and resolver, and the channel factory for host names;
     *                               cloned for each attempt to a host name, read once for those to an IP address
     * @param channels               a new channel for a server's IP address ({@link Transport#newSocketChannel})
     * @param handshakeTimeoutMillis bound on the backend TLS handshake
     */
    @SuppressWarnings("unchecked")
    BackendConnector(
            Bootstrap template, Function<InetAddress, ? extends Channel> channels, long handshakeTimeoutMillis) {
        this.template = template;
        this.channels = channels;
        this.options = template.config().options().entrySet().toArray(new Map.Entry[0]);
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    /** Hears how a connect ended; called on the client's event loop. */
    interface Outcome {

        /**
         * A server accepted. {@code backend} relays to the client, has reading off, and has the PROXY header
         * written but not flushed, and its SslHandler in place: bytes written next follow the header.
         *
         * @param serverIndex the server's index in {@link RouteState#servers}
         */
        void connected(Channel backend, InetSocketAddress server, int serverIndex);

        /** No server in the order accepted; {@code lastTried} and {@code cause} are the last attempt's. */
        void unreachable(InetSocketAddress lastTried, Throwable cause);

        /** The TLS handshake with a connected backend failed; {@code reason} names the server, its SNI and why. */
        void backendTlsFailed(String reason);
    }

    /**
     * Connects {@code client} to the first server of {@code order} that accepts. When the client closes
     * meanwhile, the backend is closed and {@code outcome} hears nothing.
     *
     * @param order indexes into {@link RouteState#servers}, at least one
     * @param stats the connection's counters, for the backend side's relay
     */
    void connect(Channel client, RouteState route, int[] order, ConnectionStats stats, Outcome outcome) {
        connect(client, route, order, 0, stats, outcome);
    }

    private void connect(
            Channel client, RouteState route, int[] order, int attempt, ConnectionStats stats, Outcome outcome) {
        int index = order[attempt];
        InetSocketAddress server = route.servers[index];
        ChannelFuture connecting = open(client, server, new RelayHandler(client, stats, false));
        connecting.addListener(f -> {
            if (!client.eventLoop().inEventLoop()) {
                // A channel the template could not make fails on Netty's global executor: back to the client's
                // loop, where every Outcome call happens.
                client.eventLoop().execute(() -> attempted(connecting, client, route, order, attempt, stats, outcome));
            } else {
                attempted(connecting, client, route, order, attempt, stats, outcome);
            }
        });
    }

    /** What follows attempt {@code attempt}: the relay, the next server, or the end. On the client's event loop. */
    private void attempted(
            ChannelFuture f,
            Channel client,
            RouteState route,
            int[] order,
            int attempt,
            ConnectionStats stats,
            Outcome outcome) {
        int index = order[attempt];
        InetSocketAddress server = route.servers[index];
        Channel backend = f.channel();
        if (!client.isActive()) {
            backend.close();
        } else if (f.isSuccess()) {
            prepare(backend, client, stats, route, server, outcome);
            outcome.connected(backend, server, index);
        } else if (attempt + 1 < order.length) {
            log.debug(
                    "Connecting to backend {} for {} failed: {}; trying the next server",
                    server,
                    client.remoteAddress(),
                    f.cause().toString());
            connect(client, route, order, attempt + 1, stats, outcome);
        } else {
            outcome.unreachable(server, f.cause());
        }
    }

    /**
     * A channel with reading off, {@link CloseStopsReading} first and {@code relay} as its handler, registered on the
     * client's event loop and connecting to {@code server}; the returned future completes when the connect does.
     */
    private ChannelFuture open(Channel client, InetSocketAddress server, RelayHandler relay) {
        Channel backend = server.isUnresolved() ? null : newChannel(server.getAddress());
        if (backend == null) {
            ChannelFuture connected = template.clone()
                    .group(client.eventLoop())
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(relay)
                    .connect(server);
            CloseStopsReading.addFirst(connected.channel().pipeline());
            return connected;
        }
        ChannelConfig config = backend.config();
        for (Map.Entry<ChannelOption<?>, Object> option : options) {
            setOption(config, option.getKey(), option.getValue());
        }
        config.setAutoRead(false);
        CloseStopsReading.addFirst(backend.pipeline()).addLast(relay);
        ChannelPromise connected = backend.newPromise();
        client.eventLoop().register(backend).addListener(registered -> {
            if (registered.isSuccess()) {
                backend.connect(server, connected);
            } else {
                backend.unsafe().closeForcibly();
                connected.setFailure(registered.cause());
            }
        });
        return connected;
    }

    /** A new backend channel, or {@code null} when none can be made now (the template's path then says why). */
    private Channel newChannel(InetAddress address) {
        try {
            return channels.apply(address);
        } catch (ChannelException cannot) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void setOption(ChannelConfig config, ChannelOption<T> option, Object value) {
        if (!config.setOption(option, (T) value)) {
            log.warn(
                    "Backend channel option {} is not supported by {}",
                    option,
                    config.getClass().getSimpleName());
        }
    }

    private void prepare(
            Channel backend,
            Channel client,
            ConnectionStats stats,
            RouteState route,
            InetSocketAddress server,
            Outcome outcome) {
        ProxyProtocol proxyProtocol = route.route.proxyProtocol();
        if (proxyProtocol != null) {
            // Written before any TLS handler exists on this channel: it leaves in cleartext, first.
            backend.write(
                    BackendProxyHeader.encode(
                            backend.alloc(),
                            proxyProtocol,
                            stats.origin,
                            client,
                            proxyProtocol.tlvs().contains(ProxyProtocol.Tlv.UNIQUE_ID) ? stats.uniqueId() : null),
                    backend.voidPromise());
        }
        if (route.backendContext != null) {
            startTls(backend, route, server, outcome);
        }
    }

    private void startTls(Channel backend, RouteState route, InetSocketAddress server, Outcome outcome) {
        String sniHost = route.sniFor(server);
        SslHandler tls = TlsContexts.clientHandler(route.backendContext, backend.alloc(), sniHost, server.getPort());
        tls.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        backend.pipeline().addAfter(CloseStopsReading.NAME, "tls", tls);
        tls.handshakeFuture().addListener(f -> {
            if (!f.isSuccess()) {
                Throwable cause = f.cause();
                while (cause.getCause() != null && cause.getCause() != cause) {
                    cause = cause.getCause();
                }
                boolean sent = sniHost != null && NetUtil.createByteArrayFromIpAddressString(sniHost) == null;
                String reason = String.valueOf(cause.getMessage()).replaceAll("\\.+$", "");
                outcome.backendTlsFailed("TLS handshake with backend "
                        + Route.Endpoint.hostPort(server.getHostString(), server.getPort())
                        + (sent ? " (SNI " + sniHost + ")" : "") + " failed: " + reason);
            }
        });
    }
}
