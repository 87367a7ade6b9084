package dev.gatehouse.dataplane.proxy;

import dev.gatehouse.dataplane.ApplyResult;
import dev.gatehouse.dataplane.ApplyResult.ListenerFailure;
import dev.gatehouse.dataplane.DataPlane;
import dev.gatehouse.dataplane.DataPlaneSettings;
import dev.gatehouse.dataplane.GatewaySnapshot;
import dev.gatehouse.dataplane.ListenerSpec;
import dev.gatehouse.dataplane.ServerHealthReport;
import dev.gatehouse.dataplane.health.HealthRegistry;
import dev.gatehouse.dataplane.tls.TlsContexts;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import java.security.GeneralSecurityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Netty data plane. One event-loop group serves accepts and relays; each listener is a
 * server channel; each proxied connection is a pair of channels on one event loop.
 * <p>Applying diffs against what runs: a listener keyed by the same address, port and protocol keeps its
 * socket and swaps its route; a removed listener stops accepting (its open connections run on); a new
 * one is bound, and a bind failure is reported for that listener only.
 * <p>Thread-safety: {@link #apply} and {@link #remove} are called by one thread at a time (the reconciler).
 */
public final class NettyDataPlane implements DataPlane {

    private static final Logger log = LoggerFactory.getLogger(NettyDataPlane.class);

    private final DataPlaneSettings settings;
    private final Transport transport;
    private final EventLoopGroup group;
    private final DnsAddressResolverGroup resolver;
    private final Bootstrap backendTemplate;
    private final TlsContexts tls;
    private final HealthRegistry health;
    private final RateLimitedLog warnings = new RateLimitedLog(log, Duration.ofSeconds(10));
    /** gateway key -> bind key -> running listener. */
    private final Map<String, Map<String, ListenerState>> running = new ConcurrentHashMap<>();

    public NettyDataPlane(DataPlaneSettings settings) {
        this(settings, observation -> { });
    }

    /** @param probeObserver receives every probe result (on an event loop; must not block), for metrics */
    public NettyDataPlane(DataPlaneSettings settings, Consumer<HealthRegistry.ProbeObservation> probeObserver) {
        this.settings = settings;
        this.transport = Transport.select(settings.nativeTransport());
        int threads = settings.threads() > 0 ? settings.threads() : Runtime.getRuntime().availableProcessors();
        this.group = new MultiThreadIoEventLoopGroup(threads, transport.ioHandlerFactory());
        this.resolver = new DnsAddressResolverGroup(new DnsNameResolverBuilder()
                .datagramChannelType(transport.datagramChannel())
                .socketChannelType(transport.socketChannel()));
        this.backendTemplate = new Bootstrap()
                .channel(transport.socketChannel())
                .resolver(resolver)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis());
        this.tls = new TlsContexts(settings.openSsl());
        this.health = new HealthRegistry(group, backendTemplate, tls, Clock.systemUTC(), probeObserver);
        Throwable nativeCause = Transport.nativeUnavailabilityCause();
        log.info("Data plane started: {} transport, {} event loops{}", transport.name(), threads,
                settings.nativeTransport() && nativeCause != null ? " (epoll unavailable: " + nativeCause + ")" : "");
    }

    @Override
    public ApplyResult apply(GatewaySnapshot snapshot) {
        // Probers first: the routes below look up the health records they create.
        health.apply(snapshot);
        Map<String, ListenerState> current = running.computeIfAbsent(snapshot.gatewayKey(), k -> new ConcurrentHashMap<>());
        Map<String, List<ListenerSpec>> desired = snapshot.bySocket();

        // Stop what is no longer wanted first, so that a listener moving between names can rebind.
        for (var it = current.entrySet().iterator(); it.hasNext();) {
            var entry = it.next();
            List<ListenerSpec> wanted = desired.get(entry.getKey());
            if (wanted == null || wanted.get(0).terminatesTls() != entry.getValue().terminatesTls()) {
                stop(entry.getValue());
                it.remove();
            }
        }
        List<ListenerFailure> failures = new ArrayList<>();
        for (var entry : desired.entrySet()) {
            ListenerState existing = current.get(entry.getKey());
            if (existing != null) {
                try {
                    existing.update(entry.getValue());
                } catch (GeneralSecurityException | SSLException | RuntimeException e) {
                    // The socket keeps serving what it served before: last known good.
                    entry.getValue().forEach(l -> failures.add(certificateFailure(l, e)));
                }
                continue;
            }
            failures.addAll(start(snapshot.gatewayKey(), entry.getValue(), current));
        }
        if (current.isEmpty()) {
            running.remove(snapshot.gatewayKey());
        }
        return new ApplyResult(failures);
    }

    private static ListenerFailure certificateFailure(ListenerSpec l, Exception e) {
        return new ListenerFailure(l.name(), "ListenerCertificateFailed", "Listener '" + l.name() + "' on "
                + l.bindKey() + " cannot use certificate '" + (l.tls() == null ? "" : l.tls().certificateName())
                + "': " + describe(e) + ".");
    }

    private List<ListenerFailure> start(String gatewayKey, List<ListenerSpec> specs, Map<String, ListenerState> current) {
        ListenerSpec first = specs.get(0);
        ListenerState state;
        try {
            state = new ListenerState(specs, backendTemplate, warnings, tls, settings.tlsHandshakeTimeout().toMillis(),
                    route -> health.healthOf(gatewayKey, route));
        } catch (GeneralSecurityException | SSLException | RuntimeException e) {
            return specs.stream().map(l -> certificateFailure(l, e)).toList();
        }
        ServerBootstrap server = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(state.childInitializer());
        ChannelFuture bind = server.bind(new InetSocketAddress(literal(first.address()), first.port()));
        String reason = null;
        if (!bind.awaitUninterruptibly(settings.bindTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            bind.cancel(false);
            bind.channel().close();
            reason = "did not bind within " + settings.bindTimeout().toMillis() + " ms";
        } else if (!bind.isSuccess()) {
            reason = describe(bind.cause());
        }
        if (reason != null) {
            String why = reason;
            return specs.stream().map(l -> new ListenerFailure(l.name(), "ListenerBindFailed", "Listener '"
                    + l.name() + "' could not bind " + l.bindKey() + ": " + why + ".")).toList();
        }
        state.bound(bind.channel());
        current.put(first.bindKey(), state);
        log.info("Listener {} accepting on {}{}", state.describe(), first.bindKey(), first.terminatesTls() ? " (TLS)" : "");
        return List.of();
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        // Netty's native transport prefixes errno text with the syscall ("bind(..) failed: ").
        int colon = message.indexOf("failed: ");
        return colon >= 0 ? message.substring(colon + "failed: ".length()) : message;
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(address));
        } catch (UnknownHostException | NullPointerException e) {
            throw new IllegalArgumentException("not an IP literal: " + address, e);
        }
    }

    private void stop(ListenerState state) {
        if (state.serverChannel() != null) {
            state.serverChannel().close().awaitUninterruptibly(settings.bindTimeout().toMillis());
            log.info("Listener {} stopped accepting on {}", state.describe(), state.bindKey());
        }
    }

    @Override
    public void remove(String gatewayKey) {
        Map<String, ListenerState> listeners = running.remove(gatewayKey);
        if (listeners != null) {
            listeners.values().forEach(this::stop);
        }
        health.remove(gatewayKey);
    }

    @Override
    public List<ServerHealthReport> health(String gatewayKey) {
        return health.reports(gatewayKey);
    }

    @Override
    public Set<String> gatewayKeys() {
        return Set.copyOf(running.keySet());
    }

    @Override
    public void close() {
        running.keySet().forEach(this::remove);
        resolver.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        log.info("Data plane stopped");
    }
}
