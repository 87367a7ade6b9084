package dev.gatehouse.gateway.model;

import io.swagger.v3.oas.annotations.media.Schema;

/** ARM's reference to another resource: {@code {"id": "<full resource id>"}}. */
public record Reference(
        @Schema(
                description = "Full resource id, compared case-insensitively; must point into the same gateway.",
                example = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/"
                        + "Microsoft.Network/applicationGateways/gw1/frontendPorts/port-5432")
        String id) {

    /** The referenced child's name: the id's last segment. Only meaningful for a validated reference. */
    public String targetName() {
        return id.substring(id.lastIndexOf('/') + 1);
    }
}
