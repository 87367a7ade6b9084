package dev.gatehouse.backendhealth;

import dev.gatehouse.dataplane.DataPlane;
import dev.gatehouse.dataplane.HealthState;
import dev.gatehouse.dataplane.Route;
import dev.gatehouse.dataplane.ServerHealthReport;
import dev.gatehouse.gateway.model.ApplicationGatewayProperties;
import dev.gatehouse.gateway.model.BackendAddressPoolProperties;
import dev.gatehouse.gateway.model.BackendSettingsProperties;
import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.ChildResource;
import dev.gatehouse.gateway.model.GatewayKey;
import dev.gatehouse.gateway.model.Reference;
import dev.gatehouse.gateway.model.RoutingRuleProperties;
import dev.gatehouse.gateway.store.GatewayStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST .../applicationGateways/{gw}/backendhealth}: the probed health of every server of every
 * (pool, settings) pair that a routing rule uses. Answered synchronously from the data plane's records
 * (Azure answers 202 and makes the caller poll; there is nothing to wait for here).
 */
@RestController
@Tag(name = "Backend health")
class BackendHealthController {

    private final GatewayStore store;
    private final DataPlane dataPlane;

    BackendHealthController(GatewayStore store, DataPlane dataPlane) {
        this.store = store;
        this.dataPlane = dataPlane;
    }

    @PostMapping("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/"
            + "Microsoft.Network/applicationGateways/{applicationGatewayName}/backendhealth")
    @Operation(
            operationId = "ApplicationGateways_BackendHealth",
            summary = "Backend health of a gateway",
            description =
                    "Per backend pool, per backend settings, per "
                            + "server: Unknown (no probe has decided yet), Healthy or Unhealthy, with the reason of the last failure.")
    @ApiResponse(responseCode = "200", description = "The backend health")
    @ApiResponse(responseCode = "404", description = "No such gateway (ResourceNotFound)")
    BackendHealth backendHealth(
            @PathVariable String subscriptionId,
            @PathVariable String resourceGroupName,
            @PathVariable String applicationGatewayName,
            @Parameter(description = "Accepted for compatibility; ignored.")
                    @RequestParam(value = "$expand", required = false)
                    String expand) {
        GatewayKey key = GatewayKey.of(subscriptionId, resourceGroupName, applicationGatewayName);
        var gateway = store.find(key).orElseThrow(key::notFound);
        ApplicationGatewayProperties p = gateway.spec().properties();
        List<ServerHealthReport> reports = dataPlane.health(key.value());

        // (pool, settings) pairs in rule order; a pair used by several rules is listed once.
        Map<String, Map<String, List<BackendHealth.Server>>> pools = new LinkedHashMap<>();
        for (ChildResource<RoutingRuleProperties> rule : ChildCollection.ROUTING_RULES.items(p)) {
            String pool = rule.properties().backendAddressPool().targetName();
            String settingsName = rule.properties().backendSettings().targetName();
            var poolChild = ChildCollection.BACKEND_ADDRESS_POOLS.find(p, pool).orElseThrow();
            var settingsChild =
                    ChildCollection.BACKEND_SETTINGS.find(p, settingsName).orElseThrow();
            var bySettings = pools.computeIfAbsent(poolChild.name(), k -> new LinkedHashMap<>());
            if (bySettings.containsKey(settingsChild.name())) {
                continue;
            }
            List<BackendHealth.Server> servers = new ArrayList<>();
            var addresses = poolChild.properties().backendAddresses();
            for (var address : addresses == null ? List.<BackendAddressPoolProperties.BackendAddress>of() : addresses) {
                String host = address.ipAddress() != null ? address.ipAddress() : address.fqdn();
                servers.add(server(host, reports, poolChild.name(), settingsChild.name(), settingsChild.properties()));
            }
            // Servers that left the pool but still drain their connections.
            reports.stream()
                    .filter(r -> r.health() == HealthState.Draining
                            && r.pool().equalsIgnoreCase(poolChild.name())
                            && r.settings().equalsIgnoreCase(settingsChild.name()))
                    .forEach(r -> servers.add(new BackendHealth.Server(
                            r.address(),
                            r.health().name(),
                            "Removed from the pool; its open connections drain.",
                            details(r))));
            bySettings.put(settingsChild.name(), servers);
        }
        List<BackendHealth.Pool> out = new ArrayList<>();
        pools.forEach((pool, bySettings) -> {
            List<BackendHealth.Settings> settings = new ArrayList<>();
            bySettings.forEach((name, servers) -> settings.add(new BackendHealth.Settings(
                    new Reference(key.childId(ChildCollection.BACKEND_SETTINGS.segment(), name)), servers)));
            out.add(new BackendHealth.Pool(
                    new Reference(key.childId(ChildCollection.BACKEND_ADDRESS_POOLS.segment(), pool)), settings));
        });
        return new BackendHealth(out);
    }

    private static BackendHealth.Server server(
            String host,
            List<ServerHealthReport> reports,
            String pool,
            String settings,
            BackendSettingsProperties settingsProperties) {
        String server = Route.Endpoint.hostPort(host, settingsProperties.port());
        ServerHealthReport r = reports.stream()
                .filter(h -> h.pool().equalsIgnoreCase(pool)
                        && h.settings().equalsIgnoreCase(settings)
                        && h.server().equals(server))
                .findFirst()
                .orElse(null);
        if (r == null || r.lastProbeAt() == null) {
            return new BackendHealth.Server(host, "Unknown", "Not probed yet.", null);
        }
        String log;
        if (r.lastFailureAt() != null
                && (r.lastSuccessAt() == null || r.lastFailureAt().isAfter(r.lastSuccessAt()))) {
            log = "Probe '" + r.probe() + "' failed at " + r.lastFailureAt() + ": " + r.lastFailureReason() + " ("
                    + r.consecutiveFailures() + (r.consecutiveFailures() == 1 ? " failure" : " consecutive failures")
                    + ").";
        } else {
            log = "Probe '" + r.probe() + "' succeeded at " + r.lastSuccessAt() + "."
                    + (r.lastFailureAt() == null
                            ? ""
                            : " Last failure at " + r.lastFailureAt() + ": " + r.lastFailureReason() + ".");
        }
        return new BackendHealth.Server(host, r.health().name(), log, details(r));
    }

    private static BackendHealth.ProbeDetails details(ServerHealthReport r) {
        return new BackendHealth.ProbeDetails(
                r.probe(),
                r.server(),
                r.consecutiveFailures(),
                r.lastProbeAt(),
                r.lastSuccessAt(),
                r.lastFailureAt(),
                r.lastFailureReason());
    }
}
