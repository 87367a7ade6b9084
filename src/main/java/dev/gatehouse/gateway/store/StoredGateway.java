package dev.gatehouse.gateway.store;

import dev.gatehouse.arm.ApiError;
import dev.gatehouse.gateway.model.ApplicationGateway;
import dev.gatehouse.gateway.model.ApplicationGatewayProperties;
import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.ChildResource;
import dev.gatehouse.gateway.model.Condition;
import dev.gatehouse.gateway.model.GatewayKey;
import dev.gatehouse.gateway.model.InstanceStatus;
import dev.gatehouse.gateway.model.OperationalState;
import dev.gatehouse.gateway.model.ProvisioningState;
import dev.gatehouse.gateway.model.SslCertificateProperties;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A gateway as stored: its spec (with each child's etag), etag, generation and last reconcile outcome.
 * {@link #view} renders what the API returns: the spec plus computed ids, types and etags, with write-only
 * secrets removed.
 */
public record StoredGateway(
        GatewayKey key,
        ApplicationGateway spec,
        Map<String, String> childEtags,
        String etag,
        long generation,
        ProvisioningState provisioningState,
        Long appliedGeneration,
        ApiError provisioningError,
        OperationalState operationalState,
        Instant updatedAt,
        Instant statusChangedAt,
        List<InstanceStatus> instances) {

    public boolean stopped() {
        return operationalState == OperationalState.Stopped;
    }

    public ApplicationGateway view() {
        ApplicationGatewayProperties p = spec.properties();
        for (ChildCollection<?> c : ChildCollection.ALL) {
            p = withComputed(p, c);
        }
        p = p.with(ChildCollection.SSL_CERTIFICATES, redacted(ChildCollection.SSL_CERTIFICATES.items(p)));
        p = p.withStatus(
                provisioningState.name(),
                operationalState.name(),
                provisioningError,
                generation,
                conditions(),
                instances.isEmpty() ? null : instances);
        return new ApplicationGateway(
                key.id(), key.name(), GatewayKey.TYPE, spec.location(), spec.tags(), etag, p, spec.kept());
    }

    /**
     * Accepted is True for every stored generation (an invalid document is never stored). Programmed follows
     * provisioningState: True when the data plane serves this generation, False when applying it failed,
     * Unknown while it is being applied.
     */
    private List<Condition> conditions() {
        Condition accepted = new Condition(
                "Accepted", "True", "Accepted", "The document is valid and stored.", generation, updatedAt);
        Condition programmed = switch (provisioningState) {
            case Succeeded ->
                new Condition(
                        "Programmed",
                        "True",
                        "Programmed",
                        stopped()
                                ? "The gateway is stopped: no listener is bound."
                                : "The data plane serves this generation.",
                        appliedGeneration,
                        statusChangedAt);
            case Failed ->
                new Condition(
                        "Programmed",
                        "False",
                        failureReason(),
                        provisioningError == null ? null : provisioningError.message(),
                        appliedGeneration,
                        statusChangedAt);
            case Updating ->
                new Condition(
                        "Programmed",
                        "Unknown",
                        "Pending",
                        "The data plane is applying generation " + generation + ".",
                        appliedGeneration,
                        statusChangedAt);
        };
        return List.of(accepted, programmed);
    }

    /** The most specific code: the one failure's own code when there is one, else the summary's. */
    private String failureReason() {
        if (provisioningError == null) {
            return "ApplyFailed";
        }
        return provisioningError.details().size() == 1
                ? provisioningError.details().get(0).code()
                : provisioningError.code();
    }

    /** One child as the API returns it, or {@code null} when there is none of that name. */
    public <P> ChildResource<P> childView(ChildCollection<P> c, String name) {
        return c.find(view().properties(), name).orElse(null);
    }

    private <P> ApplicationGatewayProperties withComputed(ApplicationGatewayProperties p, ChildCollection<P> c) {
        List<ChildResource<P>> items = c.items(p);
        if (items.isEmpty()) {
            return p;
        }
        return p.with(
                c,
                items.stream()
                        .map(child -> child.withComputed(
                                key.childId(c.segment(), child.name()),
                                childEtags.get(StoredDocuments.childKey(c, child.name())),
                                c.type()))
                        .toList());
    }

    private static List<ChildResource<SslCertificateProperties>> redacted(
            List<ChildResource<SslCertificateProperties>> certs) {
        if (certs.isEmpty()) {
            return null;
        }
        return certs.stream()
                .map(c -> new ChildResource<>(
                        c.id(),
                        c.name(),
                        c.etag(),
                        c.type(),
                        new SslCertificateProperties(
                                null,
                                null,
                                c.properties().publicCertData(),
                                c.properties().keyVaultSecretId())))
                .toList();
    }
}
