package dev.gatehouse.gateway.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatehouse.arm.ApiError;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's {@code properties}: read-only status, the sku, and the nine child collections.
 * A missing collection and an empty one mean the same; the spec form stores both as absent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApplicationGatewayProperties(
        @Schema(
                accessMode = Schema.AccessMode.READ_ONLY,
                allowableValues = {"Updating", "Succeeded", "Failed"})
        String provisioningState,

        @Schema(
                accessMode = Schema.AccessMode.READ_ONLY,
                allowableValues = {"Running", "Stopped"})
        String operationalState,

        @Schema(
                accessMode = Schema.AccessMode.READ_ONLY,
                description = "Why the last apply failed, when provisioningState is Failed (Gatehouse extension).")
        ApiError provisioningError,

        @Schema(
                accessMode = Schema.AccessMode.READ_ONLY,
                description = "Increases with every change of the document (Gatehouse extension).")
        Long generation,

        @Schema(
                accessMode = Schema.AccessMode.READ_ONLY,
                description = "Accepted and Programmed, with observedGeneration (Gatehouse extension).")
        List<Condition> conditions,

        @Schema(
                accessMode = Schema.AccessMode.READ_ONLY,
                description = "What each live Gatehouse instance (replica) applied (Gatehouse extension). "
                        + "provisioningState is Succeeded only when every one applied the current generation.")
        List<InstanceStatus> instances,

        @Valid Sku sku,
        List<@Valid ChildResource<FrontendIpConfigurationProperties>> frontendIPConfigurations,
        List<@Valid ChildResource<FrontendPortProperties>> frontendPorts,
        List<@Valid ChildResource<ListenerProperties>> listeners,
        List<@Valid ChildResource<BackendAddressPoolProperties>> backendAddressPools,
        List<@Valid ChildResource<BackendSettingsProperties>> backendSettingsCollection,
        List<@Valid ChildResource<ProbeProperties>> probes,
        List<@Valid ChildResource<RoutingRuleProperties>> routingRules,
        List<@Valid ChildResource<SslCertificateProperties>> sslCertificates,
        List<@Valid ChildResource<TrustedRootCertificateProperties>> trustedRootCertificates,

        @Schema(description = "The TLS policy of every Tls listener without an SSL profile that has its own.")
        SslPolicy sslPolicy,

        List<@Valid ChildResource<SslProfileProperties>> sslProfiles,
        List<@Valid ChildResource<TrustedClientCertificateProperties>> trustedClientCertificates,

        @JsonAnySetter
        @JsonAnyGetter
        @Schema(
                hidden = true,
                description = "Properties of Azure's schema that Gatehouse keeps without a local "
                        + "meaning (docs/azure-compatibility.md).")
        Map<String, JsonNode> kept) {

    public ApplicationGatewayProperties {
        kept = Kept.of(kept);
    }

    /** ARM's sku; accepted and returned, it changes nothing in Gatehouse. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sku(String name, String tier, Integer capacity, String family) {}

    ApplicationGatewayProperties spec() {
        ApplicationGatewayProperties p = this;
        for (ChildCollection<?> collection : ChildCollection.ALL) {
            p = specOf(p, collection);
        }
        return p.withStatus(null, null, null, null, null, null);
    }

    private static <P> ApplicationGatewayProperties specOf(ApplicationGatewayProperties p, ChildCollection<P> c) {
        List<ChildResource<P>> items = c.items(p);
        return p.with(
                c,
                items.isEmpty() ? null : items.stream().map(ChildResource::spec).toList());
    }

    public ApplicationGatewayProperties withStatus(
            String provisioning,
            String operational,
            ApiError error,
            Long newGeneration,
            List<Condition> newConditions,
            List<InstanceStatus> newInstances) {
        return new ApplicationGatewayProperties(
                provisioning,
                operational,
                error,
                newGeneration,
                newConditions,
                newInstances,
                sku,
                frontendIPConfigurations,
                frontendPorts,
                listeners,
                backendAddressPools,
                backendSettingsCollection,
                probes,
                routingRules,
                sslCertificates,
                trustedRootCertificates,
                sslPolicy,
                sslProfiles,
                trustedClientCertificates,
                kept);
    }

    /** A copy with one collection replaced ({@code null} removes it). */
    @SuppressWarnings("unchecked")
    public <P> ApplicationGatewayProperties with(ChildCollection<P> c, List<ChildResource<P>> items) {
        Object v = items;
        return new ApplicationGatewayProperties(
                provisioningState,
                operationalState,
                provisioningError,
                generation,
                conditions,
                instances,
                sku,
                c == ChildCollection.FRONTEND_IP_CONFIGURATIONS ? (List) v : frontendIPConfigurations,
                c == ChildCollection.FRONTEND_PORTS ? (List) v : frontendPorts,
                c == ChildCollection.LISTENERS ? (List) v : listeners,
                c == ChildCollection.BACKEND_ADDRESS_POOLS ? (List) v : backendAddressPools,
                c == ChildCollection.BACKEND_SETTINGS ? (List) v : backendSettingsCollection,
                c == ChildCollection.PROBES ? (List) v : probes,
                c == ChildCollection.ROUTING_RULES ? (List) v : routingRules,
                c == ChildCollection.SSL_CERTIFICATES ? (List) v : sslCertificates,
                c == ChildCollection.TRUSTED_ROOT_CERTIFICATES ? (List) v : trustedRootCertificates,
                sslPolicy,
                c == ChildCollection.SSL_PROFILES ? (List) v : sslProfiles,
                c == ChildCollection.TRUSTED_CLIENT_CERTIFICATES ? (List) v : trustedClientCertificates,
                kept);
    }
}
