package dev.gatehouse.gateway.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The ApplicationGateway document in Azure Resource Manager's shape. The same record is what a caller
 * PUTs, what is stored (its {@linkplain #spec(String) spec form}) and what a GET returns (the spec plus the
 * computed fields). It is plain data: the rules live in {@code gateway.rules.GatewayRules}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "ApplicationGateway")
public record ApplicationGateway(
        @Schema(accessMode = Schema.AccessMode.READ_ONLY) String id,

        @Schema(description = "Optional on input; must equal the name in the URL when given.")
        String name,

        @Schema(accessMode = Schema.AccessMode.READ_ONLY, example = GatewayKey.TYPE)
        String type,

        @NotBlank @Schema(example = "westeurope") String location,
        Map<String, String> tags,
        @Schema(accessMode = Schema.AccessMode.READ_ONLY) String etag,
        @NotNull @Valid ApplicationGatewayProperties properties,

        @JsonAnySetter
        @JsonAnyGetter
        @Schema(
                hidden = true,
                description = "Properties of Azure's schema that Gatehouse keeps without a local "
                        + "meaning (docs/azure-compatibility.md).")
        Map<String, JsonNode> kept) {

    public ApplicationGateway {
        kept = Kept.of(kept);
    }

    public ApplicationGateway(
            String id,
            String name,
            String type,
            String location,
            Map<String, String> tags,
            String etag,
            ApplicationGatewayProperties properties) {
        this(id, name, type, location, tags, etag, properties, Map.of());
    }

    /**
     * The stored form: the name from the URL, computed fields removed, collections in a stable form, so
     * that two documents with the same meaning serialize (and hash to an etag) identically.
     */
    public ApplicationGateway spec(String canonicalName) {
        return new ApplicationGateway(
                null,
                canonicalName,
                null,
                location,
                tags == null ? null : new TreeMap<>(tags),
                null,
                properties.spec(),
                kept);
    }

    /** A copy with other tags ({@code null} or empty: none), as ARM's UpdateTags makes. */
    public ApplicationGateway withTags(Map<String, String> newTags) {
        return new ApplicationGateway(
                id,
                name,
                type,
                location,
                newTags == null || newTags.isEmpty() ? null : new TreeMap<>(newTags),
                etag,
                properties,
                kept);
    }

    public ApplicationGateway withProperties(ApplicationGatewayProperties newProperties) {
        return new ApplicationGateway(id, name, type, location, tags, etag, newProperties, kept);
    }
}
