package dev.gatehouse.dataplane.proxy;

import dev.gatehouse.dataplane.ApplyCodes;
import dev.gatehouse.dataplane.ApplyResult;
import dev.gatehouse.dataplane.ApplyResult.ListenerFailure;
import dev.gatehouse.dataplane.ConnectionObserver;
import dev.gatehouse.dataplane.DataPlane;
import dev.gatehouse.dataplane.DataPlaneSettings;
import dev.gatehouse.dataplane.GatewaySnapshot;
import dev.gatehouse.dataplane.ListenerSpec;
import dev.gatehouse.dataplane.ServerHealthReport;
import dev.gatehouse.dataplane.health.HealthRegistry;
import dev.gatehouse.dataplane.tls.TlsContexts;
import dev.gatehouse.net.SocketAddresses;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
    private final BackendConnector connector;
    private final ListenerSockets sockets;
    private final TlsContexts tls;
    private final HealthRegistry health;
    private final ConnectionObserver connectionObserver;
    private final RateLimitedLog warnings = new RateLimitedLog(log, Duration.ofSeconds(10));
    /** gateway key -> bind key -> running listener. */
    private final Map<String, Map<String, ListenerState>> running = new ConcurrentHashMap<>();

    public NettyDataPlane(DataPlaneSettings settings) {
        this(settings, observation -> {}, ConnectionObserver.NONE);
    }

    /**
     * @param probeObserver      receives every probe result (on an event loop; must not block), for metrics
     * @param connectionObserver hears of every proxied connection (on an event loop; must not block)
     */
    public NettyDataPlane(
            DataPlaneSettings settings,
            Consumer<HealthRegistry.ProbeObservation> probeObserver,
            ConnectionObserver connectionObserver) {
        this.settings = settings;
        this.connectionObserver = connectionObserver;
        this.transport = Transport.select(settings.nativeTransport(), settings.ioUring());
        int threads = settings.threads() > 0
                ? settings.threads()
                : Runtime.getRuntime().availableProcessors();
        this.group = new MultiThreadIoEventLoopGroup(threads, transport.ioHandlerFactory());
        this.resolver = new DnsAddressResolverGroup(new DnsNameResolverBuilder()
                .datagramChannelType(transport.datagramChannel())
                .socketChannelType(transport.socketChannel()));
        this.backendTemplate = new Bootstrap()
                .channel(transport.socketChannel())
                .resolver(resolver)
                // TCP_NODELAY: every transport's socket channel turns it on when made (TransportTests)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, ListenerSockets.waterMark(settings))
                .option(ChannelOption.ALLOCATOR, ListenerSockets.allocator(settings))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        settings.connectTimeout().toMillis());
        this.connector = new BackendConnector(
                backendTemplate,
                transport::newSocketChannel,
                settings.tlsHandshakeTimeout().toMillis());
        this.sockets = new ListenerSockets(settings, transport, group);
        this.tls = new TlsContexts(settings.openSsl());
        this.health = new HealthRegistry(group, backendTemplate, tls, Clock.systemUTC(), probeObserver);
        String unavailable = transport.unavailability(settings.nativeTransport(), settings.ioUring());
        log.info(
                "Data plane started: {} transport, {} event loops{}",
                transport.name(),
                threads,
                unavailable == null ? "" : " (" + unavailable + ")");
    }

    @Override
    public ApplyResult apply(GatewaySnapshot snapshot) {
        // Probers first: the routes below look up the health records they create.
        health.apply(snapshot);
        Map<String, ListenerState> current =
                running.computeIfAbsent(snapshot.gatewayKey(), k -> new ConcurrentHashMap<>());
        Map<String, List<ListenerSpec>> desired = snapshot.bySocket();
        Map<String, ListenerSpec> runningSockets = new HashMap<>();
        current.forEach((bindKey, state) -> runningSockets.put(bindKey, state.anySpec()));
        SocketPlan plan = SocketPlan.of(runningSockets, desired);

        // Stop first what must go before a bind can succeed.
        for (String bindKey : plan.stopFirst()) {
            sockets.stop(current.remove(bindKey));
        }
        // Update what stays and bind what is new, in snapshot order, before anything else stops.
        List<ListenerFailure> failures = new ArrayList<>();
        Set<String> failedListeners = new HashSet<>();
        for (var entry : desired.entrySet()) {
            List<ListenerFailure> found = plan.updates(entry.getKey())
                    ? update(current.get(entry.getKey()), entry.getValue())
                    : start(snapshot.gatewayKey(), entry.getValue(), current);
            found.forEach(f -> failedListeners.add(f.listener()));
            failures.addAll(found);
        }
        // Stop sockets no longer wanted, except one whose listener could not move to its new address and
        // port: it keeps serving its last good configuration until the move succeeds.
        for (String bindKey : plan.stopAfter()) {
            ListenerState leaving = current.get(bindKey);
            boolean lastKnownGood = leaving.sites().all().stream()
                    .anyMatch(site -> failedListeners.contains(site.spec().name()));
            if (!lastKnownGood) {
                sockets.stop(leaving);
                current.remove(bindKey);
            }
        }
        if (current.isEmpty()) {
            running.remove(snapshot.gatewayKey());
        }
        connectionObserver.listenersApplied(snapshot.gatewayKey(), listenerNames(current));
        return new ApplyResult(failures);
    }

    /** Another gateway of this process whose socket overlaps {@code spec}'s, or {@code null}. */
    private String ownerOfOverlappingSocket(String gatewayKey, ListenerSpec spec) {
        for (var gateway : running.entrySet()) {
            if (gateway.getKey().equals(gatewayKey)) {
                continue;
            }
            for (ListenerState other : gateway.getValue().values()) {
                if (SocketAddresses.overlap(other.anySpec().bindAddress(), spec.bindAddress())) {
                    return gateway.getKey();
                }
            }
        }
        return null;
    }

    private static List<ListenerFailure> update(ListenerState existing, List<ListenerSpec> specs) {
        try {
            existing.update(specs);
            return List.of();
        } catch (ListenerState.SiteFailure e) {
            // The socket keeps serving what it served before: last known good.
            return List.of(certificateFailure(e, true));
        }
    }

    private static ListenerFailure certificateFailure(ListenerState.SiteFailure failure, boolean wasServing) {
        ListenerSpec l = failure.listener;
        String what = l.tls() != null
                ? "certificate '" + l.tls().certificateName() + "'"
                : "the TLS settings of its backends";
        return new ListenerFailure(
                l.name(),
                ApplyCodes.LISTENER_CERTIFICATE_FAILED,
                "Listener '" + l.name() + "' on "
                        + l.bindKey() + " cannot use " + what + ": " + ListenerSockets.describe(failure)
                        + (wasServing ? "; it keeps its previous configuration." : "; it is not bound."));
    }

    private List<ListenerFailure> start(
            String gatewayKey, List<ListenerSpec> specs, Map<String, ListenerState> current) {
        ListenerSpec first = specs.get(0);
        if (settings.reusePort() || settings.acceptPerEventLoop()) {
            // SO_REUSEPORT would let a second gateway of this process bind the same port and silently share its
            // connections; the kernel no longer refuses it, so this process does.
            String owner = ownerOfOverlappingSocket(gatewayKey, first);
            if (owner != null) {
                return bindFailed(specs, "gateway " + owner + " already listens there");
            }
        }
        ListenerState state;
        try {
            state = new ListenerState(
                    specs,
                    connector,
                    warnings,
                    tls,
                    settings.tlsHandshakeTimeout().toMillis(),
                    settings.maxConnectionsPerListener(),
                    route -> health.healthOf(gatewayKey, route),
                    gatewayKey,
                    connectionObserver);
        } catch (ListenerState.SiteFailure e) {
            return List.of(certificateFailure(e, false));
        }
        String reason = sockets.bind(state, first.bindAddress());
        if (reason != null) {
            return bindFailed(specs, reason);
        }
        current.put(first.bindKey(), state);
        log.info(
                "Listener {} accepting on {}{}",
                state.describe(),
                first.bindKey(),
                first.terminatesTls() ? " (TLS)" : "");
        return List.of();
    }

    private static List<ListenerFailure> bindFailed(List<ListenerSpec> specs, String why) {
        return specs.stream()
                .map(l -> new ListenerFailure(
                        l.name(),
                        ApplyCodes.LISTENER_BIND_FAILED,
                        "Listener '" + l.name() + "' could not bind " + l.bindKey() + ": " + why + "."))
                .toList();
    }

    /** The I/O transport the event loops run: {@code io_uring}, {@code epoll} or {@code nio}. */
    public String transportName() {
        return transport.name();
    }

    /**
     * Chooses the TLS provider on a thread of its own (its {@code TLS provider: ...} line), unless a TLS listener or
     * backend has already: called once the first listeners serve, so that loading OpenSSL does not delay them.
     */
    public void prepareTls() {
        Thread choosing = new Thread(tls::provider, "gatehouse-tls-provider");
        choosing.setDaemon(true);
        choosing.start();
    }

    @Override
    public void remove(String gatewayKey) {
        Map<String, ListenerState> listeners = running.remove(gatewayKey);
        if (listeners != null) {
            listeners.values().forEach(sockets::stop);
        }
        health.remove(gatewayKey);
        connectionObserver.listenersApplied(gatewayKey, Set.of());
    }

    /** The names of the listeners served by a gateway's sockets. */
    private static Set<String> listenerNames(Map<String, ListenerState> sockets) {
        Set<String> names = new HashSet<>();
        sockets.values()
                .forEach(state -> state.sites()
                        .all()
                        .forEach(site -> names.add(site.spec().name())));
        return Set.copyOf(names);
    }

    @Override
    public List<ServerHealthReport> health(String gatewayKey) {
        return health.reports(gatewayKey);
    }

    @Override
    public Set<String> gatewayKeys() {
        Set<String> keys = new HashSet<>(running.keySet());
        keys.addAll(health.gatewayKeys());
        return Set.copyOf(keys);
    }

    /**
     * Graceful shutdown: every listener stops accepting, open connections get up to their drain timeout
     * to finish (bounded by the settings' shutdown drain), then the event loops stop.
     */
    @Override
    public void close() {
        List<ListenerState> all =
                running.values().stream().flatMap(m -> m.values().stream()).toList();
        running.keySet().forEach(this::remove);
        long deadline = System.nanoTime() + settings.shutdownDrainTimeout().toNanos();
        for (ListenerState state : all) {
            long left = deadline - System.nanoTime();
            if (left > 0 && !state.connections().isEmpty()) {
                state.connections().newCloseFuture().awaitUninterruptibly(TimeUnit.NANOSECONDS.toMillis(left));
            }
            state.connections().close();
        }
        resolver.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        log.info("Data plane stopped");
    }
}
