package dev.gatehouse.observability;

import dev.gatehouse.dataplane.ConnectionObserver;
import dev.gatehouse.dataplane.DataPlane;
import dev.gatehouse.dataplane.HealthState;
import dev.gatehouse.dataplane.ServerHealthReport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Keeps each gateway's backend meters in step with what its data plane probes, after every apply: registers
 * {@code gatehouse.backend.pool.servers} (servers by health, per pool and backend settings, Azure's
 * HealthyHostCount and UnhealthyHostCount) for each pool it probes, and removes those gauges and the
 * {@code gatehouse.probe} timers of pools and servers it no longer probes.
 * <p>Thread-safety: {@link #listenersApplied} runs on the data plane's one applying thread; gauges are read by
 * scrapes on any thread.
 */
public final class PoolMeters implements ConnectionObserver {

    private final MeterRegistry registry;
    private volatile DataPlane dataPlane;
    /** The gauges registered per gateway and "pool/settings". */
    private final Map<String, Map<PoolKey, List<Meter>>> gauges = new ConcurrentHashMap<>();

    private record PoolKey(String pool, String settings) {}

    public PoolMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * The data plane whose health these gauges read; set once, right after it is built (it takes this observer
     * when it is built). Applies before that find no gauges to keep.
     */
    public void measure(DataPlane dataPlane) {
        this.dataPlane = dataPlane;
    }

    @Override
    public void listenersApplied(String gatewayKey, Set<String> listeners) {
        DataPlane dp = dataPlane;
        List<ServerHealthReport> reports = dp == null || listeners.isEmpty() ? List.of() : dp.health(gatewayKey);
        Set<PoolKey> pools =
                reports.stream().map(r -> new PoolKey(r.pool(), r.settings())).collect(Collectors.toSet());
        Map<PoolKey, List<Meter>> registered = gauges.computeIfAbsent(gatewayKey, k -> new ConcurrentHashMap<>());
        registered.keySet().removeIf(pool -> {
            if (pools.contains(pool)) {
                return false;
            }
            registered.get(pool).forEach(registry::remove);
            return true;
        });
        for (PoolKey pool : pools) {
            registered.computeIfAbsent(pool, p -> register(dp, gatewayKey, p));
        }
        if (registered.isEmpty()) {
            gauges.remove(gatewayKey);
        }
        Set<String> probed = reports.stream()
                .map(r -> r.pool() + "/" + r.settings() + "/" + r.server())
                .collect(Collectors.toSet());
        for (Timer probe :
                registry.find("gatehouse.probe").tag("gateway", gatewayKey).timers()) {
            Meter.Id id = probe.getId();
            if (!probed.contains(id.getTag("pool") + "/" + id.getTag("settings") + "/" + id.getTag("server"))) {
                registry.remove(probe);
            }
        }
    }

    private List<Meter> register(DataPlane dp, String gatewayKey, PoolKey pool) {
        List<Meter> meters = new ArrayList<>();
        for (HealthState state : HealthState.values()) {
            meters.add(Gauge.builder(
                            "gatehouse.backend.pool.servers",
                            dp,
                            d -> d.health(gatewayKey).stream()
                                    .filter(r -> r.pool().equals(pool.pool())
                                            && r.settings().equals(pool.settings())
                                            && r.health() == state)
                                    .count())
                    .description("Backend servers of a pool, as probed for one backend settings, by health")
                    .tag("gateway", gatewayKey)
                    .tag("pool", pool.pool())
                    .tag("settings", pool.settings())
                    .tag("health", state.name())
                    .register(registry));
        }
        return meters;
    }
}
