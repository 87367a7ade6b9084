package dev.gatehouse.gateway.replicas;

import dev.gatehouse.arm.ApiError;
import dev.gatehouse.gateway.model.InstanceStatus;
import dev.gatehouse.gateway.model.ProvisioningState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * What each instance's data plane did with each gateway: the generation it applied and how that went, or that
 * it let go of a deleted gateway. Only this instance writes its own rows, from its one reconciler thread; every
 * method joins the caller's transaction. Instances that are not live are left out of every answer.
 */
@Component
public class InstanceStatuses {

    /** One live instance's outcome for one gateway; {@code state} is {@code null} once it let go of it. */
    public record Outcome(String instanceId, long appliedGeneration, ProvisioningState state, String errorJson) {

        public boolean removed() {
            return state == null;
        }
    }

    private final InstanceStatusRows statuses;
    private final Instances instances;
    private final JsonMapper json;
    private final Clock clock;

    InstanceStatuses(InstanceStatusRows statuses, Instances instances, JsonMapper json, Optional<Clock> clock) {
        this.statuses = statuses;
        this.instances = instances;
        this.json = json;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /** Records this instance's outcome of applying {@code generation} of the gateway. */
    public void recordApplied(String resourceKey, long generation, ProvisioningState state, String errorJson) {
        recordOwn(resourceKey, generation, state.name(), errorJson);
    }

    /** Records that this instance's data plane no longer serves the (deleted) gateway. */
    public void recordRemoved(String resourceKey) {
        recordOwn(resourceKey, -1, InstanceStatusRow.REMOVED, null);
    }

    private void recordOwn(String resourceKey, long generation, String state, String errorJson) {
        statuses.save(
                new InstanceStatusRow(resourceKey, instances.id(), generation, state, errorJson, clock.instant()));
    }

    /** The number of live instances, this one included. */
    public int liveCount() {
        return instances.live().size();
    }

    /** Whether there is more than one live instance (errors then name the instance they come from). */
    public boolean replicated() {
        return liveCount() > 1;
    }

    /** The live instances' outcomes for the gateway, ordered by instance id. */
    public List<Outcome> liveOutcomes(String resourceKey) {
        Set<String> live = instances.live();
        return statuses.forGateway(resourceKey).stream()
                .filter(s -> live.contains(s.instanceId()))
                .map(InstanceStatuses::outcome)
                .toList();
    }

    /** Forgets every instance's outcome for a gateway that is gone everywhere. */
    public void forget(String resourceKey) {
        statuses.forgetGateway(resourceKey);
    }

    /** The per-instance status of gateways as their views show it, by resource key; removed ones left out. */
    public Map<String, List<InstanceStatus>> views(Collection<String> resourceKeys) {
        if (resourceKeys.isEmpty()) {
            return Map.of();
        }
        Set<String> live = instances.live();
        Map<String, List<InstanceStatus>> byKey = new HashMap<>();
        for (InstanceStatusRow s : statuses.forGateways(resourceKeys)) {
            if (!live.contains(s.instanceId()) || InstanceStatusRow.REMOVED.equals(s.provisioningState())) {
                continue;
            }
            ApiError error =
                    s.provisioningError() == null ? null : json.readValue(s.provisioningError(), ApiError.class);
            byKey.computeIfAbsent(s.resourceKey(), k -> new ArrayList<>())
                    .add(new InstanceStatus(
                            s.instanceId(), s.appliedGeneration(), s.provisioningState(), error, s.updatedAt()));
        }
        byKey.values().forEach(list -> list.sort(Comparator.comparing(InstanceStatus::instance)));
        return byKey;
    }

    private static Outcome outcome(InstanceStatusRow s) {
        ProvisioningState state = InstanceStatusRow.REMOVED.equals(s.provisioningState())
                ? null
                : ProvisioningState.valueOf(s.provisioningState());
        return new Outcome(s.instanceId(), s.appliedGeneration(), state, s.provisioningError());
    }
}
