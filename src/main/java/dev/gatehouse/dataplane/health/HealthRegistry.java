package dev.gatehouse.dataplane.health;

import dev.gatehouse.dataplane.BackendTls;
import dev.gatehouse.dataplane.GatewaySnapshot;
import dev.gatehouse.dataplane.ListenerSpec;
import dev.gatehouse.dataplane.ProbeSpec;
import dev.gatehouse.dataplane.Route;
import dev.gatehouse.dataplane.ServerHealthReport;
import dev.gatehouse.dataplane.tls.TlsContexts;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health probing for the whole data plane: one {@link Prober} per (gateway, pool, settings) pair, started
 * with the first snapshot that needs it and stopped with the last, and the {@link ServerHealth} records
 * the relay reads to choose servers. A record lives as long as some route uses its server, so health
 * survives changes that do not touch the server (a new timeout, a new listener).
 * <p>Thread-safety: {@link #apply} and {@link #remove} are called by one thread (the reconciler); the
 * maps are concurrent because event loops and the API read them.
 */
public final class HealthRegistry {

    private static final Logger log = LoggerFactory.getLogger(HealthRegistry.class);

    private final EventLoopGroup group;
    private final Bootstrap template;
    private final TlsContexts tls;
    private final Clock clock;
    private final Consumer<ProbeObservation> observer;
    /** gateway -> "pool/settings" -> prober. */
    private final Map<String, Map<String, Prober>> probers = new ConcurrentHashMap<>();
    /** gateway -> "pool/settings/host:port" -> health. */
    private final Map<String, Map<String, ServerHealth>> health = new ConcurrentHashMap<>();
    /** gateway -> "pool/settings/host:port" -> health of servers removed from their pool, still draining. */
    private final Map<String, Map<String, ServerHealth>> draining = new ConcurrentHashMap<>();

    /** One probe result with its labels, for metrics. */
    public record ProbeObservation(
            String gatewayKey, String pool, String settings, String server, boolean success, long nanos) {}

    public HealthRegistry(
            EventLoopGroup group,
            Bootstrap template,
            TlsContexts tls,
            Clock clock,
            Consumer<ProbeObservation> observer) {
        this.group = group;
        this.template = template;
        this.tls = tls;
        this.clock = clock;
        this.observer = observer;
    }

    /** Starts, updates and stops the gateway's probers to match the snapshot's routes. */
    public void apply(GatewaySnapshot snapshot) {
        String gateway = snapshot.gatewayKey();
        Map<String, Route> routes = new LinkedHashMap<>();
        for (ListenerSpec l : snapshot.listeners()) {
            routes.putIfAbsent(l.route().pool() + "/" + l.route().settings(), l.route());
        }
        Map<String, ServerHealth> records = health.computeIfAbsent(gateway, k -> new ConcurrentHashMap<>());
        Map<String, Prober> running = probers.computeIfAbsent(gateway, k -> new ConcurrentHashMap<>());
        Set<String> usedRecords = new HashSet<>();
        for (var entry : routes.entrySet()) {
            Route route = entry.getValue();
            Prober existing = running.get(entry.getKey());
            try {
                Prober.Target target = target(route, records, usedRecords);
                if (existing == null) {
                    Prober prober = new Prober(
                            group.next(),
                            template,
                            clock,
                            target,
                            r -> observer.accept(new ProbeObservation(
                                    gateway,
                                    route.pool(),
                                    route.settings(),
                                    Route.Endpoint.hostPort(
                                            r.server().address().getHostString(),
                                            r.server().address().getPort()),
                                    r.success(),
                                    r.nanos())));
                    running.put(entry.getKey(), prober);
                    prober.start();
                } else {
                    existing.update(target);
                }
            } catch (Exception e) {
                log.warn("Cannot probe pool '{}' with settings '{}': {}", route.pool(), route.settings(), e.toString());
            }
        }
        running.entrySet().removeIf(e -> {
            boolean gone = !routes.containsKey(e.getKey());
            if (gone) {
                e.getValue().stop();
            }
            return gone;
        });
        for (var it = records.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (!usedRecords.contains(entry.getKey())) {
                it.remove();
                drain(gateway, entry.getKey(), entry.getValue());
            }
        }
    }

    /**
     * A server left its pool: its open connections may finish within the drain timeout of the route it
     * served; meanwhile it is reported as Draining. Then what is still open is closed.
     */
    private void drain(String gateway, String key, ServerHealth removed) {
        if (removed.connections().isEmpty()) {
            return;
        }
        removed.startDraining();
        Map<String, ServerHealth> gatewayDraining = draining.computeIfAbsent(gateway, k -> new ConcurrentHashMap<>());
        gatewayDraining.put(key, removed);
        Duration timeout = removed.drainTimeout();
        log.info(
                "Server {} left pool '{}': draining {} connection(s) for up to {}",
                removed.report().server(),
                removed.report().pool(),
                removed.connections().size(),
                timeout);
        group.next()
                .schedule(
                        () -> {
                            removed.connections().close();
                            gatewayDraining.remove(key, removed);
                        },
                        timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
        removed.connections().newCloseFuture().addListener(f -> gatewayDraining.remove(key, removed));
    }

    private Prober.Target target(Route route, Map<String, ServerHealth> records, Set<String> used) throws Exception {
        ProbeSpec spec = route.probe();
        List<Prober.Server> servers = new ArrayList<>();
        for (Route.Endpoint e : route.servers()) {
            String key = recordKey(route, e);
            used.add(key);
            ServerHealth h = records.computeIfAbsent(
                    key, k -> new ServerHealth(route.pool(), route.settings(), e.host(), e.toString()));
            h.drainTimeout(route.drainTimeout());
            int port = spec.port() != null ? spec.port() : e.port();
            servers.add(new Prober.Server(e.socketAddress(port), sni(spec, route, e), h));
        }
        // A Tls probe verifies like live traffic: the settings' trusted roots (or the JDK's) and host name.
        SslContext context = spec.tls()
                ? tls.client(route.tls() != null ? route.tls() : new BackendTls(null, false, List.of()))
                : null;
        return new Prober.Target(List.copyOf(servers), spec, context);
    }

    private static String sni(ProbeSpec spec, Route route, Route.Endpoint e) {
        if (spec.host() != null) {
            return spec.host();
        }
        if (route.tls() == null) {
            return null;
        }
        return route.tls().sniHostName() != null
                ? route.tls().sniHostName()
                : route.tls().sniFromAddress() ? e.host() : null;
    }

    private static String recordKey(Route route, Route.Endpoint e) {
        return route.pool() + "/" + route.settings() + "/" + e;
    }

    /** The health records of a route's servers, in the route's order ({@code null} for one never seen). */
    public ServerHealth[] healthOf(String gatewayKey, Route route) {
        Map<String, ServerHealth> records = health.getOrDefault(gatewayKey, Map.of());
        return route.servers().stream()
                .map(e -> records.get(recordKey(route, e)))
                .toArray(ServerHealth[]::new);
    }

    public List<ServerHealthReport> reports(String gatewayKey) {
        return Stream.concat(
                        health.getOrDefault(gatewayKey, Map.of()).values().stream(),
                        draining.getOrDefault(gatewayKey, Map.of()).values().stream())
                .map(ServerHealth::report)
                .sorted(Comparator.comparing(ServerHealthReport::pool)
                        .thenComparing(ServerHealthReport::settings)
                        .thenComparing(ServerHealthReport::server))
                .toList();
    }

    /** Gateways with probers or health records (some may have no bound socket). */
    public Set<String> gatewayKeys() {
        Set<String> keys = new HashSet<>(probers.keySet());
        keys.addAll(health.keySet());
        return keys;
    }

    public void remove(String gatewayKey) {
        Map<String, Prober> running = probers.remove(gatewayKey);
        if (running != null) {
            running.values().forEach(Prober::stop);
        }
        Map<String, ServerHealth> records = health.remove(gatewayKey);
        if (records != null) {
            records.forEach((key, record) -> drain(gatewayKey, key, record));
        }
    }
}
