package dev.gatehouse.gateway.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatehouse.gateway.model.ApplicationGateway;
import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.ChildResource;
import dev.gatehouse.gateway.model.GatewayKey;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The answer of {@code POST .../validate}: ARM's what-if shape, one change per resource (the gateway and
 * each child), computed by comparing the stored spec with the one a PUT would store.
 */
@Schema(name = "WhatIfOperationResult")
public record WhatIf(
        @Schema(allowableValues = {"Succeeded"}) String status, List<Change> changes) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Change(
            String resourceId,

            @Schema(allowableValues = {"Create", "Modify", "Delete", "NoChange"})
            String changeType) {}

    static WhatIf of(GatewayKey key, ApplicationGateway stored, ApplicationGateway proposed) {
        List<Change> changes = new ArrayList<>();
        String gatewayChange = stored == null ? "Create" : Objects.equals(stored, proposed) ? "NoChange" : "Modify";
        changes.add(new Change(key.id(), gatewayChange));
        for (ChildCollection<?> c : ChildCollection.ALL) {
            children(key, c, stored, proposed, changes);
        }
        return new WhatIf("Succeeded", changes);
    }

    private static <P> void children(
            GatewayKey key,
            ChildCollection<P> c,
            ApplicationGateway stored,
            ApplicationGateway proposed,
            List<Change> changes) {
        var before = c.items(stored == null ? null : stored.properties());
        var after = c.items(proposed.properties());
        for (ChildResource<P> child : after) {
            var old = before.stream()
                    .filter(b -> b.name().equalsIgnoreCase(child.name()))
                    .findFirst();
            String type =
                    old.isEmpty() ? "Create" : Objects.equals(old.get().spec(), child.spec()) ? "NoChange" : "Modify";
            changes.add(new Change(key.childId(c.segment(), child.name()), type));
        }
        for (ChildResource<P> child : before) {
            String name = child.name().toLowerCase(Locale.ROOT);
            if (after.stream().noneMatch(a -> a.name().toLowerCase(Locale.ROOT).equals(name))) {
                changes.add(new Change(key.childId(c.segment(), child.name()), "Delete"));
            }
        }
    }
}
