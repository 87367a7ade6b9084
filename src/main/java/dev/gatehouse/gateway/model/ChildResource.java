package dev.gatehouse.gateway.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * A child of an ApplicationGateway (a listener, a pool, ...), in ARM's shape. {@code id}, {@code etag}
 * and {@code type} are computed on output and ignored on input, so a GET can be edited and PUT back.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChildResource<P>(
        @Schema(accessMode = Schema.AccessMode.READ_ONLY) String id,

        @NotBlank @Schema(description = "Unique (case-insensitively) within its collection.")
        String name,

        @Schema(accessMode = Schema.AccessMode.READ_ONLY) String etag,
        @Schema(accessMode = Schema.AccessMode.READ_ONLY) String type,
        @NotNull @Valid P properties) {

    /** The same child with the computed fields removed: the form that is stored and hashed. */
    public ChildResource<P> spec() {
        return new ChildResource<>(null, name, null, null, properties);
    }

    public ChildResource<P> withComputed(String id, String etag, String type) {
        return new ChildResource<>(id, name, etag, type, properties);
    }
}
