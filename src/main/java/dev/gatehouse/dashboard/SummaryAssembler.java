package dev.gatehouse.dashboard;

import dev.gatehouse.dataplane.DataPlane;
import dev.gatehouse.dataplane.ServerHealthReport;
import dev.gatehouse.gateway.model.ApplicationGatewayProperties;
import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.ChildResource;
import dev.gatehouse.gateway.model.ListenerProperties;
import dev.gatehouse.gateway.model.Reference;
import dev.gatehouse.gateway.operations.AsyncOperation;
import dev.gatehouse.gateway.operations.AsyncOperations;
import dev.gatehouse.gateway.store.GatewayStore;
import dev.gatehouse.gateway.store.StoredGateway;
import dev.gatehouse.observability.ConnectionMetrics;
import dev.gatehouse.observability.ListenerTraffic;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Builds the dashboard's summary from what is already in hand: the stored documents (kept decoded by etag), the
 * data plane's probe results, the listeners' live counters and one indexed query for recent operations. No
 * per-listener query: the cost grows with the number of gateways and listeners only in memory.
 */
@Component
class SummaryAssembler {

    private final GatewayStore store;
    private final AsyncOperations operations;
    private final DataPlane dataPlane;
    private final ConnectionMetrics connections;
    private final Clock clock;

    SummaryAssembler(
            GatewayStore store,
            AsyncOperations operations,
            DataPlane dataPlane,
            ConnectionMetrics connections,
            Optional<Clock> clock) {
        this.store = store;
        this.operations = operations;
        this.dataPlane = dataPlane;
        this.connections = connections;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    DashboardSummary summary() {
        Map<String, Map<String, ListenerTraffic>> traffic = new HashMap<>();
        for (ListenerTraffic t : connections.traffic()) {
            traffic.computeIfAbsent(t.gatewayKey(), k -> new HashMap<>()).put(t.listener(), t);
        }
        List<DashboardSummary.Gateway> gateways = store.all().stream()
                .map(g -> gateway(g, traffic.getOrDefault(g.key().value(), Map.of())))
                .toList();
        List<DashboardSummary.Operation> recent =
                operations.recent().stream().map(SummaryAssembler::operation).toList();
        return new DashboardSummary(clock.instant(), gateways, recent);
    }

    private DashboardSummary.Gateway gateway(StoredGateway g, Map<String, ListenerTraffic> traffic) {
        ApplicationGatewayProperties p = g.spec().properties();
        List<DashboardSummary.Listener> listeners = ChildCollection.LISTENERS.items(p).stream()
                .map(l -> listener(p, l, traffic.get(l.name())))
                .toList();
        return new DashboardSummary.Gateway(
                g.key().id(),
                g.key().name(),
                g.key().resourceGroup(),
                g.provisioningState().name(),
                g.operationalState().name(),
                g.provisioningError() == null ? null : g.provisioningError().message(),
                listeners,
                pools(dataPlane.health(g.key().value())));
    }

    private static DashboardSummary.Listener listener(
            ApplicationGatewayProperties p, ChildResource<ListenerProperties> listener, ListenerTraffic t) {
        ListenerProperties l = listener.properties();
        String host = find(ChildCollection.FRONTEND_IP_CONFIGURATIONS, p, l.frontendIPConfiguration())
                .map(c -> c.properties().privateIPAddress())
                .orElse("?");
        String port = find(ChildCollection.FRONTEND_PORTS, p, l.frontendPort())
                .map(c -> String.valueOf(c.properties().port()))
                .orElse("?");
        String address = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        return t == null
                ? new DashboardSummary.Listener(listener.name(), l.protocol().name(), address, 0, 0, 0, 0)
                : new DashboardSummary.Listener(
                        listener.name(),
                        l.protocol().name(),
                        address,
                        t.accepted(),
                        t.active(),
                        t.bytesFromClient(),
                        t.bytesToClient());
    }

    private static <P> Optional<ChildResource<P>> find(
            ChildCollection<P> c, ApplicationGatewayProperties p, Reference ref) {
        return ref == null ? Optional.empty() : c.find(p, ref.targetName());
    }

    /** Probe results grouped by pool, in the data plane's order. */
    private static List<DashboardSummary.Pool> pools(List<ServerHealthReport> reports) {
        Map<String, List<DashboardSummary.Server>> byPool = new LinkedHashMap<>();
        for (ServerHealthReport r : reports) {
            String reason = r.lastFailureAt() != null
                            && (r.lastSuccessAt() == null || r.lastFailureAt().isAfter(r.lastSuccessAt()))
                    ? r.lastFailureReason()
                    : null;
            byPool.computeIfAbsent(r.pool(), k -> new ArrayList<>())
                    .add(new DashboardSummary.Server(
                            r.address(),
                            r.server(),
                            r.settings(),
                            r.health().name(),
                            reason,
                            r.healthSince(),
                            r.consecutiveFailures()));
        }
        return byPool.entrySet().stream()
                .map(e -> new DashboardSummary.Pool(e.getKey(), List.copyOf(e.getValue())))
                .toList();
    }

    private static DashboardSummary.Operation operation(AsyncOperation o) {
        return new DashboardSummary.Operation(
                o.name(),
                o.operation(),
                o.status(),
                o.resourceId(),
                o.startTime(),
                o.endTime(),
                o.error() == null ? null : o.error().message());
    }
}
