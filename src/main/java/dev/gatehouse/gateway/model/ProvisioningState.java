package dev.gatehouse.gateway.model;

/**
 * Azure's {@code provisioningState} of a gateway, as Gatehouse sets it: {@code Updating} from a write until
 * every live instance has applied it, then {@code Succeeded} or {@code Failed}. The wire form is the name.
 */
public enum ProvisioningState {
    Updating,
    Succeeded,
    Failed
}
